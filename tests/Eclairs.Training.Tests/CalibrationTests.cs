using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Training.Data;
using Eclairs.Training.Evaluation;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;
using Xunit;
using TrainingArchitectures = Eclairs.Training.Networks.Architectures;

namespace Eclairs.Training.Tests;

/// <summary>
/// Temperature scaling against a brute-force minimisation, ECE and Brier score worked out by hand, and the folding of
/// 1/T into the logit layer checked on the engine: logits divided by T, decisions unchanged.
/// </summary>
public sealed class CalibrationTests
{
    /// <summary>An over-confident scorer: labels drawn from sigmoid(s), logits reported as 3 s (so the best T is near 3).</summary>
    private static (double[] Logits, byte[] Labels) Overconfident(int n, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        var logits = new double[n];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            double s = 2.5 * rng.NextGaussian();
            labels[i] = (byte)(rng.NextDouble() < TemperatureScaling.Sigmoid(s) ? 1 : 0);
            logits[i] = 3 * s;
        }

        return (logits, labels);
    }

    [Theory]
    [InlineData(2000, 1UL)]
    [InlineData(300, 2UL)]
    [InlineData(40, 3UL)]
    public void The_fitted_temperature_is_the_minimum_a_brute_force_search_finds(int n, ulong seed)
    {
        (double[] logits, byte[] labels) = Overconfident(n, seed);
        double fitted = TemperatureScaling.Fit(logits, labels);
        double best = double.NaN, bestLoss = double.PositiveInfinity;
        for (int k = 0; k <= 40000; k++)
        {
            double t = Math.Exp(Math.Log(0.05) + (k * (Math.Log(50) - Math.Log(0.05)) / 40000));
            double loss = TemperatureScaling.Loss(logits, labels, t);
            if (loss < bestLoss)
            {
                (best, bestLoss) = (t, loss);
            }
        }

        Assert.Equal(best, fitted, best * 5e-4); // grid step 0.017 %
        Assert.True(TemperatureScaling.Loss(logits, labels, fitted) <= bestLoss + 1e-12);
        if (n >= 2000)
        {
            Assert.InRange(fitted, 2.6, 3.4);
        }
    }

    [Fact]
    public void Separable_or_one_class_sets_are_bounded_or_refused()
    {
        Assert.Equal(TemperatureScaling.MinTemperature, TemperatureScaling.Fit([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1]));
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit([1.0, 2.0], [1, 1]));
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit([double.NaN, 2.0], [0, 1]));
    }

    [Fact]
    public void The_mapped_threshold_decides_exactly_as_the_old_one()
    {
        var rng = new Xoshiro256StarStar(4);
        foreach (double p in new[] { 0.05, 0.3116, 0.5, 0.9 })
        {
            foreach (double t in new[] { 0.5, 1.7, 3.0 })
            {
                double mapped = TemperatureScaling.MapThreshold(p, t);
                for (int i = 0; i < 2000; i++)
                {
                    double z = 8 * rng.NextGaussian();
                    Assert.Equal(TemperatureScaling.Sigmoid(z) >= p, TemperatureScaling.Sigmoid(z / t) >= mapped);
                }
            }
        }
    }

    [Fact]
    public void Ece_and_brier_score_of_a_small_case_by_hand()
    {
        // Bins of width 0.1: {0.1, 0.15} in bin 1 (mean 0.125, 1 of 2 true), 0.8 in bin 8 (true), 0.95 in bin 9 (true).
        // ECE = 2/4 |0.5 - 0.125| + 1/4 |1 - 0.8| + 1/4 |1 - 0.95| = 0.1875 + 0.05 + 0.0125 = 0.25.
        // Brier = (0.1^2 + 0.85^2 + 0.2^2 + 0.05^2) / 4 = 0.775 / 4.
        CalibrationMetrics m = CalibrationMetrics.Of([0.1f, 0.15f, 0.8f, 0.95f], [0, 1, 1, 1]);
        Assert.Equal(0.25, m.ExpectedCalibrationError, 6);
        Assert.Equal(0.775 / 4, m.BrierScore, 6);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.15) + Math.Log(0.8) + Math.Log(0.95)) / 4, m.LogLoss, 6);
        Assert.Equal([0, 2, 0, 0, 0, 0, 0, 0, 1, 1], m.Bins.Select(b => b.Count));
        Assert.True(double.IsNaN(m.Bins[0].MeanProbability));
        Assert.Equal(1.0, CalibrationMetrics.Of([1f, 0f], [1, 0]).Bins[9].FractionTrue); // P = 1 falls in the last bin
        Assert.Equal(0.0, CalibrationMetrics.Of([1f, 0f], [1, 0]).ExpectedCalibrationError);
    }

    private static ModelDocument Trained(int seed)
    {
        var network = new TrainingNetwork(TrainingArchitectures.CompactV1());
        network.Initialize((ulong)seed);
        return TrainedNetwork.From(network).ToEngineModel("compact-v1", threshold: 0.3f, provenance: "eclairs train ...\nthreshold: 0.3 = chosen");
    }

    [Fact]
    public void Folding_divides_the_engine_s_logits_by_t_and_keeps_every_decision()
    {
        ModelDocument before = Trained(3);
        ModelDocument after = TemperatureFolding.Apply(before, 2.5, "test");
        ModelDocument twice = TemperatureFolding.Apply(after, 0.8, "again");
        LabelledAlerts alerts = ToyAlerts.Make(64, 56, seed: 6);
        InferenceContext a = Model.Load(EclwWriter.ToBytes(before)).CreateContext(), b = Model.Load(EclwWriter.ToBytes(after)).CreateContext();
        for (int i = 0; i < alerts.Count; i++)
        {
            ClassificationResult x = a.Classify(alerts.Snr(i), alerts.Mask(i)), y = b.Classify(alerts.Snr(i), alerts.Mask(i));
            Assert.Equal(x.Logit / 2.5, y.Logit, 1e-5 * Math.Max(1, Math.Abs(x.Logit)));
            Assert.Equal(x.IsTrueAlert, y.IsTrueAlert);
        }

        Assert.Equal((float)TemperatureScaling.MapThreshold(0.3f, 2.5), after.DecisionThreshold);
        Assert.Equal(2.5, TemperatureFolding.Temperature(after.Provenance));
        Assert.Equal(2.5 * 0.8, TemperatureFolding.Temperature(twice.Provenance), 12);
        Assert.Single(twice.Provenance.Split('\n'), l => l.StartsWith("temperature: ", StringComparison.Ordinal));
        Assert.Contains("threshold: 0.3 = chosen", twice.Provenance, StringComparison.Ordinal);
        // Only the logit layer (engine index 12: dense2) changed.
        Assert.All(before.Tensors.Zip(after.Tensors), p =>
        {
            if (p.First.LayerIndex == 12)
            {
                Assert.Equal(p.First.ToSingles().Select(v => (float)(v / 2.5)), p.Second.ToSingles());
            }
            else
            {
                Assert.Equal(p.First.ToSingles(), p.Second.ToSingles());
            }
        });
        Assert.Equal(12, TemperatureFolding.LogitLayer(before.Network));
    }

    [Fact]
    public void Folding_needs_a_float_model_ending_in_a_linear_dense_layer()
    {
        ModelDocument d = Trained(1);
        Assert.Contains("quantize", Assert.Throws<ArgumentException>(() => TemperatureFolding.Apply(d with { NumberFormat = NumberFormat.Int8 }, 2, "x")).Message, StringComparison.Ordinal);
        var noDense = new NetworkSpec("gap-logit", new Networks.TensorShape(56, 56, 2), [new Conv2DSpec(1, 3, Networks.Padding.Same, Networks.Activation.None), new GlobalAveragePoolSpec()]);
        ModelDocument g = TrainedNetwork.From(new TrainingNetwork(noDense)).ToEngineModel("gap-logit");
        Assert.Contains("linear dense layer", Assert.Throws<ArgumentException>(() => TemperatureFolding.Apply(g, 2, "x")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureFolding.Apply(d, 0, "x"));
    }
}
