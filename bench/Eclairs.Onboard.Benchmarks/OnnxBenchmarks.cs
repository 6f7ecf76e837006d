using System;
using System.Collections.Generic;
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
    private readonly List<IDisposable> _disposables = [];
    private InferenceSession _session = null!;
    private OrtIoBinding _binding = null!;
    private RunOptions _runOptions = null!;
    private float[] _ortSnr = null!;
    private float[] _ortMask = null!;
    private float[] _ortLogit = null!;
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

        var options = Keep(new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        });
        _session = Keep(new InferenceSession(OnnxExporter.Export(document), options));
        long[] shape = [1, 1, network.InputHeight, network.InputWidth];
        _ortSnr = new float[_snr.Length];
        _ortMask = new float[_mask.Length];
        _ortLogit = new float[1];
        _runOptions = Keep(new RunOptions());
        _binding = Keep(_session.CreateIoBinding());
        _binding.BindInput(OnnxExporter.SnrInput, Keep(OrtValue.CreateTensorValueFromMemory(_ortSnr, shape)));
        _binding.BindInput(OnnxExporter.MaskInput, Keep(OrtValue.CreateTensorValueFromMemory(_ortMask, shape)));
        _binding.BindOutput(OnnxExporter.LogitOutput, Keep(OrtValue.CreateTensorValueFromMemory(_ortLogit, [1, 1])));
        _binding.BindOutput(OnnxExporter.ProbabilityOutput, Keep(OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1])));

        float ort = OnnxRuntime(), engine = _best.Classify(_snr, _mask).Logit;
        if (Math.Abs(ort - engine) > 1e-4f * Math.Max(1f, Math.Abs(engine)))
        {
            throw new InvalidOperationException($"ONNX Runtime logit {ort} differs from the engine's {engine}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        for (int i = _disposables.Count - 1; i >= 0; i--)
        {
            _disposables[i].Dispose();
        }
        _disposables.Clear();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime 1.31.1, 1 thread")]
    public float OnnxRuntime()
    {
        _snr.CopyTo(_ortSnr, 0);
        for (int i = 0; i < _mask.Length; i++)
        {
            _ortMask[i] = _mask[i];
        }
        _session.RunWithBinding(_runOptions, _binding);
        return _ortLogit[0];
    }

    [Benchmark(Description = "Engine, best path")]
    public float EngineBest() => _best.Classify(_snr, _mask).Logit;

    [Benchmark(Description = "Engine, Vector128")]
    public float EngineVector128() => _vector128.Classify(_snr, _mask).Logit;

    [Benchmark(Description = "Engine, scalar")]
    public float EngineScalar() => _scalar.Classify(_snr, _mask).Logit;

    private T Keep<T>(T disposable) where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
