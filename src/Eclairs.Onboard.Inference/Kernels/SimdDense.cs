using System.Runtime.CompilerServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Dense layer y = x · W + b, W stored [in][out], vectorised over outputs. At batch 1 it is bound by memory
/// bandwidth (every weight is used once), so a block of up to 8 output vectors walks the weight rows in order and each
/// weight is read exactly once; 8 independent accumulators also hide the FMA latency.
/// </summary>
internal static unsafe class SimdDense<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    public static void Run(float* input, int inputs, float* weights, float* bias, bool relu, float* output, int units)
    {
        int v = TOps.Count;
        int u = 0;
        for (; u + (8 * v) <= units; u += 8 * v)
        {
            Block8(input, inputs, weights + u, bias + u, relu, output + u, units);
        }
        for (; u + v <= units; u += v)
        {
            TVec c = TOps.Load(bias + u);
            float* w = weights + u;
            for (int i = 0; i < inputs; i++)
            {
                c = TOps.MultiplyAdd(TOps.Broadcast(input[i]), TOps.Load(w), c);
                w += units;
            }
            TOps.Store(output + u, relu ? TOps.Max(c, TOps.Zero) : c);
        }
        for (; u < units; u++)
        {
            float c = bias[u];
            float* w = weights + u;
            for (int i = 0; i < inputs; i++)
            {
                c += input[i] * *w;
                w += units;
            }
            output[u] = relu ? System.MathF.Max(c, 0f) : c;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8(float* input, int inputs, float* w, float* bias, bool relu, float* output, int units)
    {
        int v = TOps.Count;
        TVec c0 = TOps.Load(bias), c1 = TOps.Load(bias + v), c2 = TOps.Load(bias + (2 * v)), c3 = TOps.Load(bias + (3 * v));
        TVec c4 = TOps.Load(bias + (4 * v)), c5 = TOps.Load(bias + (5 * v)), c6 = TOps.Load(bias + (6 * v)), c7 = TOps.Load(bias + (7 * v));
        for (int i = 0; i < inputs; i++)
        {
            TVec x = TOps.Broadcast(input[i]);
            c0 = TOps.MultiplyAdd(x, TOps.Load(w), c0);
            c1 = TOps.MultiplyAdd(x, TOps.Load(w + v), c1);
            c2 = TOps.MultiplyAdd(x, TOps.Load(w + (2 * v)), c2);
            c3 = TOps.MultiplyAdd(x, TOps.Load(w + (3 * v)), c3);
            c4 = TOps.MultiplyAdd(x, TOps.Load(w + (4 * v)), c4);
            c5 = TOps.MultiplyAdd(x, TOps.Load(w + (5 * v)), c5);
            c6 = TOps.MultiplyAdd(x, TOps.Load(w + (6 * v)), c6);
            c7 = TOps.MultiplyAdd(x, TOps.Load(w + (7 * v)), c7);
            w += units;
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
