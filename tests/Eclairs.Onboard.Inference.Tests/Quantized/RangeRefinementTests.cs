using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>The per-layer range refinement and the logit range rule, measured end to end against the float model.</summary>
public sealed class RangeRefinementTests
{
    /// <summary>Mean squared difference of int8 and float logits (float clamped to the int8 logit's range), computed here.</summary>
    private static double LogitError(ModelDocument f, ModelDocument q, IReadOnlyList<CalibrationInput> alerts)
    {
        InferenceContext fc = Model.FromDocument(f).CreateContext();
        Int8Model model = Int8Model.FromDocument(q, KernelPath.Scalar);
        Int8Context qc = model.CreateContext();
        double lo = model.OutputScale * (-128 - model.OutputZeroPoint), hi = model.OutputScale * (127 - model.OutputZeroPoint);
        return alerts.Average(a =>
        {
            double d = qc.Classify(a.Snr, a.Mask).Logit - Math.Clamp(fc.Classify(a.Snr, a.Mask).Logit, lo, hi);
            return d * d;
        });
    }

    [Fact]
    public void RefinementNeverMovesTheLogitsAwayFromTheFloatOnesOnItsAlerts()
    {
        NetworkDescription network = Architectures.CompactV1();
        ModelDocument f = TestModels.RandomDocument(network, 21, out _);
        List<CalibrationInput> calibration = Int8TestModels.Alerts(network, 12, 4000);
        ModelDocument plain = Quantizer.Quantize(f, calibration, new QuantizerOptions { RefinementAlerts = 0 });
        ModelDocument refined = Quantizer.Quantize(f, calibration, new QuantizerOptions { RefinementAlerts = 12 });
        // same logit quantization (the last layer is never refined), so the errors are comparable
        Assert.Equal(Int8Parameters.FromDocument(plain).Layers[^1].OutputScale, Int8Parameters.FromDocument(refined).Layers[^1].OutputScale);
        Assert.True(LogitError(f, refined, calibration) <= LogitError(f, plain, calibration));
        Assert.Contains("range refinement on 12 alerts", refined.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void LogitRangeHoldsTheThresholdEvenWhenCalibrationLogitsDoNot()
    {
        NetworkDescription network = Architectures.CompactV1();
        ModelDocument f = TestModels.RandomDocument(network, 22, out _);
        List<CalibrationInput> calibration = Int8TestModels.Alerts(network, 8, 4100);
        InferenceContext fc = Model.FromDocument(f).CreateContext();
        double max = calibration.Max(a => fc.Classify(a.Snr, a.Mask).Logit);
        // a threshold far above every calibration logit: without widening, T would be 128 (never true)
        float threshold = (float)(1 / (1 + Math.Exp(-(max + 1.5))));
        Assert.True(threshold < 1f, "the test needs a threshold below 1 in float");
        Int8Model model = Int8Model.FromDocument(Quantizer.Quantize(f with { DecisionThreshold = threshold }, calibration,
            new QuantizerOptions { RefinementAlerts = 0 }));
        Assert.InRange(model.Parameters.DecisionThreshold, -127, 127);
    }
}
