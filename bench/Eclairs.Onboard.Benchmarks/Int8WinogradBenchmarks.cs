using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;

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
public class Int8WinogradBenchmarks
{
    private Int8Context _direct = null!;
    private Int8Context _f2 = null!;
    private Int8Context _f4 = null!;
    private Int8Context _directEvery = null!;
    private Int8Context _f2Every = null!;
    private Int8Context _f4Every = null!;
    private int _conv2;
    private int _pool2;
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
        Int8Context Context(int tile, bool every) =>
            Int8Model.FromDocument(quantized, new ModelOptions { MaxWinogradTile = tile, KeepEveryStep = every }).CreateContext();
        (_direct, _f2, _f4) = (Context(0, false), Context(2, false), Context(4, false));
        (_directEvery, _f2Every, _f4Every) = (Context(0, true), Context(2, true), Context(4, true));
        _conv2 = Enumerable.Range(0, _f4.StepCount).Where(s => _f4.StepKind(s) == Int8StepKind.Conv2D).ElementAt(1);
        _pool2 = _conv2 + 1;
        (_snr, _mask) = BenchModels.Input(network.InputHeight, 2);
        // Each context's buffers then hold conv2's real input: the first pooled activation of this alert.
        foreach (Int8Context c in new[] { _direct, _f2, _f4, _directEvery, _f2Every, _f4Every })
        {
            c.Classify(_snr, _mask);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Classify")]
    public int ClassifyF2() => _f2.Classify(_snr, _mask).RawLogit;

    [Benchmark, BenchmarkCategory("Classify")]
    public int ClassifyDirect() => _direct.Classify(_snr, _mask).RawLogit;

    [Benchmark, BenchmarkCategory("Classify")]
    public int ClassifyF4() => _f4.Classify(_snr, _mask).RawLogit;

    /// <summary>conv2 alone (widening included), unpooled output.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Conv2")]
    public int Conv2F2()
    {
        _f2Every.RunStep(_conv2);
        return _conv2;
    }

    [Benchmark, BenchmarkCategory("Conv2")]
    public int Conv2Direct()
    {
        _directEvery.RunStep(_conv2);
        return _conv2;
    }

    [Benchmark, BenchmarkCategory("Conv2")]
    public int Conv2F4()
    {
        _f4Every.RunStep(_conv2);
        return _conv2;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Conv2+Pool")]
    public int Conv2F4ThenPool()
    {
        _f4Every.RunStep(_conv2);
        _f4Every.RunStep(_pool2);
        return _conv2;
    }

    [Benchmark, BenchmarkCategory("Conv2+Pool")]
    public int Conv2F4Pooled()
    {
        _f4.RunStep(_conv2);
        return _conv2;
    }
}
