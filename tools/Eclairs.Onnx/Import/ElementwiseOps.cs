using System;
using System.Linq;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// Relu (fused into the Conv or Gemm before it, or before the max pool that follows one: max commutes with ReLU),
/// the final Sigmoid, Dropout and Identity (removed), and Add/Sub/Mul/Div: by constants on the SNR (normalisation),
/// by per-channel constants on a Conv or Gemm output (folded into its bias and weights), or of two activations (a
/// residual connection, which needs the engine's Add layer).
/// </summary>
internal static class ElementwiseOps
{
    public static Sym Relu(NodeContext c)
    {
        c.AllowAttributes();
        FeatureSym x = c.Feature(0, "input");
        ImportedLayer? layer = c.State.Fusable(x, c, 0);
        switch (layer?.Spec)
        {
            case Conv2DLayer conv:
                layer.Spec = conv with { Activation = Activation.Relu };
                return x;
            case DenseLayer dense:
                layer.Spec = dense with { Activation = Activation.Relu };
                return x;
            case GeneralConv2DLayer conv:
                layer.Spec = conv with { Activation = Activation.Relu };
                return x;
            case AddLayer add:
                layer.Spec = add with { Activation = Activation.Relu };
                return x;
            case MaxPool2DLayer when layer.ExclusiveInput && c.State.Layers[x.Layer - 1].Spec is Conv2DLayer conv:
                c.State.Layers[x.Layer - 1].Spec = conv with { Activation = Activation.Relu };
                return x;
        }
        throw c.Refuse("a ReLU that does not follow a Conv or Gemm (or their max pool) whose output nothing else reads",
            "a standalone ReLU layer in the engine (it fuses ReLU into the Conv or Dense before it)");
    }

    public static Sym Sigmoid(NodeContext c)
    {
        c.AllowAttributes();
        FeatureSym x = c.Feature(0, "input");
        if (x.Shape.Size != 1)
        {
            throw c.Refuse($"Sigmoid on {x.Shape.Size} values", "a Sigmoid layer on any tensor in the engine (it applies Sigmoid to the single logit at the end)");
        }
        return new ProbabilitySym(x);
    }

    public static Sym Dropout(NodeContext c)
    {
        c.AllowAttributes("ratio", "seed", "is_test", "consumed_inputs");
        if (c.HasInput(2) && (c.ConstInput(2) is not { } training || training.Values.Any(v => v != 0)))
        {
            throw c.Refuse("Dropout in training mode", "inference mode (model.eval() before torch.onnx.export)");
        }
        if (c.Node.Output.Count > 1 && c.Node.Output[1].Length > 0 && c.State.Graph.Consumers(c.Node.Output[1]) > 0)
        {
            throw c.Refuse("its mask output is used", null);
        }
        return PassThrough(c);
    }

    public static Sym Identity(NodeContext c)
    {
        c.AllowAttributes();
        return PassThrough(c);
    }

    public static Sym Arithmetic(NodeContext c)
    {
        c.AllowAttributes("broadcast", "axis");
        Sym a = c.Input(0), b = c.Input(1);
        if (InputStageOps.Normalise(c, a, b) is { } normalised)
        {
            return normalised;
        }
        if (a is FeatureSym fa && b is FeatureSym fb)
        {
            if (c.OpType != "Add")
            {
                throw c.Refuse($"{c.OpType} of two activations", $"an element-wise {c.OpType} layer of two branches in the engine");
            }
            return Residual(c, fa, fb);
        }
        bool featureFirst = a is FeatureSym;
        if ((featureFirst ? a : b) is FeatureSym x && (featureFirst ? b : a) is ConstSym k && !(c.OpType is "Sub" or "Div" && !featureFirst))
        {
            return FoldIntoLayer(c, x, k.Tensor, featureFirst ? 0 : 1);
        }
        throw c.Refuse($"{c.OpType} of {Describe(a)} and {Describe(b)}", $"an engine layer computing that {c.OpType}");
    }

    /// <summary>
    /// x + y of two activations: an Add layer reading the last layer and the other one (a Branch first when neither is
    /// the last). Both must be the same tensor layout, so the engine's element-by-element sum is ONNX's.
    /// </summary>
    private static FeatureSym Residual(NodeContext c, FeatureSym a, FeatureSym b)
    {
        if (a.Shape != b.Shape || a.IsImage != b.IsImage || (a.IsImage && !a.Axes!.SequenceEqual(b.Axes!))
            || !(a.Order ?? []).SequenceEqual(b.Order ?? []))
        {
            throw c.Refuse($"Add of an activation {a.Shape} and one {b.Shape} in different shapes or element orders",
                "two activations of one shape and layout (broadcasting Add is not an engine layer)");
        }
        if (a.Layer == b.Layer)
        {
            throw c.Refuse("Add of an activation to itself", "x * 2 (a Mul by a constant, folded into the layer before)");
        }
        FeatureSym last = b.Layer == c.State.Last ? b : a, other = ReferenceEquals(last, b) ? a : b;
        c.State.BranchTo(c, last);
        var layer = new ImportedLayer(new AddLayer(other.Layer, Activation.None), last.Shape, last.Shape, c.Name);
        c.State.Layers.Add(layer);
        return new FeatureSym(c.State.Last, last.Shape, last.Axes, last.Order, Exclusive: true);
    }

    /// <summary>y = x + k, x − k, x · k or x / k with k one value per channel: folded into the bias (and weights).</summary>
    private static FeatureSym FoldIntoLayer(NodeContext c, FeatureSym x, OnnxTensor k, int input)
    {
        ImportedLayer? layer = c.State.Fusable(x, c, input);
        if (layer is not { IsLinear: true } || (!x.IsImage && x.Order != null))
        {
            throw c.Refuse($"{c.OpType} by a constant not directly after a Conv or Gemm whose output nothing else reads",
                $"a standalone {c.OpType} layer in the engine");
        }
        float[] perChannel = PerChannel(c, x, k);
        float[] w = layer.Weights!, bias = layer.Bias!;
        int channels = bias.Length;
        if (perChannel.Length != 1 && perChannel.Length != channels)
        {
            throw c.Refuse($"{perChannel.Length} values for {channels} channels", null);
        }
        for (int ch = 0; ch < channels; ch++)
        {
            float v = perChannel[perChannel.Length == 1 ? 0 : ch];
            switch (c.OpType)
            {
                case "Add":
                    bias[ch] += v;
                    break;
                case "Sub":
                    bias[ch] -= v;
                    break;
                default:
                    float scale = c.OpType == "Mul" ? v : 1f / v;
                    bias[ch] *= scale;
                    for (int i = ch; i < w.Length; i += channels)
                    {
                        w[i] *= scale;
                    }
                    break;
            }
        }
        return x;
    }

    /// <summary>The constant as one value per channel (or one for all), if it broadcasts so against the activation.</summary>
    private static float[] PerChannel(NodeContext c, FeatureSym x, OnnxTensor k)
    {
        long[] dims = x.Dims();
        int channelAxis = x.IsImage ? x.AxisOf(1) : 1;
        if (k.Rank > dims.Length)
        {
            throw c.Refuse($"a constant of shape {NodeContext.Join(k.Dims)} on an activation of {NodeContext.Join(dims)}", null);
        }
        for (int i = 0; i < k.Rank; i++)
        {
            int axis = dims.Length - k.Rank + i;
            if (k.Dims[i] != 1 && axis != channelAxis)
            {
                throw c.Refuse($"a constant of shape {NodeContext.Join(k.Dims)} varies along axis {axis}, not only along the channels",
                    "one value per channel");
            }
        }
        return k.ToSingles();
    }

    private static Sym PassThrough(NodeContext c) => c.Input(0) is FeatureSym f ? f with { Exclusive = f.Exclusive && c.InputIsExclusive(0) } : c.Input(0);

    private static string Describe(Sym s) => s switch
    {
        ConstSym => "a constant",
        FeatureSym => "an activation",
        SnrSym => "the SNR",
        MaskSym => "the mask",
        _ => "a value",
    };
}
