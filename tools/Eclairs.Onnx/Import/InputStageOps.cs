using System.Linq;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// The engine's input stage as exporters write it: normalisation of the SNR by constants (Mul, Add, Sub, Div), the
/// gate <c>Where(mask == 0, 0, snr)</c> of our own export (a pixel whose mask is 0 enters as 0 whatever it holds),
/// and the Concat of SNR and mask on the channel axis, which becomes the Input and Concatenate layers.
/// </summary>
internal static class InputStageOps
{
    public static Sym Equal(NodeContext c)
    {
        c.AllowAttributes();
        (Sym a, Sym b) = (c.Input(0), c.Input(1));
        if ((a is MaskSym ? a : b) is MaskSym m && (a is MaskSym ? b : a) is ConstSym z && IsZero(z))
        {
            return new MaskTestSym(true, m.Layout, m.Dims);
        }
        throw c.Refuse("Equal is only understood as the mask test mask == 0", "an engine layer computing Equal");
    }

    public static Sym Not(NodeContext c)
    {
        c.AllowAttributes();
        return c.Input(0) is MaskTestSym t ? t with { IsZero = !t.IsZero } : throw c.Refuse("Not is only understood on the mask test", null);
    }

    public static Sym Cast(NodeContext c)
    {
        Sym x = c.Input(0);
        if (x is MaskSym or SnrSym && c.Int("to", 1) == 1)
        {
            return x;
        }
        if (x is MaskTestSym)
        {
            return x;
        }
        throw c.Refuse("Cast is only understood on the SNR and mask inputs", "an engine layer computing Cast");
    }

    /// <summary>Where(mask == 0, 0, snr) or Where(mask != 0, snr, 0): the engine's gate.</summary>
    public static Sym Where(NodeContext c)
    {
        c.AllowAttributes();
        if (c.Input(0) is MaskTestSym test)
        {
            (Sym chosen, Sym other) = test.IsZero ? (c.Input(2), c.Input(1)) : (c.Input(1), c.Input(2));
            if (chosen is SnrSym { Gated: false } snr && other is ConstSym zero && IsZero(zero))
            {
                return snr with { Gated = true };
            }
        }
        throw c.Refuse("Where is only understood as the gate Where(mask == 0, 0, snr)", "an engine layer computing Where");
    }

    /// <summary>The SNR and the mask joined on the channel axis: layers 0 (Input) and 1 (Concatenate).</summary>
    public static Sym Concat(NodeContext c)
    {
        c.AllowAttributes("axis");
        if (c.InputCount == 2 && c.Input(0) is SnrSym snr && c.Input(1) is MaskSym mask)
        {
            long axis = ConstantFolding.Normalize(c.Int("axis", 1), 4, clamp: false);
            long channelAxis = snr.Layout == PlaneLayout.Nchw ? 1 : 3;
            if (axis != channelAxis || snr.Layout != mask.Layout)
            {
                throw c.Refuse($"Concat of SNR and mask on axis {axis}, not their channel axis {channelAxis}", "the two planes joined as channels");
            }
            if (!snr.Gated)
            {
                c.State.Notes.Add("the graph does not zero the SNR where the mask is 0; the engine does (a pixel whose mask is 0 enters as 0): "
                    + "the logits agree wherever masked pixels already hold 0");
            }
            c.State.Normalization = new InputNormalization(snr.Scale, snr.Offset);
            return InputImage(c.State, snr.Dims, snr.Layout, c.Name);
        }
        if (c.Input(0) is MaskSym && c.InputCount == 2 && c.Input(1) is SnrSym)
        {
            throw c.Refuse("Concat puts the mask before the SNR", "the SNR as channel 0 and the mask as channel 1 (the engine's order)");
        }
        if (Enumerable.Range(0, c.InputCount).All(i => c.Input(i) is FeatureSym))
        {
            throw c.Refuse("Concat of two activations", Phase2.ChannelConcat);
        }
        throw c.Refuse("Concat is only understood as the SNR and mask joined on channels", null);
    }

    /// <summary>Starts the chain with Input (H, W) and Concatenate; the result is the two-channel input image.</summary>
    public static FeatureSym InputImage(ImportState state, long[] planeDims, PlaneLayout layout, string source)
    {
        int height = (int)(layout == PlaneLayout.Nchw ? planeDims[2] : planeDims[1]);
        int width = (int)(layout == PlaneLayout.Nchw ? planeDims[3] : planeDims[2]);
        state.Layers.Add(new ImportedLayer(new InputLayer(height, width), new TensorShape(height, width, 1), new TensorShape(height, width, 1), source));
        state.Layers.Add(new ImportedLayer(new ConcatenateLayer(), new TensorShape(height, width, 1), new TensorShape(height, width, 2), source));
        return new FeatureSym(1, new TensorShape(height, width, 2), layout == PlaneLayout.Nchw ? FeatureSym.Nchw : FeatureSym.Nhwc, null, true);
    }

    /// <summary>Mul, Add, Sub or Div of the SNR by a scalar constant: the file's SNR scale and offset.</summary>
    public static Sym? Normalise(NodeContext c, Sym a, Sym b)
    {
        bool snrFirst = a is SnrSym;
        if ((snrFirst ? b : a) is not ConstSym k || (snrFirst ? a : b) is not SnrSym snr)
        {
            return null;
        }
        if (k.Tensor.Values.Length != 1)
        {
            throw c.Refuse($"{c.OpType} of the SNR by a constant of shape {NodeContext.Join(k.Tensor.Dims)}", "a scalar (one scale and offset for the whole image)");
        }
        float v = (float)k.Tensor.Values[0];
        SnrSym result = (c.OpType, snrFirst) switch
        {
            ("Mul", _) => snr with { Scale = snr.Scale * v, Offset = snr.Offset * v },
            ("Div", true) => snr with { Scale = snr.Scale / v, Offset = snr.Offset / v },
            ("Add", _) => snr with { Offset = snr.Offset + v },
            ("Sub", true) => snr with { Offset = snr.Offset - v },
            ("Sub", false) => snr with { Scale = -snr.Scale, Offset = v - snr.Offset },
            _ => throw c.Refuse("a constant divided by the SNR", null),
        };
        if (snr.Gated && result.Offset != 0f)
        {
            throw c.Refuse($"{c.OpType} adds an offset after the SNR is gated by the mask (masked pixels would hold it, not 0)",
                "the normalisation applied before Where(mask == 0, 0, snr)");
        }
        return result;
    }

    private static bool IsZero(ConstSym k) => k.Tensor.Values.All(v => v == 0);
}
