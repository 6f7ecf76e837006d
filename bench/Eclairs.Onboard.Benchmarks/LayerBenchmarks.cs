using System;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// The deck network's three heavy layers alone, scalar reference vs each SIMD width: conv1 (56x56, 2 -> 32),
/// conv2 (28x28, 32 -> 64) direct and Winograd F(2x2, 3x3) (what the SIMD paths run), and dense (12544 -> 128).
/// Convolutions read pre-padded input, as the plan arranges, and are not pooled here. The scalar row of
/// Conv2Winograd is the same reference kernel as Conv2.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public unsafe class LayerBenchmarks
{
    private float[] _input = null!;
    private float[] _padded = null!;
    private float[] _weights = null!;
    private float[] _bias = null!;
    private float[] _output = null!;
    private TensorShape _in;
    private TensorShape _out;
    private int _kernel;
    private float[] _transformed = null!;
    private float[] _workspace = null!;

    [Params("Conv1", "Conv2", "Conv2Winograd", "Dense")]
    public string Layer { get; set; } = "Conv1";

    [Params(KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512)]
    public KernelPath Path { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_in, _out, _kernel) = Layer switch
        {
            "Conv1" => (new TensorShape(56, 56, 2), new TensorShape(56, 56, 32), 3),
            "Conv2" or "Conv2Winograd" => (new TensorShape(28, 28, 32), new TensorShape(28, 28, 64), 3),
            _ => (new TensorShape(1, 1, 12544), new TensorShape(1, 1, 128), 0),
        };
        var random = new Random(1);
        _input = Fill(random, (int)_in.Size);
        _padded = GC.AllocateArray<float>((_in.Height + 2) * (_in.Width + 2) * _in.Channels, pinned: true);
        for (int y = 0; y < _in.Height; y++)
        {
            _input.AsSpan(y * _in.Width * _in.Channels, _in.Width * _in.Channels)
                .CopyTo(_padded.AsSpan((((y + 1) * (_in.Width + 2)) + 1) * _in.Channels));
        }
        int weights = _kernel == 0 ? _in.Channels * _out.Channels : _kernel * _kernel * _in.Channels * _out.Channels;
        _weights = Fill(random, weights);
        _bias = Fill(random, _out.Channels);
        _output = GC.AllocateArray<float>((int)_out.Size, pinned: true);
        _transformed = GC.AllocateArray<float>(Winograd.TransformedSize(_in.Channels, _out.Channels), pinned: true);
        _workspace = GC.AllocateArray<float>(Winograd.WorkspaceSize(_in.Channels, _out.Channels), pinned: true);
        if (_kernel == 3)
        {
            Winograd.TransformWeights(_weights, _in.Channels, _out.Channels, _transformed);
        }
    }

    [Benchmark]
    public float Run()
    {
        fixed (float* input = _input, padded = _padded, weights = _weights, bias = _bias, output = _output,
            transformed = _transformed, workspace = _workspace)
        {
            if (_kernel == 0)
            {
                Dense(input, weights, bias, output);
            }
            else if (Path == KernelPath.Scalar)
            {
                ReferenceKernels.Conv2D(_input, _in, _weights, _bias, _kernel, 1, true, _output, _out);
            }
            else
            {
                var args = new ConvArguments(padded, _in.Width + 2, _in.Channels, weights, bias, _kernel, output, _out.Height, _out.Width, _out.Channels, true,
                    _out.Width * _out.Channels, pool: false, KernelSelector.FloatTileVectors(KernelSelector.Lanes(Path, NumberFormat.Float32)));
                if (Layer == "Conv2Winograd")
                {
                    RunWinograd(args, transformed, workspace);
                    return output[0];
                }
                switch (Path)
                {
                    case KernelPath.Vector512:
                        SimdConv2D<Ops512, Vector512<float>>.Run(args);
                        break;
                    case KernelPath.Vector256:
                        SimdConv2D<Ops256, Vector256<float>>.Run(args);
                        break;
                    default:
                        SimdConv2D<Ops128, Vector128<float>>.Run(args);
                        break;
                }
            }
            return output[0];
        }
    }

    private void RunWinograd(in ConvArguments args, float* transformed, float* workspace)
    {
        switch (Path)
        {
            case KernelPath.Vector512:
                SimdWinograd<Ops512, Vector512<float>>.Run(args, transformed, workspace);
                break;
            case KernelPath.Vector256:
                SimdWinograd<Ops256, Vector256<float>>.Run(args, transformed, workspace);
                break;
            default:
                SimdWinograd<Ops128, Vector128<float>>.Run(args, transformed, workspace);
                break;
        }
    }

    private void Dense(float* input, float* weights, float* bias, float* output)
    {
        int n = _in.Channels, units = _out.Channels;
        switch (Path)
        {
            case KernelPath.Scalar:
                ReferenceKernels.Dense(_input, n, _weights, _bias, true, _output, units);
                break;
            case KernelPath.Vector512:
                SimdDense<Ops512, Vector512<float>>.Run(input, n, weights, bias, true, output, units);
                break;
            case KernelPath.Vector256:
                SimdDense<Ops256, Vector256<float>>.Run(input, n, weights, bias, true, output, units);
                break;
            default:
                SimdDense<Ops128, Vector128<float>>.Run(input, n, weights, bias, true, output, units);
                break;
        }
    }

    private static float[] Fill(Random random, int length)
    {
        float[] values = GC.AllocateArray<float>(length, pinned: true);
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return values;
    }
}
