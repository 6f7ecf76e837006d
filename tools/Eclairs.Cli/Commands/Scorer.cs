using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Eclairs.Simulation.Formats;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>
/// One way of scoring alerts for <c>eclairs evaluate</c>: a score per alert (higher means more likely true, used for
/// AUC and recall-matched rejection) and a decision per alert (at the scorer's own threshold).
/// </summary>
internal sealed record Scorer(string Key, string Name, string Definition, double[] Scores, bool[] Decisions)
{
    /// <summary>The scores are probabilities of a true alert (so their calibration is measured), not just a ranking.</summary>
    public bool IsProbability { get; init; }

    /// <summary>ECE, Brier score and reliability bins over the given alerts (only for <see cref="IsProbability"/> scorers).</summary>
    public CalibrationMetrics CalibrationOn(IReadOnlyList<int> alerts, byte[] labels) =>
        CalibrationMetrics.Of(alerts.Select(i => (float)Scores[i]).ToArray(), alerts.Select(i => labels[i]).ToArray());

    /// <summary>The network under test, at the threshold stored in its file.</summary>
    public static Scorer Network(ModelScores model, float threshold) => new("model", model.Name,
        model.Name.EndsWith(" (int8)", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"P(true) of the network; true when the raw logit reaches the integer threshold of the file (float threshold {threshold:R})")
            : string.Create(CultureInfo.InvariantCulture, $"P(true) of the network; true when P >= {threshold:R}, the threshold of the file"),
        Array.ConvertAll(model.Probability, p => (double)p), model.Decision) { IsProbability = true };

    /// <summary>
    /// The onboard trigger alone. Every alert in a data set was raised, i.e. passed all of the trigger's criteria
    /// (peak SNR >= 6.5, SNR-image std in [0.8, 1.3], peak / second peak >= 1.2, peak inside the field of view), so
    /// its decision is "true" for all; its one graded figure is the alert's peak SNR, which a stricter threshold (as
    /// the slew threshold does) would cut on. That ranking gives its AUC and its rejection at a given recall.
    /// </summary>
    public static Scorer Trigger(AlertDataset set) => new("trigger", "trigger criteria (peak SNR)",
        "decision: raised by the trigger (all alerts); score: the alert's peak SNR",
        Array.ConvertAll(set.PeakSnr, p => (double)p), Array.ConvertAll(set.PeakSnr, _ => true));

    /// <summary>The logistic regression on the hand-made features of <see cref="AlertFeatures"/>, true when P >= 0.5.</summary>
    public static Scorer Logistic(LogisticRegression model, AlertDataset set)
    {
        double[] p = model.Probabilities(AlertFeatures.Compute(set.Snr, set.Mask, set.Side, set.Count));
        return new("logistic", "logistic regression (5 features)",
            $"P(true) from {string.Join(", ", model.FeatureNames)}; true when P >= 0.5",
            p, Array.ConvertAll(p, v => v >= 0.5)) { IsProbability = true };
    }

    /// <summary>Metrics over the given alerts (all labelled 0 or 1).</summary>
    public BinaryMetrics MetricsOn(IReadOnlyList<int> alerts, byte[] labels)
    {
        var scores = new double[alerts.Count];
        var truth = new byte[alerts.Count];
        var decisions = new bool[alerts.Count];
        for (int k = 0; k < alerts.Count; k++)
        {
            (scores[k], truth[k], decisions[k]) = (Scores[alerts[k]], labels[alerts[k]], Decisions[alerts[k]]);
        }

        return new BinaryMetrics(scores, truth, decisions);
    }
}
