using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onnx.Protobuf;
using DataType = Eclairs.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Eclairs.Onnx;

/// <summary>
/// Evaluates the small constant subgraphs exporters leave around reshapes (<c>x.view(x.size(0), -1)</c> becomes
/// Shape, Gather, Unsqueeze, Concat, Reshape in torch.onnx) and Constant nodes, so that what reaches the layer
/// translators is a constant.
/// </summary>
internal static class ConstantFolding
{
    private static readonly HashSet<string> Foldable = new(StringComparer.Ordinal)
    {
        "Identity", "Cast", "Unsqueeze", "Squeeze", "Concat", "Gather", "Reshape", "Slice", "Mul", "Add", "Sub", "Div", "Neg",
        "Transpose", "Flatten",
    };

    /// <summary>The folded value, or null when the node is not a constant computation.</summary>
    public static Sym? TryFold(NodeContext c)
    {
        switch (c.OpType)
        {
            case "Constant":
                return new ConstSym(ConstantValue(c));
            case "Shape":
                return new ConstSym(ShapeOf(c));
            case "ConstantOfShape":
                if (c.ConstInput(0) is { } shape)
                {
                    long[] dims = shape.ToInt64s();
                    OnnxTensor fill = c.Attribute("value")?.T is { } t ? OnnxTensor.Decode(t, "ConstantOfShape value") : new OnnxTensor([1], DataType.Float, [0]);
                    return new ConstSym(new OnnxTensor(dims, fill.Type, Enumerable.Repeat(fill.Values[0], (int)OnnxTensor.ElementCount(dims)).ToArray()));
                }
                return null;
        }
        if (!Foldable.Contains(c.OpType) || c.InputCount == 0)
        {
            return null;
        }
        var inputs = new OnnxTensor[c.InputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!c.HasInput(i))
            {
                continue;
            }
            if (c.ConstInput(i) is not { } t)
            {
                return null;
            }
            inputs[i] = t;
        }
        return new ConstSym(Fold(c, inputs));
    }

    private static OnnxTensor ConstantValue(NodeContext c)
    {
        AttributeProto? a = c.Node.Attribute.FirstOrDefault();
        return a?.Name switch
        {
            "value" => OnnxTensor.Decode(a.T, $"Constant '{c.Name}'"),
            "value_float" => new OnnxTensor([], DataType.Float, [a.F]),
            "value_floats" => new OnnxTensor([a.Floats.Count], DataType.Float, a.Floats.Select(v => (double)v).ToArray()),
            "value_int" => new OnnxTensor([], DataType.Int64, [a.I]),
            "value_ints" => new OnnxTensor([a.Ints.Count], DataType.Int64, a.Ints.Select(v => (double)v).ToArray()),
            _ => throw c.Refuse($"Constant with attribute '{a?.Name}'", "a numeric constant (value, value_float(s), value_int(s))"),
        };
    }

    private static OnnxTensor ShapeOf(NodeContext c)
    {
        long[] dims = c.Input(0) switch
        {
            FeatureSym f => f.Dims(),
            SnrSym s => s.Dims,
            MaskSym m => m.Dims,
            MaskTestSym m => m.Dims,
            ConstSym k => k.Tensor.Dims,
            _ => throw c.Refuse("shape of an unknown value", null),
        };
        long start = Normalize(c.Int("start", 0), dims.Length, clamp: true);
        long end = Normalize(c.Int("end", dims.Length), dims.Length, clamp: true);
        return OnnxTensor.Int64s(dims.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray());
    }

    private static OnnxTensor Fold(NodeContext c, OnnxTensor[] x)
    {
        switch (c.OpType)
        {
            case "Identity":
                return x[0];
            case "Cast":
                var to = (DataType)c.Int("to", (long)DataType.Float);
                bool integer = to is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8 or DataType.Uint8 or DataType.Bool;
                return new OnnxTensor(x[0].Dims, to, integer ? x[0].Values.Select(Math.Truncate).ToArray()
                    : to == DataType.Float ? x[0].Values.Select(v => (double)(float)v).ToArray() : x[0].Values);
            case "Neg":
                return new OnnxTensor(x[0].Dims, x[0].Type, x[0].Values.Select(v => -v).ToArray());
            case "Unsqueeze":
            {
                long[] axes = c.Ints("axes") ?? x[1].ToInt64s();
                var dims = x[0].Dims.ToList();
                int rank = dims.Count + axes.Length;
                foreach (long a in axes.Select(a => Normalize(a, rank, clamp: false)).Order())
                {
                    dims.Insert((int)a, 1);
                }
                return new OnnxTensor([.. dims], x[0].Type, x[0].Values);
            }
            case "Squeeze":
            {
                long[]? axes = c.Ints("axes") ?? (x.Length > 1 && x[1] != null ? x[1].ToInt64s() : null);
                long[] dims = x[0].Dims;
                var keep = dims.Where((d, i) => axes == null ? d != 1 : !axes.Select(a => Normalize(a, dims.Length, false)).Contains(i)).ToArray();
                return new OnnxTensor(keep, x[0].Type, x[0].Values);
            }
            case "Concat":
            {
                if (x.Any(t => t.Rank != 1))
                {
                    throw c.Refuse("folding a Concat of constants of rank other than 1", null);
                }
                return new OnnxTensor([x.Sum(t => t.Dims[0])], x[0].Type, x.SelectMany(t => t.Values).ToArray());
            }
            case "Gather":
            {
                if (x[0].Rank != 1 || c.Int("axis", 0) != 0)
                {
                    throw c.Refuse("folding a Gather of a constant of rank other than 1", null);
                }
                double[] picked = x[1].Values.Select(i => x[0].Values[(int)Normalize((long)i, x[0].Values.Length, false)]).ToArray();
                return new OnnxTensor(x[1].Dims, x[0].Type, picked);
            }
            case "Slice":
            {
                if (x[0].Rank != 1)
                {
                    throw c.Refuse("folding a Slice of a constant of rank other than 1", null);
                }
                long n = x[0].Values.Length;
                long start = c.Ints("starts")?[0] ?? x[1].ToInt64s()[0];
                long end = c.Ints("ends")?[0] ?? x[2].ToInt64s()[0];
                long step = x.Length > 4 && x[4] != null ? x[4].ToInt64s()[0] : 1;
                if (step != 1)
                {
                    throw c.Refuse("folding a Slice with a step other than 1", null);
                }
                start = Normalize(start, n, clamp: true);
                end = Normalize(Math.Min(end, n), n, clamp: true);
                double[] part = x[0].Values.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray();
                return new OnnxTensor([part.Length], x[0].Type, part);
            }
            case "Reshape":
            {
                long[] shape = ReshapeTarget(c, x[0].Dims, x[1].ToInt64s());
                return new OnnxTensor(shape, x[0].Type, x[0].Values);
            }
            case "Flatten":
            {
                long axis = Normalize(c.Int("axis", 1), x[0].Rank, false);
                long outer = x[0].Dims.Take((int)axis).Aggregate(1L, (a, d) => a * d);
                return new OnnxTensor([outer, OnnxTensor.ElementCount(x[0].Dims) / Math.Max(1, outer)], x[0].Type, x[0].Values);
            }
            case "Transpose":
                return Transpose(x[0], c.Ints("perm") ?? Enumerable.Range(0, x[0].Rank).Reverse().Select(i => (long)i).ToArray());
            default:
                return Arithmetic(c, x[0], x[1]);
        }
    }

    /// <summary>The shape a Reshape produces (0 copies the input dimension unless allowzero; one -1 is inferred).</summary>
    public static long[] ReshapeTarget(NodeContext c, long[] input, long[] requested)
    {
        bool allowZero = c.Int("allowzero", 0) != 0;
        var shape = new long[requested.Length];
        int infer = -1;
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = requested[i] == 0 && !allowZero ? (i < input.Length ? input[i] : throw c.Refuse("Reshape copies a dimension that does not exist", null)) : requested[i];
            if (shape[i] == -1)
            {
                if (infer >= 0)
                {
                    throw c.Refuse("Reshape with two -1 dimensions", null);
                }
                infer = i;
            }
        }
        long total = OnnxTensor.ElementCount(input);
        if (infer >= 0)
        {
            long known = shape.Where((d, i) => i != infer).Aggregate(1L, (a, d) => a * d);
            shape[infer] = known == 0 ? 0 : total / known;
        }
        if (OnnxTensor.ElementCount(shape) != total)
        {
            throw c.Refuse($"Reshape of {NodeContext.Join(input)} to {NodeContext.Join(requested)} changes the element count", null);
        }
        return shape;
    }

    public static OnnxTensor Transpose(OnnxTensor t, long[] perm)
    {
        long[] dims = perm.Select(p => t.Dims[p]).ToArray();
        var values = new double[t.Values.Length];
        long[] strides = Strides(t.Dims);
        long[] outStrides = Strides(dims);
        for (long o = 0; o < values.Length; o++)
        {
            long rest = o, source = 0;
            for (int a = 0; a < dims.Length; a++)
            {
                long index = rest / outStrides[a];
                rest %= outStrides[a];
                source += index * strides[perm[a]];
            }
            values[o] = t.Values[source];
        }
        return new OnnxTensor(dims, t.Type, values);
    }

    public static long[] Strides(long[] dims)
    {
        var strides = new long[dims.Length];
        long s = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    public static long Normalize(long axis, long rank, bool clamp)
    {
        long a = axis < 0 ? axis + rank : axis;
        return clamp ? Math.Clamp(a, 0, rank) : a;
    }

    private static OnnxTensor Arithmetic(NodeContext c, OnnxTensor a, OnnxTensor b)
    {
        Func<double, double, double> op = c.OpType switch
        {
            "Mul" => (p, q) => p * q,
            "Add" => (p, q) => p + q,
            "Sub" => (p, q) => p - q,
            _ => a.IsInteger ? (p, q) => Math.Truncate(p / q) : (p, q) => p / q,
        };
        OnnxTensor big = a.Values.Length >= b.Values.Length ? a : b;
        if (Math.Min(a.Values.Length, b.Values.Length) != 1 && a.Values.Length != b.Values.Length)
        {
            throw c.Refuse("folding a broadcast other than by a scalar", null);
        }
        var values = new double[big.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double p = a.Values[a.Values.Length == 1 ? 0 : i], q = b.Values[b.Values.Length == 1 ? 0 : i];
            values[i] = a.Type == DataType.Float ? (float)op(p, q) : op(p, q);
        }
        return new OnnxTensor(big.Dims, a.Type, values);
    }
}
