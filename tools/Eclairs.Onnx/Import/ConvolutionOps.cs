using System;
using System.Linq;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>Conv (2-D, group 1, dilation 1, stride 1 or 2, 1x1 to 7x7, 'same' or 'valid') and BatchNormalization folded into it.</summary>
internal static class ConvolutionOps
{
    public static Sym Conv(NodeContext c)
    {
        c.AllowAttributes("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
        FeatureSym x = c.Feature(0, "input");
        OnnxTensor w = c.RequireConst(1, "weights");
        if (w.Rank != 4)
        {
            throw c.Refuse($"a {w.Rank - 2}-D convolution (weights {NodeContext.Join(w.Dims)})",
                w.Rank == 5 ? "a 3-D convolution layer (Conv3D) in the engine" : "the engine's 2-D convolution on images");
        }
        if (!x.IsImage || !x.Axes!.SequenceEqual(FeatureSym.Nchw))
        {
            throw c.Refuse("its input is not an NCHW image here", "a Transpose to NCHW before the Conv (as tf2onnx writes them)");
        }
        long cout = w.Dims[0], cin = w.Dims[1], kh = w.Dims[2], kw = w.Dims[3];
        long group = c.Int("group", 1);
        if (group != 1)
        {
            throw c.Refuse($"group {group} (a grouped or depthwise convolution)", "a depthwise/grouped convolution layer in the engine");
        }
        if (cin != x.Shape.Channels)
        {
            throw c.Refuse($"weights for {cin} input channels on an input of {x.Shape.Channels}", null);
        }
        long[] dilations = c.Ints("dilations") ?? [1, 1];
        if (dilations.Any(d => d != 1))
        {
            throw c.Refuse($"dilations {NodeContext.Join(dilations)}", "a dilated convolution layer in the engine");
        }
        long[] strides = c.Ints("strides") ?? [1, 1];
        if (strides.Length != 2 || strides[0] != strides[1] || strides[0] is not (1 or 2))
        {
            throw c.Refuse($"strides {NodeContext.Join(strides)}", "a convolution with stride 1 or 2 in both directions");
        }
        if (kh != kw)
        {
            throw c.Refuse($"a {kh}x{kw} kernel", "a square 1x1, 3x3, 5x5 or 7x7 kernel");
        }
        if (kh is not (1 or 3 or 5 or 7))
        {
            throw c.Refuse($"a {kh}x{kh} kernel", "a convolution layer with that kernel in the engine (it runs 1x1, 3x3, 5x5 and 7x7)");
        }
        int k = (int)kh, stride = (int)strides[0];
        Padding padding = PaddingOf(c, k, stride, x.Shape);
        int pad = padding == Padding.Same ? (k - 1) / 2 : 0;
        int oh = ((x.Shape.Height + (2 * pad) - k) / stride) + 1;
        int ow = ((x.Shape.Width + (2 * pad) - k) / stride) + 1;
        if (x.Shape.Height + (2 * pad) < k || x.Shape.Width + (2 * pad) < k)
        {
            throw c.Refuse($"a 'valid' {k}x{k} convolution of a {x.Shape.Height}x{x.Shape.Width} image", null);
        }
        OnnxTensor? bias = c.ConstInput(2);
        if (c.HasInput(2) && bias == null)
        {
            throw c.Refuse("its bias is computed at run time, not a constant", "the bias as an initializer");
        }
        if (bias != null && bias.Values.Length != cout)
        {
            throw c.Refuse($"{bias.Values.Length} biases for {cout} filters", null);
        }
        // 3x3 and 5x5 at stride 1 stay the engine's original Conv2D (same file bytes, every int8 and C kernel); the rest
        // are its general convolution.
        LayerSpec spec = stride == 1 && k is 3 or 5
            ? new Conv2DLayer((int)cout, k, padding, Activation.None)
            : new GeneralConv2DLayer((int)cout, k, stride, padding, Activation.None);
        var layer = new ImportedLayer(spec, x.Shape, new TensorShape(oh, ow, (int)cout), c.Name)
        {
            Weights = OihwToHwio(w.ToSingles(), k, (int)cin, (int)cout),
            Bias = bias?.ToSingles() ?? new float[cout],
            ExclusiveInput = x.Exclusive && c.InputIsExclusive(0),
        };
        return c.State.Append(c, x, layer, FeatureSym.Nchw);
    }

    /// <summary>Folds y = γ (x − μ) / √(σ² + ε) + β into the Conv or Gemm before it.</summary>
    public static Sym BatchNormalization(NodeContext c)
    {
        c.AllowAttributes("epsilon", "momentum", "spatial", "is_test", "training_mode", "consumed_inputs");
        if (c.Int("spatial", 1) != 1 || c.Int("training_mode", 0) != 0)
        {
            throw c.Refuse("BatchNormalization in training mode or per-activation (spatial = 0)", "inference-mode batch normalisation");
        }
        if (c.Node.Output.Skip(1).Any(o => o.Length > 0 && c.State.Graph.Consumers(o) > 0))
        {
            throw c.Refuse("its running mean or variance outputs are used", "inference-mode batch normalisation");
        }
        FeatureSym x = c.Feature(0, "input");
        if (x.IsImage && x.AxisOf(1) != 1)
        {
            throw c.Refuse("its input's axis 1 is not the channel axis", "an NCHW input");
        }
        ImportedLayer? layer = c.State.Fusable(x, c, 0);
        if (layer is not { IsLinear: true } || (!x.IsImage && x.Order != null))
        {
            throw c.Refuse("it does not follow a Conv or Gemm whose output nothing else reads (it can only be folded into one)",
                "a standalone per-channel scale-and-shift layer in the engine");
        }
        int channels = layer.OutputChannels;
        float[] gamma = Vector(c, 1, "scale", channels), beta = Vector(c, 2, "B", channels);
        float[] mean = Vector(c, 3, "mean", channels), variance = Vector(c, 4, "var", channels);
        BatchNormFolding.Fold(layer.Weights!, layer.Bias!, gamma, beta, mean, variance, c.Float("epsilon", 1e-5f));
        return x;
    }

    /// <summary>HWIO [kh][kw][cin][cout] (the engine's layout) from ONNX's OIHW.</summary>
    public static float[] OihwToHwio(float[] oihw, int k, int cin, int cout)
    {
        var hwio = new float[oihw.Length];
        for (int co = 0; co < cout; co++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                for (int y = 0; y < k; y++)
                {
                    for (int x = 0; x < k; x++)
                    {
                        hwio[((((y * k) + x) * cin) + ci) * cout + co] = oihw[((((co * cin) + ci) * k) + y) * k + x];
                    }
                }
            }
        }
        return hwio;
    }

    /// <summary>
    /// 'same' is (k - 1) / 2 zeros on every side (PyTorch's padding=k//2); at stride 2 ONNX's SAME_UPPER/LOWER put
    /// (out - 1)·2 + k - n zeros in total, which is that only on odd sides.
    /// </summary>
    private static Padding PaddingOf(NodeContext c, int k, int stride, TensorShape x)
    {
        string auto = c.String("auto_pad", "NOTSET");
        switch (auto)
        {
            case "SAME_UPPER" or "SAME_LOWER":
                foreach (int n in new[] { x.Height, x.Width })
                {
                    int total = Math.Max(((((n + stride) - 1) / stride) - 1) * stride + k - n, 0);
                    int before = auto == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
                    if (before != (k - 1) / 2 || ((n + (2 * ((k - 1) / 2)) - k) / stride) + 1 != ((n + stride) - 1) / stride)
                    {
                        throw c.Refuse($"auto_pad {auto} at stride {stride} on a side of {n}: {before} zeros before, {total - before} after",
                            $"symmetric padding of {(k - 1) / 2} (explicit pads, as PyTorch writes them)");
                    }
                }
                return k == 1 ? Padding.Valid : Padding.Same;
            case "VALID":
                return Padding.Valid;
            case "NOTSET":
                long[] pads = c.Ints("pads") ?? [0, 0, 0, 0];
                if (pads.All(p => p == 0))
                {
                    return Padding.Valid;
                }
                if (pads.All(p => p == (k - 1) / 2))
                {
                    return Padding.Same;
                }
                if (stride == 2 && pads.Length == 4 && pads[0] == (k - 1) / 2 && pads[1] == (k - 1) / 2
                    && EndUnused(x.Height, k, stride, pads[2]) && EndUnused(x.Width, k, stride, pads[3]))
                {
                    return Padding.Same; // the extra zeros at the end are never reached by a stride-2 window
                }
                throw c.Refuse($"pads {NodeContext.Join(pads)}", $"'same' ({(k - 1) / 2} on every side) or 'valid' (0) padding");
            default:
                throw c.Refuse($"auto_pad {auto}", null);
        }
    }

    /// <summary>True when <paramref name="end"/> zeros after a side of <paramref name="n"/> give the same output count as (k - 1) / 2.</summary>
    private static bool EndUnused(int n, int k, int stride, long end)
    {
        int p = (k - 1) / 2;
        return end >= 0 && ((n + p + end - k) / stride) + 1 == ((n + (2 * p) - k) / stride) + 1;
    }

    private static float[] Vector(NodeContext c, int input, string what, int channels)
    {
        OnnxTensor t = c.RequireConst(input, what);
        if (t.Values.Length != channels)
        {
            throw c.Refuse($"{t.Values.Length} values of {what} for {channels} channels", null);
        }
        return t.ToSingles();
    }
}
