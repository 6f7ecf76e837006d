using System;
using System.Linq;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// Flatten, Reshape, Transpose, Squeeze and Unsqueeze: they move no value in the engine (activations stay NHWC) but
/// change which ONNX element is which engine element; that mapping is carried in the symbol and applied to the next
/// dense kernel. Flattening an image of more than one pixel is the engine's (free) Flatten layer.
/// </summary>
internal static class LayoutOps
{
    public static Sym Flatten(NodeContext c)
    {
        c.AllowAttributes("axis");
        FeatureSym x = c.Feature(0, "input");
        if (ConstantFolding.Normalize(c.Int("axis", 1), x.Dims().Length, false) != 1)
        {
            throw c.Refuse($"Flatten on axis {c.Int("axis", 1)}", "Flatten(axis = 1): the batch axis kept, the rest in one vector");
        }
        return ToVector(c, x);
    }

    public static Sym Reshape(NodeContext c)
    {
        c.AllowAttributes("allowzero");
        Sym input = c.Input(0);
        OnnxTensor shape = c.RequireConst(1, "target shape");
        if (input is not FeatureSym x)
        {
            throw c.Refuse("Reshape of the SNR or mask input", "the input planes as given");
        }
        long[] from = x.Dims();
        long[] to = ConstantFolding.ReshapeTarget(c, from, shape.ToInt64s());
        if (to.SequenceEqual(from))
        {
            return Keep(c, x);
        }
        if (to.Length == 2 && to[0] == 1)
        {
            return ToVector(c, x);
        }
        if (!x.IsImage && to.Length == 4 && to.SequenceEqual(new long[] { 1, x.Shape.Size, 1, 1 }) && x.Order == null)
        {
            return Keep(c, x) with { Axes = FeatureSym.Nchw };
        }
        throw c.Refuse($"Reshape of {NodeContext.Join(from)} to {NodeContext.Join(to)}",
            "a flattening Reshape (to [1, -1]) or [1, N] to [1, N, 1, 1]: the engine's activations are NHWC images and vectors");
    }

    public static Sym Transpose(NodeContext c)
    {
        c.AllowAttributes("perm");
        Sym input = c.Input(0);
        long[] perm = c.Ints("perm") ?? [3, 2, 1, 0];
        switch (input)
        {
            case FeatureSym { IsImage: true } x when perm.Length == 4 && perm[0] == 0:
                return Keep(c, x) with { Axes = perm.Select(p => x.Axes![p]).ToArray() };
            case FeatureSym { IsImage: false } x when perm.SequenceEqual(new long[] { 0, 1 }):
                return Keep(c, x);
            case SnrSym or MaskSym when perm.SequenceEqual(new long[] { 0, 3, 1, 2 }) || perm.SequenceEqual(new long[] { 0, 2, 3, 1 }):
                return TransposePlane(c, input, perm);
        }
        throw c.Refuse($"Transpose with perm {NodeContext.Join(perm)}", "a permutation that keeps the batch axis first");
    }

    public static Sym Squeeze(NodeContext c)
    {
        c.AllowAttributes("axes");
        FeatureSym x = c.Feature(0, "input");
        long[] from = x.Dims();
        long[]? axes = c.Ints("axes") ?? c.ConstInput(1)?.ToInt64s();
        long[] to = from.Where((d, i) => axes == null ? d != 1 || i == 0 : !axes.Select(a => ConstantFolding.Normalize(a, from.Length, false)).Contains(i)).ToArray();
        if (x.IsImage && x.Shape.Height == 1 && x.Shape.Width == 1 && to.Length == 2 && to[0] == 1)
        {
            return Keep(c, x) with { Axes = null };
        }
        throw c.Refuse($"Squeeze of {NodeContext.Join(from)} to {NodeContext.Join(to)}", "a Squeeze of a 1x1 image to a [1, C] vector");
    }

    public static Sym Unsqueeze(NodeContext c)
    {
        c.AllowAttributes("axes");
        FeatureSym x = c.Feature(0, "input");
        long[] axes = (c.Ints("axes") ?? c.ConstInput(1)?.ToInt64s() ?? []).Select(a => ConstantFolding.Normalize(a, 4, false)).Order().ToArray();
        if (!x.IsImage && x.Order == null && axes.SequenceEqual(new long[] { 2, 3 }))
        {
            return Keep(c, x) with { Axes = FeatureSym.Nchw };
        }
        throw c.Refuse($"Unsqueeze on axes {NodeContext.Join(axes)}", "an Unsqueeze of a [1, N] vector to [1, N, 1, 1]");
    }

    /// <summary>
    /// The tensor flattened in its own axis order; element p is the engine's element Order[p]. An image of more than
    /// one pixel becomes the engine's Flatten layer (which reads NHWC as is).
    /// </summary>
    public static FeatureSym ToVector(NodeContext c, FeatureSym x)
    {
        if (!x.IsImage)
        {
            return Keep(c, x);
        }
        int[] order = EngineOrder(x);
        bool identity = order.Select((e, p) => e == p).All(same => same);
        FeatureSym vector = Keep(c, x) with { Axes = null, Order = identity ? null : order };
        if (x.Shape.Height * x.Shape.Width == 1)
        {
            return vector;
        }
        var layer = new ImportedLayer(new FlattenLayer(), x.Shape, new TensorShape(1, 1, (int)x.Shape.Size), c.Name);
        FeatureSym flattened = c.State.Append(c, x, layer, axes: null);
        return flattened with { Order = vector.Order };
    }

    /// <summary>For each element of the tensor in its own order, the engine's NHWC index.</summary>
    public static int[] EngineOrder(FeatureSym x)
    {
        TensorShape s = x.Shape;
        long[] dims = x.Dims();
        var order = new int[s.Size];
        long[] strides = ConstantFolding.Strides(dims);
        var semantic = new long[4];
        for (int p = 0; p < order.Length; p++)
        {
            for (int a = 0; a < 4; a++)
            {
                semantic[x.Axes![a]] = p / strides[a] % dims[a];
            }
            order[p] = (int)((((semantic[2] * s.Width) + semantic[3]) * s.Channels) + semantic[1]);
        }
        return order;
    }

    private static FeatureSym Keep(NodeContext c, FeatureSym x) => x with { Exclusive = x.Exclusive && c.InputIsExclusive(0) };

    private static Sym TransposePlane(NodeContext c, Sym plane, long[] perm)
    {
        (PlaneLayout layout, long[] dims) = plane switch
        {
            SnrSym s => (s.Layout, s.Dims),
            MaskSym m => (m.Layout, m.Dims),
            _ => throw new InvalidOperationException(),
        };
        bool toNchw = perm[1] == 3;
        if ((layout == PlaneLayout.Nchw) == toNchw)
        {
            throw c.Refuse($"Transpose with perm {NodeContext.Join(perm)} of a plane already in that layout", null);
        }
        long[] newDims = perm.Select(p => dims[p]).ToArray();
        PlaneLayout newLayout = toNchw ? PlaneLayout.Nchw : PlaneLayout.Nhwc;
        return plane switch
        {
            SnrSym s => s with { Layout = newLayout, Dims = newDims },
            MaskSym m => m with { Layout = newLayout, Dims = newDims },
            _ => plane,
        };
    }
}
