using System;
using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// One alert classified by ONNX Runtime (1 thread, ORT_ENABLE_ALL, inputs and outputs bound once with IOBinding over
/// pinned arrays) and by the engine on its best, Vector128 and scalar paths: the same model, the same input, the
/// same run, so the ratios are honest. ORT's time includes copying the SNR and widening the byte mask to float, which
/// an ORT user must do too (a few microseconds at most); the engine's includes its input validation.
/// </summary>
[MemoryDiagnoser]
public class OnnxBenchmarks
{
    private OrtSingleThread _ort = null!;
    private InferenceContext _best = null!;
    private InferenceContext _vector128 = null!;
    private InferenceContext _scalar = null!;
    private float[] _snr = null!;
    private byte[] _mask = null!;

    [Params("CnnV1", "CompactV1")]
    public string Network { get; set; } = "CnnV1";

    [GlobalSetup]
    public void Setup()
    {
        NetworkDescription network = BenchModels.Network(Network);
        ModelDocument document = BenchModels.RandomDocument(network, 1);
        (_snr, _mask) = BenchModels.Input(network.InputHeight, 2);
        _best = Model.FromDocument(document).CreateContext();
        _vector128 = Model.FromDocument(document, new ModelOptions { KernelPath = KernelPath.Vector128 }).CreateContext();
        _scalar = Model.FromDocument(document, new ModelOptions { KernelPath = KernelPath.Scalar }).CreateContext();

        _ort = new OrtSingleThread(OnnxExporter.Export(document), network.InputHeight, network.InputWidth);

        float ort = OnnxRuntime(), engine = _best.Classify(_snr, _mask).Logit;
        if (Math.Abs(ort - engine) > 1e-4f * Math.Max(1f, Math.Abs(engine)))
        {
            throw new InvalidOperationException($"ONNX Runtime logit {ort} differs from the engine's {engine}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark(Baseline = true, Description = "ONNX Runtime 1.31.1, 1 thread")]
    public float OnnxRuntime() => _ort.Classify(_snr, _mask);

    [Benchmark(Description = "Engine, best path")]
    public float EngineBest() => _best.Classify(_snr, _mask).Logit;

    [Benchmark(Description = "Engine, Vector128")]
    public float EngineVector128() => _vector128.Classify(_snr, _mask).Logit;

    [Benchmark(Description = "Engine, scalar")]
    public float EngineScalar() => _scalar.Classify(_snr, _mask).Logit;
}
