using System;
using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// One 80 x 80 shadowgram into the 199 x 199 intensity, variance and SNR images: the FFT path (goal ≤ 2 ms,
/// no allocation) against the straightforward direct correlation, plus the whole trigger step.
/// </summary>
[MemoryDiagnoser]
public class TriggerBenchmarks
{
    private SkyReconstructor _reconstructor = null!;
    private SkyImages _images = null!;
    private float[] _countsAsFloat = null!;
    private uint[] _counts = null!;
    private OnboardTrigger _trigger = null!;
    private OnboardTrigger _triggerWithCatalogue = null!;
    private Alert _alert = null!;

    [GlobalSetup]
    public void Setup()
    {
        var geometry = InstrumentGeometry.Nominal;
        var mask = CodedMask.Generate(geometry);
        var model = new ShadowgramModel(geometry, mask);
        var expected = new float[geometry.DetectorPixels];
        model.AddBackground(expected, 60, slopeY: 5);
        model.AddPointSourceAtSkyPixel(expected, 131.3, 70.6, 3.0);
        _counts = new uint[geometry.DetectorPixels];
        new PoissonSampler(1).Sample(expected, _counts);
        _countsAsFloat = Array.ConvertAll(_counts, c => (float)c);

        _reconstructor = new SkyReconstructor(geometry, mask);
        _images = _reconstructor.CreateImages();
        _trigger = new OnboardTrigger(null, default, geometry, mask);
        var catalogue = new KnownSource[10];
        for (int i = 0; i < catalogue.Length; i++)
        {
            catalogue[i] = new KnownSource(30 + 14 * i, 160 - 11 * i, 5, 4);
        }

        _triggerWithCatalogue = new OnboardTrigger(TriggerConfig.Default with { BackgroundModel = BackgroundModel.Quadratic }, catalogue, geometry, mask);
        _alert = new Alert();
    }

    [Benchmark(Baseline = true, Description = "Reconstruct FFT (S, Var, SNR)")]
    public void ReconstructFft() => _reconstructor.Reconstruct(_countsAsFloat, _images);

    [Benchmark(Description = "Reconstruct direct correlation")]
    public void ReconstructDirect() => _reconstructor.ReconstructDirect(_countsAsFloat, _images);

    [Benchmark(Description = "Process (flat, no catalogue)")]
    public void Process() => _trigger.Process(_counts, 20f, _alert);

    [Benchmark(Description = "Process (quadratic fit, 10 known sources)")]
    public void ProcessWithCatalogue() => _triggerWithCatalogue.Process(_counts, 20f, _alert);
}
