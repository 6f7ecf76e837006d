using System;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// ONNX files written by torch.onnx.export (Debian's python3-torch 1.13, tools/torch-fixtures/make_fixtures.py) and
/// the outputs torch computed for 16 alerts: imported and run by the engine, the logits agree within 1e-4 (relative
/// above |logit| = 1). torch is not needed to run this: the fixtures are committed.
/// </summary>
public unsafe class TorchFixtureTests
{
    private const string Directory = "tests/Eclairs.Onnx.Tests/Fixtures/torch/";

    [Theory]
    [InlineData("deck_like", KernelPath.Scalar)]
    [InlineData("deck_like", KernelPath.Auto)]
    [InlineData("batchnorm", KernelPath.Scalar)]
    [InlineData("batchnorm", KernelPath.Auto)]
    [InlineData("residual", KernelPath.Scalar)]
    [InlineData("residual", KernelPath.Auto)]
    public void Torch_exports_import_and_match_torch(string name, KernelPath path)
    {
        OnnxImportResult imported = OnnxImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + name + ".onnx")));
        InferenceContext engine = Model.FromDocument(imported.Document, new ModelOptions { KernelPath = path }).CreateContext();
        (float[] snr, byte[] mask, int count) = Alerts();
        using var outputs = new NpzReader(RepositoryFiles.Path(Directory + name + ".outputs.npz"));
        float[] logits = outputs.ReadFloat32("logit").Data;
        float[]? probabilities = outputs.Contains("probability") ? outputs.ReadFloat32("probability").Data : null;
        Assert.Equal(count, logits.Length);
        double spread = 0;
        for (int n = 0; n < count; n++)
        {
            ClassificationResult r = engine.Classify(snr.AsSpan(n * 3136, 3136), mask.AsSpan(n * 3136, 3136));
            double tolerance = 1e-4 * Math.Max(1, Math.Abs(logits[n]));
            Assert.True(Math.Abs(r.Logit - logits[n]) <= tolerance, $"{name} alert {n}: engine {r.Logit:R}, torch {logits[n]:R}");
            if (probabilities != null)
            {
                Assert.True(Math.Abs(r.Probability - probabilities[n]) <= 1e-4, $"{name} alert {n}: probability {r.Probability:R}, torch {probabilities[n]:R}");
            }
            spread = Math.Max(spread, Math.Abs(logits[n] - logits[0]));
        }
        Assert.True(spread > 0.1, $"torch's logits hardly differ from alert to alert ({spread}): the comparison would say little");
    }

    [Fact]
    public void The_deck_like_export_keeps_its_normalisation_and_gate()
    {
        OnnxImportResult imported = OnnxImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + "deck_like.onnx")));
        // (snr - 0.5) / 2: scale 0.5, offset -0.25; Where(mask == 0, 0, snr) is the engine's own gate: no note about it.
        Assert.Equal(new InputNormalization(0.5f, -0.25f), imported.Document.Normalization);
        Assert.DoesNotContain(imported.Notes, n => n.Contains("does not zero", StringComparison.Ordinal));
        Assert.Contains(imported.Notes, n => n.Contains("outputs the logit", StringComparison.Ordinal));
        Assert.Equal([LayerKind.Input, LayerKind.Concatenate, LayerKind.Conv2D, LayerKind.MaxPool2D, LayerKind.Conv2D, LayerKind.MaxPool2D,
            LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense, LayerKind.Sigmoid], imported.Document.Network.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void The_residual_network_keeps_its_blocks_as_add_branch_and_strided_layers()
    {
        OnnxImportResult imported = OnnxImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + "residual.onnx")));
        // stem; block1: conv, conv, Add(stem) + ReLU; block2: stride-2 conv, conv, Branch(block1), 1x1 stride-2 shortcut,
        // Add + ReLU; the zero Pad before avg_pool2d vanishes.
        Assert.Equal(
        [
            new InputLayer(56, 56), new ConcatenateLayer(),
            new Conv2DLayer(8, 3, Padding.Same, Activation.Relu), new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
            new Conv2DLayer(8, 3, Padding.Same, Activation.None), new AddLayer(2, Activation.Relu),
            new GeneralConv2DLayer(16, 3, 2, Padding.Same, Activation.Relu), new Conv2DLayer(16, 3, Padding.Same, Activation.None),
            new BranchLayer(5), new GeneralConv2DLayer(16, 1, 2, Padding.Valid, Activation.None), new AddLayer(7, Activation.Relu),
            new AveragePool2DLayer(), new GlobalAveragePoolLayer(), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ], imported.Document.Network.Layers);
    }

    /// <summary>The "done when": the PyTorch residual network through the C ABI's entry points (ecl_model_load, ecl_classify).</summary>
    [Fact]
    public void The_residual_network_runs_through_ecl_classify_within_1e4_of_torch()
    {
        byte[] file = EclwWriter.ToBytes(OnnxImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + "residual.onnx"))).Document);
        (float[] snr, byte[] mask, int count) = Alerts();
        using var outputs = new NpzReader(RepositoryFiles.Path(Directory + "residual.outputs.npz"));
        float[] logits = outputs.ReadFloat32("logit").Data;
        void* model, context;
        fixed (byte* f = file)
        {
            Assert.Equal(Onboard.Native.EclStatus.Ok, Onboard.Native.ClassifierApi.ModelLoad(f, (nuint)file.Length, &model));
        }
        Assert.Equal(Onboard.Native.EclStatus.Ok, Onboard.Native.ClassifierApi.ContextCreate(model, &context));
        try
        {
            for (int n = 0; n < count; n++)
            {
                Onboard.Native.EclResult r;
                fixed (float* s = &snr[n * 3136])
                fixed (byte* m = &mask[n * 3136])
                {
                    Assert.Equal(Onboard.Native.EclStatus.Ok, Onboard.Native.ClassifierApi.Classify(context, s, m, &r));
                }
                Assert.True(Math.Abs(r.Logit - logits[n]) <= 1e-4 * Math.Max(1, Math.Abs(logits[n])), $"alert {n}: ecl_classify {r.Logit:R}, torch {logits[n]:R}");
            }
        }
        finally
        {
            Onboard.Native.ClassifierApi.ContextFree(context);
            Onboard.Native.ClassifierApi.ModelFree(model);
        }
    }

    private static (float[] Snr, byte[] Mask, int Count) Alerts()
    {
        using var alerts = new NpzReader(RepositoryFiles.Path(Directory + "alerts.npz"));
        NdArray<float> snr = alerts.ReadFloat32("snr");
        return (snr.Data, alerts.ReadUInt8("mask").Data, snr.Shape[0]);
    }
}
