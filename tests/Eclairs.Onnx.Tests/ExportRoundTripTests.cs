using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>The exported graph, run by ONNX Runtime, gives the engine's logits within 1e-4.</summary>
public class ExportRoundTripTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, KernelPath> Networks => new()
    {
        { "CnnV1", KernelPath.Scalar },
        { "CnnV1", KernelPath.Auto },
        { "CompactV1", KernelPath.Scalar },
        { "CompactV1", KernelPath.Auto },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Logits_match_the_engine_on_synthetic_alerts_with_masked_NaN_pixels(string name, KernelPath path)
    {
        ModelDocument document = TestModels.Random(Network(name), seed: 3);
        var inputs = new List<(float[], byte[])>();
        foreach (int maskedColumns in new[] { 0, 9, 30 })
        {
            inputs.Add(TestModels.Alert(Architectures.SubImageSide, seed: 100 + maskedColumns, maskedColumns));
        }
        AssertSameLogits(document, path, inputs);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Logits_match_the_engine_on_trigger_alerts(string name, KernelPath path)
    {
        ModelDocument document = TestModels.Random(Network(name), seed: 5);
        var inputs = new List<(float[], byte[])>();
        foreach ((float[] snr, byte[] mask) in TriggerAlerts.All)
        {
            inputs.Add((snr, mask));
            inputs.Add((WithNaNWhereMasked(snr, mask), mask));
        }
        Assert.Contains(TriggerAlerts.All, a => Array.IndexOf(a.Mask, (byte)0) >= 0);
        Assert.Contains(TriggerAlerts.All, a => Array.IndexOf(a.Mask, (byte)2) >= 0);
        AssertSameLogits(document, path, inputs);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Logits_match_the_engine_on_simulated_alerts(string name, KernelPath path)
    {
        ModelDocument document = TestModels.Random(Network(name), seed: 9);
        IReadOnlyList<SimulatedAlert> alerts = SimulatedAlerts.All;
        Assert.Contains(alerts, a => a.Label == AlertLabel.TrueAlert);
        Assert.Contains(alerts, a => a.Label == AlertLabel.FalseAlert);
        Assert.Contains(alerts, a => a.Partial);
        var inputs = new List<(float[], byte[])>();
        foreach (SimulatedAlert alert in alerts)
        {
            inputs.Add((alert.Snr, alert.Mask));
            inputs.Add((WithNaNWhereMasked(alert.Snr, alert.Mask), alert.Mask));
        }
        AssertSameLogits(document, path, inputs);
    }

    [Fact]
    public void Input_normalisation_is_applied_inside_the_graph()
    {
        ModelDocument document = TestModels.Random(Architectures.CompactV1(), seed: 7) with
        {
            Normalization = new InputNormalization(0.37f, -1.25f),
        };
        var inputs = new List<(float[], byte[])> { TestModels.Alert(56, 8, 12), TestModels.Alert(56, 9, 0) };
        AssertSameLogits(document, KernelPath.Scalar, inputs);

        // And it matters: the same weights without normalisation give other logits.
        using var plain = new OrtRunner(OnnxExporter.Export(document with { Normalization = InputNormalization.Identity }), 56, 56);
        using var normalised = new OrtRunner(OnnxExporter.Export(document), 56, 56);
        (float[] snr, byte[] mask) = TestModels.Alert(56, 8, 12);
        Assert.NotEqual(plain.Run(snr, mask)[OnnxExporter.LogitOutput][0], normalised.Run(snr, mask)[OnnxExporter.LogitOutput][0]);
    }

    [Fact]
    public void Valid_padding_5x5_kernels_and_odd_sizes_match()
    {
        var network = new NetworkDescription(
        [
            new InputLayer(23, 19),
            new ConcatenateLayer(),
            new Conv2DLayer(6, 5, Padding.Valid, Activation.Relu),
            new MaxPool2DLayer(),
            new Conv2DLayer(5, 3, Padding.Same, Activation.None),
            new MaxPool2DLayer(),
            new FlattenLayer(),
            new DenseLayer(7, Activation.None),
            new DenseLayer(1, Activation.None),
            new SigmoidLayer(),
        ]);
        ModelDocument document = TestModels.Random(network, seed: 13, biasLimit: 0.5f);
        var random = new Random(4);
        var inputs = new List<(float[], byte[])>();
        for (int n = 0; n < 4; n++)
        {
            var snr = new float[23 * 19];
            var mask = new byte[snr.Length];
            for (int i = 0; i < snr.Length; i++)
            {
                mask[i] = (byte)random.Next(4);
                snr[i] = mask[i] == 0 ? float.NaN : (float)((random.NextDouble() * 8) - 4);
            }
            inputs.Add((snr, mask));
        }
        AssertSameLogits(document, KernelPath.Scalar, inputs);
    }

    private static void AssertSameLogits(ModelDocument document, KernelPath path, IEnumerable<(float[] Snr, byte[] Mask)> inputs)
    {
        InferenceContext engine = Model.FromDocument(document, new ModelOptions { KernelPath = path }).CreateContext();
        NetworkDescription network = document.Network;
        using var runtime = new OrtRunner(OnnxExporter.Export(document), network.InputHeight, network.InputWidth);
        double largest = 0;
        foreach ((float[] snr, byte[] mask) in inputs)
        {
            ClassificationResult expected = engine.Classify(snr, mask);
            Dictionary<string, float[]> actual = runtime.Run(snr, mask);
            float logit = Assert.Single(actual[OnnxExporter.LogitOutput]);
            float probability = Assert.Single(actual[OnnxExporter.ProbabilityOutput]);
            Assert.True(float.IsFinite(expected.Logit));
            double scale = Math.Max(1.0, Math.Abs(expected.Logit));
            Assert.True(Math.Abs(logit - expected.Logit) <= Tolerance * scale,
                $"ONNX Runtime logit {logit:R}, engine {expected.Logit:R} ({path})");
            Assert.True(Math.Abs(probability - expected.Probability) <= Tolerance,
                $"ONNX Runtime probability {probability:R}, engine {expected.Probability:R}");
            largest = Math.Max(largest, Math.Abs(expected.Logit));
        }
        // Logits of a sensible size, not all squashed to 0 by dead ReLUs.
        Assert.True(largest > 1e-3, $"every logit is ~0 (largest {largest})");
    }

    /// <summary>The ICD lets a pixel whose mask is 0 hold anything: NaN there must change nothing, in either runtime.</summary>
    private static float[] WithNaNWhereMasked(float[] snr, byte[] mask)
    {
        var poisoned = (float[])snr.Clone();
        for (int i = 0; i < poisoned.Length; i++)
        {
            poisoned[i] = mask[i] == 0 ? float.NaN : poisoned[i];
        }
        return poisoned;
    }

    private static NetworkDescription Network(string name) =>
        name == "CnnV1" ? Architectures.CnnV1() : Architectures.CompactV1();
}
