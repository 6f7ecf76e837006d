using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// int8 against float classification of the same random-weight network in one run (validation, quantization, all
/// layers, sigmoid), one thread, batch 1. The float baseline is the fastest float path on this CPU; ONNX Runtime's
/// float row is <see cref="OnnxBenchmarks.OnnxRuntime"/> on the same float model, so all ratios come from one run.
/// </summary>
[MemoryDiagnoser]
public class Int8ClassifyBenchmarks
{
    private InferenceContext _float = null!;
    private Int8Context _int8 = null!;
    private Int8Context _int8Scalar = null!;
    private readonly OnnxBenchmarks _onnx = new();
    private float[] _snr = null!;
    private byte[] _mask = null!;

    [Params("CnnV1", "CompactV1")]
    public string Network { get; set; } = "CnnV1";

    [GlobalSetup]
    public void Setup()
    {
        NetworkDescription network = BenchModels.Network(Network);
        ModelDocument document = BenchModels.RandomDocument(network, 1);
        var calibration = new List<CalibrationInput>();
        for (int i = 0; i < 16; i++)
        {
            (float[] s, byte[] m) = BenchModels.Input(network.InputHeight, 100 + i);
            calibration.Add(new CalibrationInput(s, m));
        }
        ModelDocument quantized = Quantizer.Quantize(document, calibration);
        _float = Model.FromDocument(document).CreateContext();
        _int8 = Int8Model.FromDocument(quantized, KernelPath.Auto).CreateContext();
        _int8Scalar = Int8Model.FromDocument(quantized, KernelPath.Scalar).CreateContext();
        (_snr, _mask) = BenchModels.Input(network.InputHeight, 2);
        _onnx.Network = Network;
        _onnx.Setup();
    }

    [GlobalCleanup]
    public void Cleanup() => _onnx.Cleanup();

    [Benchmark(Baseline = true)]
    public float FloatClassify() => _float.Classify(_snr, _mask).Probability;

    [Benchmark(Description = "ONNX Runtime float, 1 thread")]
    public float OnnxRuntimeFloat() => _onnx.OnnxRuntime();

    [Benchmark]
    public int Int8Classify() => _int8.Classify(_snr, _mask).RawLogit;

    [Benchmark]
    public int Int8ScalarClassify() => _int8Scalar.Classify(_snr, _mask).RawLogit;
}
