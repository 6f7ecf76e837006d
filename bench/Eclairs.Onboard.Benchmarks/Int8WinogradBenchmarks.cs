using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// The deck network's int8 classification and its conv2 (28x28, 32 -> 64) alone with the three convolution kernels
/// the plan can choose for it: direct, integer Winograd F(2x2, 3x3) and F(4x4, 3x3), plus F(4x4) with the following
/// 2x2 max pooling fused, against F(4x4) followed by the separate pooling. Auto path (Vector512 on AVX-512 CPUs).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MinColumn]
[MedianColumn]
public unsafe class Int8WinogradBenchmarks
{
    private Int8Context _direct = null!;
    private Int8Context _f2 = null!;
    private Int8Context _f4 = null!;
    private Int8LayerPlan _conv2Direct = null!;
    private Int8LayerPlan _conv2F2 = null!;
    private Int8LayerPlan _conv2F4 = null!;
    private sbyte[] _input = null!;
    private short[] _region = null!;
    private int[] _work = null!;
    private sbyte[] _output = null!;
    private sbyte[] _pooled = null!;
    private float[] _snr = null!;
    private byte[] _mask = null!;

    [GlobalSetup]
    public void Setup()
    {
        NetworkDescription network = Architectures.CnnV1();
        ModelDocument document = BenchModels.RandomDocument(network, 1);
        var calibration = new List<CalibrationInput>();
        for (int i = 0; i < 16; i++)
        {
            (float[] s, byte[] m) = BenchModels.Input(network.InputHeight, 100 + i);
            calibration.Add(new CalibrationInput(s, m));
        }
        ModelDocument quantized = Quantizer.Quantize(document, calibration);
        Int8Model direct = Int8Model.FromDocument(quantized, Int8KernelPath.Auto, maxWinogradTile: 0);
        Int8Model f2 = Int8Model.FromDocument(quantized, Int8KernelPath.Auto, maxWinogradTile: 2);
        Int8Model f4 = Int8Model.FromDocument(quantized, Int8KernelPath.Auto, maxWinogradTile: 4);
        (_direct, _f2, _f4) = (direct.CreateContext(), f2.CreateContext(), f4.CreateContext());
        _conv2Direct = direct.Steps.Where(s => s.Kind == Int8StepKind.Conv2D).ElementAt(1);
        _conv2F2 = f2.Steps.Where(s => s.Kind == Int8StepKind.Conv2D).ElementAt(1);
        _conv2F4 = f4.Steps.Where(s => s.Kind == Int8StepKind.Conv2D).ElementAt(1);
        (_snr, _mask) = BenchModels.Input(network.InputHeight, 2);
        // conv2's real input: the first pooled activation of this alert
        _f4.Classify(_snr, _mask);
        int pool1 = Enumerable.Range(0, _f4.StepCount).First(s => _f4.StepKind(s) == Int8StepKind.MaxPool2D);
        _input = _f4.StepOutput(pool1).ToArray();
        TensorShape i2 = _conv2F4.In;
        _region = System.GC.AllocateArray<short>((i2.Height + 2) * (i2.Width + 2) * 2 * _conv2F4.Pairs, pinned: true);
        _work = System.GC.AllocateArray<int>(Int8Winograd4.WorkspaceInts(_conv2F4.Pairs, _conv2F4.CoutPad), pinned: true);
        _output = System.GC.AllocateArray<sbyte>((int)_conv2F4.Out.Size, pinned: true);
        _pooled = System.GC.AllocateArray<sbyte>((int)_conv2F4.Out.Size / 4, pinned: true);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Classify")]
    public int ClassifyF2() => _f2.Classify(_snr, _mask).RawLogit;

    [Benchmark, BenchmarkCategory("Classify")]
    public int ClassifyDirect() => _direct.Classify(_snr, _mask).RawLogit;

    [Benchmark, BenchmarkCategory("Classify")]
    public int ClassifyF4() => _f4.Classify(_snr, _mask).RawLogit;

    [Benchmark(Baseline = true), BenchmarkCategory("Conv2")]
    public int Conv2F2()
    {
        fixed (sbyte* src = _input, dst = _output)
        fixed (short* region = _region)
        fixed (int* work = _work)
        {
            Int8Simd.Widen(src, _conv2F2.In, _conv2F2.InputZeroPoint, 1, region);
            switch (_conv2F2.Width)
            {
                case Int8KernelPath.Vector512:
                    Int8Winograd.Conv2D<Lanes512, System.Runtime.Intrinsics.Vector512<int>>(_conv2F2, region, work, dst, pool: false);
                    break;
                case Int8KernelPath.Vector256:
                    Int8Winograd.Conv2D<Lanes256, System.Runtime.Intrinsics.Vector256<int>>(_conv2F2, region, work, dst, pool: false);
                    break;
                default:
                    Int8Winograd.Conv2D<Lanes128, System.Runtime.Intrinsics.Vector128<int>>(_conv2F2, region, work, dst, pool: false);
                    break;
            }
        }
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("Conv2")]
    public int Conv2Direct()
    {
        fixed (sbyte* src = _input, dst = _output)
        fixed (short* region = _region)
        {
            Int8Simd.Widen(src, _conv2Direct.In, _conv2Direct.InputZeroPoint, 1, region);
            switch (_conv2Direct.Width)
            {
                case Int8KernelPath.Vector512:
                    Int8Simd.Conv2D<Lanes512, System.Runtime.Intrinsics.Vector512<int>>(_conv2Direct, region, dst);
                    break;
                case Int8KernelPath.Vector256:
                    Int8Simd.Conv2D<Lanes256, System.Runtime.Intrinsics.Vector256<int>>(_conv2Direct, region, dst);
                    break;
                default:
                    Int8Simd.Conv2D<Lanes128, System.Runtime.Intrinsics.Vector128<int>>(_conv2Direct, region, dst);
                    break;
            }
        }
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("Conv2")]
    public int Conv2F4()
    {
        fixed (sbyte* src = _input, dst = _output)
        fixed (short* region = _region)
        fixed (int* work = _work)
        {
            Int8Simd.Widen(src, _conv2F4.In, _conv2F4.InputZeroPoint, 1, region);
            Int8Winograd4.Conv2D(_conv2F4.Width, _conv2F4, region, work, dst, pool: false);
        }
        return _output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Conv2+Pool")]
    public int Conv2F4ThenPool()
    {
        fixed (sbyte* src = _input, dst = _output, pooled = _pooled)
        fixed (short* region = _region)
        fixed (int* work = _work)
        {
            Int8Simd.Widen(src, _conv2F4.In, _conv2F4.InputZeroPoint, 1, region);
            Int8Winograd4.Conv2D(_conv2F4.Width, _conv2F4, region, work, dst, pool: false);
            TensorShape o = _conv2F4.Out;
            Int8Simd.MaxPool2D(dst, o, pooled, new TensorShape(o.Height / 2, o.Width / 2, o.Channels));
        }
        return _pooled[0];
    }

    [Benchmark, BenchmarkCategory("Conv2+Pool")]
    public int Conv2F4Pooled()
    {
        fixed (sbyte* src = _input, pooled = _pooled)
        fixed (short* region = _region)
        fixed (int* work = _work)
        {
            Int8Simd.Widen(src, _conv2F4.In, _conv2F4.InputZeroPoint, 1, region);
            Int8Winograd4.Conv2D(_conv2F4.Width, _conv2F4, region, work, pooled, pool: true);
        }
        return _pooled[0];
    }
}
