using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// The merged table of docs/benchmarks.md: one alert classified by every path of the SHIPPED models
/// (weights/eclairs-{cnn,compact}-v1.{f32,int8}.eclw) and by ONNX Runtime on the float model's ONNX export, in one
/// run. Float and int8 each on the scalar reference, Vector128 and the best path Auto picks. ONNX Runtime is set up
/// by <see cref="OrtSingleThread"/> (1 thread, ORT_ENABLE_ALL, IOBinding over pinned arrays).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PathComparisonBenchmarks
{
    private OrtSingleThread _ort = null!;
    private InferenceContext _floatScalar = null!;
    private InferenceContext _floatVector128 = null!;
    private InferenceContext _floatBest = null!;
    private Int8Context _int8Scalar = null!;
    private Int8Context _int8Vector128 = null!;
    private Int8Context _int8Best = null!;
    private float[] _snr = null!;
    private byte[] _mask = null!;

    [Params("cnn-v1", "compact-v1")]
    public string Model { get; set; } = "cnn-v1";

    [GlobalSetup]
    public void Setup()
    {
        byte[] f32 = File.ReadAllBytes(WeightsFile($"eclairs-{Model}.f32.eclw"));
        byte[] int8 = File.ReadAllBytes(WeightsFile($"eclairs-{Model}.int8.eclw"));
        _floatScalar = Inference.Model.Load(f32, new ModelOptions { KernelPath = KernelPath.Scalar }).CreateContext();
        _floatVector128 = Inference.Model.Load(f32, new ModelOptions { KernelPath = KernelPath.Vector128 }).CreateContext();
        _floatBest = Inference.Model.Load(f32).CreateContext();
        _int8Scalar = Int8Model.Load(int8, KernelPath.Scalar).CreateContext();
        _int8Vector128 = Int8Model.Load(int8, KernelPath.Vector128).CreateContext();
        _int8Best = Int8Model.Load(int8, KernelPath.Auto).CreateContext();
        (_snr, _mask) = BenchModels.Input(56, 2);

        _ort = new OrtSingleThread(OnnxExporter.Export(f32), 56, 56);

        // Same answers before timing: ORT and every float path within 1e-4, every int8 path bit for bit.
        float reference = _floatScalar.Classify(_snr, _mask).Logit;
        foreach (float logit in new[] { OnnxRuntime(), FloatVector128(), FloatBest() })
        {
            if (Math.Abs(logit - reference) > 1e-4f * Math.Max(1f, Math.Abs(reference)))
            {
                throw new InvalidOperationException($"logit {logit} differs from the scalar reference's {reference}");
            }
        }
        int raw = Int8Scalar();
        if (Int8Vector128() != raw || Int8Best() != raw)
        {
            throw new InvalidOperationException("an int8 SIMD path differs from the int8 scalar reference");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark(Baseline = true, Description = "ONNX Runtime, 1 thread")]
    public float OnnxRuntime() => _ort.Classify(_snr, _mask);

    [Benchmark(Description = "float scalar")]
    public float FloatScalar() => _floatScalar.Classify(_snr, _mask).Logit;

    [Benchmark(Description = "float Vector128")]
    public float FloatVector128() => _floatVector128.Classify(_snr, _mask).Logit;

    [Benchmark(Description = "float best")]
    public float FloatBest() => _floatBest.Classify(_snr, _mask).Logit;

    [Benchmark(Description = "int8 scalar")]
    public int Int8Scalar() => _int8Scalar.Classify(_snr, _mask).RawLogit;

    [Benchmark(Description = "int8 Vector128")]
    public int Int8Vector128() => _int8Vector128.Classify(_snr, _mask).RawLogit;

    [Benchmark(Description = "int8 best")]
    public int Int8Best() => _int8Best.Classify(_snr, _mask).RawLogit;

    private static string WeightsFile(string file)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "weights", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"weights/{file} not found above {AppContext.BaseDirectory}");
    }
}
