using System;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// The deck network's dense layer (12544 -> 128) walking every weight row against walking only the rows of non-zero
/// inputs, at the zero fractions of its real input (96.6 % on average over 300 simulated alerts, 93.5 % the least) and
/// at the worst cases for the skip (half, and none): what the row list costs when it saves nothing.
/// </summary>
[MinColumn]
[MedianColumn]
public unsafe class SparseDenseBenchmarks
{
    private const int Inputs = 12544, Units = 128;
    private float[] _input = null!;
    private float[] _weights = null!;
    private float[] _bias = null!;
    private float[] _output = null!;
    private int[] _rows = null!;

    [Params(0.0, 0.5, 0.935, 0.966)]
    public double ZeroFraction { get; set; }

    [Params(KernelPath.Vector256, KernelPath.Vector512)]
    public KernelPath Path { get; set; }

    [Params("EveryRow", "NonZeroRows")]
    public string Walk { get; set; } = "NonZeroRows";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _input = GC.AllocateArray<float>(Inputs, pinned: true);
        for (int i = 0; i < Inputs; i++)
        {
            _input[i] = random.NextDouble() < ZeroFraction ? 0f : (float)(random.NextDouble() + 0.01);
        }
        _weights = GC.AllocateArray<float>(Inputs * Units, pinned: true);
        for (int i = 0; i < _weights.Length; i++)
        {
            _weights[i] = (float)((random.NextDouble() * 2) - 1);
        }
        _bias = GC.AllocateArray<float>(Units, pinned: true);
        _output = GC.AllocateArray<float>(Units, pinned: true);
        _rows = GC.AllocateArray<int>(Inputs, pinned: true);
    }

    [Benchmark]
    public float Run()
    {
        fixed (float* input = _input, weights = _weights, bias = _bias, output = _output)
        fixed (int* rows = _rows)
        {
            bool skip = Walk == "NonZeroRows";
            switch (Path)
            {
                case KernelPath.Vector512 when skip:
                    SimdDense<Ops512, Vector512<float>>.Run(input, Inputs, weights, bias, true, output, Units, rows);
                    break;
                case KernelPath.Vector512:
                    SimdDense<Ops512, Vector512<float>>.Run(input, Inputs, weights, bias, true, output, Units);
                    break;
                case KernelPath.Vector256 when skip:
                    SimdDense<Ops256, Vector256<float>>.Run(input, Inputs, weights, bias, true, output, Units, rows);
                    break;
                default:
                    SimdDense<Ops256, Vector256<float>>.Run(input, Inputs, weights, bias, true, output, Units);
                    break;
            }
            return output[0];
        }
    }
}
