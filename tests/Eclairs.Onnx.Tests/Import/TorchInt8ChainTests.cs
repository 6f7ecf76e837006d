using System;
using System.Collections.Generic;
using System.IO;
using Eclairs.Cli.Tests;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// The chain in int8 for the PyTorch residual network (BatchNorm folded, two residual blocks, a strided 1x1
/// shortcut, an average pool): <c>eclairs import</c>, <c>eclairs quantize</c> with golden vectors, then the int8
/// engine on every path replays the vectors bit for bit, and the C ABI (<c>ecl_classify</c>, the native library's
/// entry points) gives the int8 engine's raw logit on torch's own alerts, close to torch's float logit.
/// </summary>
public sealed unsafe class TorchInt8ChainTests : IDisposable
{
    private const string Fixtures = "tests/Eclairs.Onnx.Tests/Fixtures/torch/";
    private readonly string _directory = Directory.CreateTempSubdirectory("eclairs-int8-chain-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_torch_residual_network_quantizes_and_runs_in_int8_through_the_engine_and_ecl_classify()
    {
        string data = Path.Combine(_directory, "data.npz"), eclw = Path.Combine(_directory, "residual.eclw");
        string int8 = Path.Combine(_directory, "residual.int8.eclw"), golden = Path.Combine(_directory, "residual.eclv");
        EclairsProcess.Ok("dataset", "--preset", "seed", "--scale", "0.02", "--seed", "2", "--threads", "1", "--out", data);
        EclairsProcess.Ok("import", "--from", RepositoryFiles.Path(Fixtures + "residual.onnx"), "--out", eclw);
        string report = EclairsProcess.Ok("quantize", "--model", eclw, "--calibration", data, "--out", int8, "--refine", "100",
            "--test", data, "--golden", golden, "--golden-count", "12");
        Assert.Contains("(layer 5, Add)", report, StringComparison.Ordinal);
        Assert.Contains("(layer 9, GeneralConv2D)", report, StringComparison.Ordinal);
        Assert.Contains("(layer 11, AveragePool2D)", report, StringComparison.Ordinal);

        byte[] file = File.ReadAllBytes(int8);
        GoldenVectorSet vectors = GoldenVectors.Read(File.ReadAllBytes(golden));
        Assert.Equal(12, vectors.Vectors.Count);
        foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512, KernelPath.Auto })
        {
            if (Int8Model.IsSupported(path))
            {
                Assert.Equal(0, GoldenVectors.CountMismatches(Int8Model.Load(file, path), vectors));
            }
        }

        // torch's 16 alerts: the C ABI gives the engine's result exactly, and the int8 logit follows torch's float logit.
        using var alerts = new NpzReader(RepositoryFiles.Path(Fixtures + "alerts.npz"));
        float[] snr = alerts.ReadFloat32("snr").Data;
        byte[] mask = alerts.ReadUInt8("mask").Data;
        using var outputs = new NpzReader(RepositoryFiles.Path(Fixtures + "residual.outputs.npz"));
        float[] torch = outputs.ReadFloat32("logit").Data;
        Int8Model model = Int8Model.Load(file);
        Int8Context engine = model.CreateContext();
        Int8Context reference = Int8Model.Load(file, KernelPath.Scalar).CreateContext();
        var pairs = new List<(double Torch, double Int8)>();
        void* handle, context;
        fixed (byte* f = file)
        {
            Assert.Equal(Onboard.Native.EclStatus.Ok, Onboard.Native.ClassifierApi.ModelLoad(f, (nuint)file.Length, &handle));
        }
        Assert.Equal(Onboard.Native.EclStatus.Ok, Onboard.Native.ClassifierApi.ContextCreate(handle, &context));
        try
        {
            for (int n = 0; n < torch.Length; n++)
            {
                Int8ClassificationResult want = engine.Classify(snr.AsSpan(n * 3136, 3136), mask.AsSpan(n * 3136, 3136));
                Assert.Equal(reference.Classify(snr.AsSpan(n * 3136, 3136), mask.AsSpan(n * 3136, 3136)), want);
                Onboard.Native.EclResult r;
                fixed (float* s = &snr[n * 3136])
                fixed (byte* m = &mask[n * 3136])
                {
                    Assert.Equal(Onboard.Native.EclStatus.Ok, Onboard.Native.ClassifierApi.Classify(context, s, m, &r));
                }
                Assert.Equal((want.RawLogit, want.IsTrueAlert ? 1 : 0, want.Logit, want.Probability), (r.RawLogit, r.IsTrueAlert, r.Logit, r.Probability));
                pairs.Add((torch[n], want.Logit));
            }
        }
        finally
        {
            Onboard.Native.ClassifierApi.ContextFree(context);
            Onboard.Native.ClassifierApi.ModelFree(handle);
        }
        double spread = 0, worst = 0;
        foreach ((double t, double q) in pairs)
        {
            spread = Math.Max(spread, Math.Abs(t - pairs[0].Torch));
            worst = Math.Max(worst, Math.Abs(t - q));
        }
        // Quantization noise, not an error: within a fifth of torch's spread of logits over these alerts.
        Assert.True(worst <= 0.2 * spread, $"int8 logit differs from torch's by up to {worst:F4} over a spread of {spread:F4}");
    }
}
