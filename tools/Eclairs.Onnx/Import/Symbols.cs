using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// What a value of the ONNX graph is, in the engine's terms. The importer runs the graph symbolically: constants
/// are folded, the SNR and mask inputs are followed through normalisation and gating into the engine's input stage,
/// and every other value is an activation of the layer chain being built, with the mapping between the ONNX
/// tensor's element order and the engine's NHWC order.
/// </summary>
internal abstract record Sym;

/// <summary>A constant: an initializer, a Constant node, or a value folded from constants (shape arithmetic).</summary>
internal sealed record ConstSym(OnnxTensor Tensor) : Sym;

/// <summary>How an input plane [N, 1, H, W] or [N, H, W, 1] is laid out; the channel axis is where Concat must join.</summary>
internal enum PlaneLayout
{
    Nchw,
    Nhwc,
}

/// <summary>The SNR input as <c>snr · Scale + Offset</c>; <paramref name="Gated"/> once 0 replaces it where the mask is 0.</summary>
internal sealed record SnrSym(float Scale, float Offset, bool Gated, PlaneLayout Layout, long[] Dims) : Sym;

/// <summary>The mask input (as floats 0..3).</summary>
internal sealed record MaskSym(PlaneLayout Layout, long[] Dims) : Sym;

/// <summary>The boolean <c>mask == 0</c> (<paramref name="IsZero"/>) or <c>mask != 0</c>.</summary>
internal sealed record MaskTestSym(bool IsZero, PlaneLayout Layout, long[] Dims) : Sym;

/// <summary>
/// The output of layer <paramref name="Layer"/> of the chain, engine shape <paramref name="Shape"/> (H, W, C).
/// An image when <paramref name="Axes"/> is set: the tensor's axis i holds semantic axis Axes[i] (0 N, 1 C, 2 H, 3 W),
/// so [0, 1, 2, 3] is NCHW and [0, 2, 3, 1] NHWC. A vector [1, N] otherwise, its element p being the engine's element
/// Order[p] (null: the same order). <paramref name="Exclusive"/>: no other node reads any value between the layer's
/// output and this one, so the layer may still be changed in place (a fused bias, batch norm or ReLU).
/// </summary>
internal sealed record FeatureSym(int Layer, TensorShape Shape, int[]? Axes, int[]? Order, bool Exclusive) : Sym
{
    public static readonly int[] Nchw = [0, 1, 2, 3];
    public static readonly int[] Nhwc = [0, 2, 3, 1];

    public bool IsImage => Axes != null;

    /// <summary>The ONNX tensor's dimensions (batch 1).</summary>
    public long[] Dims()
    {
        if (Axes == null)
        {
            return [1, Shape.Size];
        }
        long[] semantic = [1, Shape.Channels, Shape.Height, Shape.Width];
        var dims = new long[4];
        for (int i = 0; i < 4; i++)
        {
            dims[i] = semantic[Axes[i]];
        }
        return dims;
    }

    /// <summary>The tensor axis holding semantic axis <paramref name="semantic"/>.</summary>
    public int AxisOf(int semantic) => System.Array.IndexOf(Axes!, semantic);
}

/// <summary>Sigmoid of the single logit <paramref name="Logit"/>: the classifier's probability.</summary>
internal sealed record ProbabilitySym(FeatureSym Logit) : Sym;
