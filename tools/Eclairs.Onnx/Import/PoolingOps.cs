using System.Linq;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>MaxPool and AveragePool 2x2 stride 2, GlobalAveragePool (and ReduceMean over H and W), a Pad of zeros.</summary>
internal static class PoolingOps
{
    public static Sym MaxPool(NodeContext c)
    {
        c.AllowAttributes("kernel_shape", "strides", "pads", "dilations", "ceil_mode", "storage_order", "auto_pad");
        if (c.Node.Output.Count > 1 && c.Node.Output[1].Length > 0 && c.State.Graph.Consumers(c.Node.Output[1]) > 0)
        {
            throw c.Refuse("its Indices output is used", "max pooling without indices");
        }
        FeatureSym x = Image(c);
        CheckWindow(c, x, "an engine layer for that max pooling (the engine pools 2x2 windows with stride 2)");
        var layer = new ImportedLayer(new MaxPool2DLayer(), x.Shape, new TensorShape(x.Shape.Height / 2, x.Shape.Width / 2, x.Shape.Channels), c.Name)
        {
            ExclusiveInput = x.Exclusive && c.InputIsExclusive(0),
        };
        return c.State.Append(c, x, layer, FeatureSym.Nchw);
    }

    public static Sym AveragePool(NodeContext c)
    {
        c.AllowAttributes("kernel_shape", "strides", "pads", "ceil_mode", "count_include_pad", "auto_pad", "dilations");
        FeatureSym x = Image(c);
        CheckWindow(c, x, "an engine layer for that average pooling (the engine pools 2x2 windows with stride 2)");
        var layer = new ImportedLayer(new AveragePool2DLayer(), x.Shape, new TensorShape(x.Shape.Height / 2, x.Shape.Width / 2, x.Shape.Channels), c.Name)
        {
            ExclusiveInput = x.Exclusive && c.InputIsExclusive(0),
        };
        return c.State.Append(c, x, layer, FeatureSym.Nchw);
    }

    /// <summary>
    /// A Pad that pads nothing (PyTorch 1.13 writes one before every avg_pool2d) is the identity; any other padding
    /// belongs in the Conv's own pads.
    /// </summary>
    public static Sym Pad(NodeContext c)
    {
        c.AllowAttributes("mode", "pads", "value");
        long[]? pads = c.Ints("pads") ?? c.ConstInput(1)?.ToInt64s();
        if (pads == null || pads.Any(p => p != 0) || (c.HasInput(3) && c.ConstInput(3) == null))
        {
            throw c.Refuse(pads == null ? "pads computed at run time" : $"pads {NodeContext.Join(pads)}",
                "the padding given to the Conv itself ('same' padding)");
        }
        return c.Input(0) is FeatureSym f ? f with { Exclusive = f.Exclusive && c.InputIsExclusive(0) } : c.Input(0);
    }

    public static Sym GlobalAveragePool(NodeContext c)
    {
        c.AllowAttributes();
        FeatureSym x = Image(c);
        return Global(c, x, keepDims: true);
    }

    /// <summary>ReduceMean over exactly the two spatial axes (tf2onnx writes Keras' GlobalAveragePooling2D so).</summary>
    public static Sym ReduceMean(NodeContext c)
    {
        c.AllowAttributes("axes", "keepdims", "noop_with_empty_axes");
        FeatureSym x = c.Feature(0, "input");
        long[]? axes = c.Ints("axes") ?? c.ConstInput(1)?.ToInt64s();
        if (!x.IsImage || axes == null
            || !axes.Select(a => ConstantFolding.Normalize(a, 4, false)).Order().SequenceEqual(new long[] { x.AxisOf(2), x.AxisOf(3) }.Order()))
        {
            throw c.Refuse($"ReduceMean over axes {NodeContext.Join(axes ?? [])}", "a mean over height and width only (global average pooling)");
        }
        return Global(c, x, c.Int("keepdims", 1) != 0);
    }

    private static FeatureSym Global(NodeContext c, FeatureSym x, bool keepDims)
    {
        var layer = new ImportedLayer(new GlobalAveragePoolLayer(), x.Shape, new TensorShape(1, 1, x.Shape.Channels), c.Name);
        FeatureSym pooled = c.State.Append(c, x, layer, x.Axes);
        return keepDims ? pooled : pooled with { Axes = null };
    }

    private static FeatureSym Image(NodeContext c)
    {
        FeatureSym x = c.Feature(0, "input");
        if (!x.IsImage || !x.Axes!.SequenceEqual(FeatureSym.Nchw))
        {
            throw c.Refuse("its input is not an NCHW image here", "a Transpose to NCHW before the pooling");
        }
        return x;
    }

    private static void CheckWindow(NodeContext c, FeatureSym x, string needed)
    {
        long[] kernel = c.Ints("kernel_shape") ?? [];
        long[] strides = c.Ints("strides") ?? [1, 1];
        long[] pads = c.Ints("pads") ?? [0, 0, 0, 0];
        long[] dilations = c.Ints("dilations") ?? [1, 1];
        string auto = c.String("auto_pad", "NOTSET");
        bool even = x.Shape.Height % 2 == 0 && x.Shape.Width % 2 == 0;
        if (!kernel.SequenceEqual(new long[] { 2, 2 }) || !strides.SequenceEqual(new long[] { 2, 2 }) || dilations.Any(d => d != 1))
        {
            throw c.Refuse($"kernel {NodeContext.Join(kernel)}, strides {NodeContext.Join(strides)}, dilations {NodeContext.Join(dilations)}", needed);
        }
        if (pads.Any(p => p != 0) || auto is not ("NOTSET" or "VALID") && !even)
        {
            throw c.Refuse($"padding (pads {NodeContext.Join(pads)}, auto_pad {auto})", "unpadded 2x2 windows");
        }
        if (c.Int("ceil_mode", 0) != 0 && !even)
        {
            throw c.Refuse($"ceil_mode on an odd {x.Shape.Height}x{x.Shape.Width} image", "floor rounding (the engine drops an odd last row and column)");
        }
        if (c.Int("storage_order", 0) != 0)
        {
            throw c.Refuse("storage_order 1", null);
        }
    }
}
