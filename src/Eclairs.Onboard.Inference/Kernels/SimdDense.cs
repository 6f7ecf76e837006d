using System.Runtime.CompilerServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Dense layer y = x · W + b, W stored [in][out], vectorised over outputs. At batch 1 it is bound by memory
/// bandwidth (every weight is used once), so a block of up to 8 output vectors walks the weight rows in order and each
/// weight is read at most once; 8 independent accumulators also hide the FMA latency. Only the rows of the non-zero
/// inputs are walked (<see cref="NonZeroRows"/>, found once per call into the plan's workspace): the same sums in the
/// same order, without the terms that add zero.
/// </summary>
internal static unsafe class SimdDense<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    /// <summary>Every row, in order: the per-pixel products of a pointwise convolution, whose inputs are few.</summary>
    public static void Run(float* input, int inputs, float* weights, float* bias, bool relu, float* output, int units) =>
        Walk(input, new AllRows(), inputs, weights, bias, relu, output, units);

    /// <summary>
    /// The rows of the non-zero inputs only, when at least a quarter of them are zero; else every row, since walking
    /// a list of nearly all rows costs more than it saves (12544 x 128 with no zero input: 98 against 76 us at 512
    /// bits, docs/benchmarks.md). <paramref name="rows"/> has room for <paramref name="inputs"/> indices (<see cref="NonZeroRows.WorkspaceElements"/>).
    /// </summary>
    public static void Run(float* input, int inputs, float* weights, float* bias, bool relu, float* output, int units, int* rows)
    {
        int count = NonZeroRows.Find(input, inputs, rows);
        if (NonZeroRows.WorthListing(count, inputs))
        {
            Walk(input, new ListedRows(rows), count, weights, bias, relu, output, units);
        }
        else
        {
            Walk(input, new AllRows(), inputs, weights, bias, relu, output, units);
        }
    }

    private static void Walk<TRows>(float* input, TRows rows, int count, float* weights, float* bias, bool relu, float* output, int units)
        where TRows : struct, IRows
    {
        int v = TOps.Count;
        int u = 0;
        for (; u + (8 * v) <= units; u += 8 * v)
        {
            Block8(input, rows, count, weights + u, bias + u, relu, output + u, units);
        }
        for (; u + v <= units; u += v)
        {
            TVec c = TOps.Load(bias + u);
            for (int r = 0; r < count; r++)
            {
                int i = rows.Row(r);
                c = TOps.MultiplyAdd(TOps.Broadcast(input[i]), TOps.Load(weights + u + ((long)i * units)), c);
            }
            TOps.Store(output + u, relu ? TOps.Max(c, TOps.Zero) : c);
        }
        for (; u < units; u++)
        {
            float c = bias[u];
            for (int r = 0; r < count; r++)
            {
                int i = rows.Row(r);
                c += input[i] * weights[u + ((long)i * units)];
            }
            output[u] = relu ? System.MathF.Max(c, 0f) : c;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8<TRows>(float* input, TRows rows, int count, float* weights, float* bias, bool relu, float* output, int units)
        where TRows : struct, IRows
    {
        int v = TOps.Count;
        TVec c0 = TOps.Load(bias), c1 = TOps.Load(bias + v), c2 = TOps.Load(bias + (2 * v)), c3 = TOps.Load(bias + (3 * v));
        TVec c4 = TOps.Load(bias + (4 * v)), c5 = TOps.Load(bias + (5 * v)), c6 = TOps.Load(bias + (6 * v)), c7 = TOps.Load(bias + (7 * v));
        for (int r = 0; r < count; r++)
        {
            int i = rows.Row(r);
            float* w = weights + ((long)i * units);
            TVec x = TOps.Broadcast(input[i]);
            c0 = TOps.MultiplyAdd(x, TOps.Load(w), c0);
            c1 = TOps.MultiplyAdd(x, TOps.Load(w + v), c1);
            c2 = TOps.MultiplyAdd(x, TOps.Load(w + (2 * v)), c2);
            c3 = TOps.MultiplyAdd(x, TOps.Load(w + (3 * v)), c3);
            c4 = TOps.MultiplyAdd(x, TOps.Load(w + (4 * v)), c4);
            c5 = TOps.MultiplyAdd(x, TOps.Load(w + (5 * v)), c5);
            c6 = TOps.MultiplyAdd(x, TOps.Load(w + (6 * v)), c6);
            c7 = TOps.MultiplyAdd(x, TOps.Load(w + (7 * v)), c7);
        }
        if (relu)
        {
            c0 = TOps.Max(c0, TOps.Zero);
            c1 = TOps.Max(c1, TOps.Zero);
            c2 = TOps.Max(c2, TOps.Zero);
            c3 = TOps.Max(c3, TOps.Zero);
            c4 = TOps.Max(c4, TOps.Zero);
            c5 = TOps.Max(c5, TOps.Zero);
            c6 = TOps.Max(c6, TOps.Zero);
            c7 = TOps.Max(c7, TOps.Zero);
        }
        TOps.Store(output, c0);
        TOps.Store(output + v, c1);
        TOps.Store(output + (2 * v), c2);
        TOps.Store(output + (3 * v), c3);
        TOps.Store(output + (4 * v), c4);
        TOps.Store(output + (5 * v), c5);
        TOps.Store(output + (6 * v), c6);
        TOps.Store(output + (7 * v), c7);
    }
}
