using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// The core's ceiling for each number format's inner product, independent of any kernel: eight independent
/// accumulators (no dependency chain limits them), 1,000 steps per call. Int8 exact: VPMADDWD + VPADDD (what the int8
/// kernels run per 2 x Lanes multiply-accumulates; there is no VPDPWSSD/VPDPBUSD in .NET 10 for AVX-512 VNNI);
/// float: VFMADD. Report MACs per ns = MACs per call / time. Runs where AVX-512 (zmm) and AVX2 (ymm) exist.
/// </summary>
public class MacRateBenchmarks
{
    private const int Steps = 1000;
    private Vector512<short> _w0, _w1, _w2, _w3;
    private Vector512<float> _f0, _f1, _f2, _f3;

    [GlobalSetup]
    public void Setup()
    {
        (_w0, _w1, _w2, _w3) = (Vector512.Create((short)3), Vector512.Create((short)-5), Vector512.Create((short)7), Vector512.Create((short)11));
        (_f0, _f1, _f2, _f3) = (Vector512.Create(0.5f), Vector512.Create(-0.25f), Vector512.Create(0.125f), Vector512.Create(1e-3f));
    }

    /// <summary>8 x 1,000 VPMADDWD zmm + VPADDD zmm: 256,000 exact int16 multiply-accumulates per call.</summary>
    [Benchmark(Baseline = true)]
    public Vector512<int> Int16PairsZmm()
    {
        if (!Avx512BW.IsSupported)
        {
            return default;
        }
        Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<short> x = Vector512.Create((short)1), y = Vector512.Create((short)2);
        for (int i = 0; i < Steps; i++)
        {
            a0 = Avx512F.Add(a0, Avx512BW.MultiplyAddAdjacent(x, _w0));
            a1 = Avx512F.Add(a1, Avx512BW.MultiplyAddAdjacent(x, _w1));
            a2 = Avx512F.Add(a2, Avx512BW.MultiplyAddAdjacent(x, _w2));
            a3 = Avx512F.Add(a3, Avx512BW.MultiplyAddAdjacent(x, _w3));
            a4 = Avx512F.Add(a4, Avx512BW.MultiplyAddAdjacent(y, _w0));
            a5 = Avx512F.Add(a5, Avx512BW.MultiplyAddAdjacent(y, _w1));
            a6 = Avx512F.Add(a6, Avx512BW.MultiplyAddAdjacent(y, _w2));
            a7 = Avx512F.Add(a7, Avx512BW.MultiplyAddAdjacent(y, _w3));
            x = Avx512BW.Add(x, _w0);
            y = Avx512BW.Add(y, _w1);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    }

    /// <summary>8 x 1,000 VPMADDWD ymm + VPADDD ymm: 128,000 exact int16 multiply-accumulates per call.</summary>
    [Benchmark]
    public Vector256<int> Int16PairsYmm()
    {
        if (!Avx2.IsSupported)
        {
            return default;
        }
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector256<short> x = Vector256.Create((short)1), y = Vector256.Create((short)2);
        Vector256<short> w0 = _w0.GetLower(), w1 = _w1.GetLower(), w2 = _w2.GetLower(), w3 = _w3.GetLower();
        for (int i = 0; i < Steps; i++)
        {
            a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(x, w0));
            a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(x, w1));
            a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(x, w2));
            a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(x, w3));
            a4 = Avx2.Add(a4, Avx2.MultiplyAddAdjacent(y, w0));
            a5 = Avx2.Add(a5, Avx2.MultiplyAddAdjacent(y, w1));
            a6 = Avx2.Add(a6, Avx2.MultiplyAddAdjacent(y, w2));
            a7 = Avx2.Add(a7, Avx2.MultiplyAddAdjacent(y, w3));
            x = Avx2.Add(x, w0);
            y = Avx2.Add(y, w1);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    }

    /// <summary>8 x 1,000 VFMADD zmm: 128,000 float multiply-accumulates per call.</summary>
    [Benchmark]
    public Vector512<float> FloatFmaZmm()
    {
        if (!Avx512F.IsSupported)
        {
            return default;
        }
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> x = Vector512.Create(1f), y = Vector512.Create(2f);
        for (int i = 0; i < Steps; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(x, _f0, a0);
            a1 = Avx512F.FusedMultiplyAdd(x, _f1, a1);
            a2 = Avx512F.FusedMultiplyAdd(x, _f2, a2);
            a3 = Avx512F.FusedMultiplyAdd(x, _f3, a3);
            a4 = Avx512F.FusedMultiplyAdd(y, _f0, a4);
            a5 = Avx512F.FusedMultiplyAdd(y, _f1, a5);
            a6 = Avx512F.FusedMultiplyAdd(y, _f2, a6);
            a7 = Avx512F.FusedMultiplyAdd(y, _f3, a7);
            x = Avx512F.Add(x, _f3);
            y = Avx512F.Add(y, _f2);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    }
}
