using System;
using System.Collections.Generic;
using System.Linq;

namespace Eclairs.Training.Evaluation;

/// <summary>One point of a ROC curve: false-alert rate against true-alert recall at a score threshold.</summary>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);

/// <summary>
/// Metrics of a binary classifier of alerts (label 1 true alert, 0 false alert) from its scores and decisions:
/// confusion matrix, accuracy, precision, recall, AUC (the Mann-Whitney statistic, ties counted half), the ROC
/// curve, and the fraction of false alerts rejected at a threshold that keeps a given fraction of true alerts.
/// </summary>
public sealed class BinaryMetrics
{
    private readonly double[] _positives;
    private readonly double[] _negatives;

    /// <param name="scores">Higher means more likely a true alert (a probability or any monotone score).</param>
    /// <param name="labels">1 true alert, 0 false alert.</param>
    /// <param name="decisions">The classifier's own decision per alert (at its threshold).</param>
    public BinaryMetrics(IReadOnlyList<double> scores, IReadOnlyList<byte> labels, IReadOnlyList<bool> decisions)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(decisions);
        if (scores.Count != labels.Count || decisions.Count != labels.Count)
        {
            throw new ArgumentException($"{scores.Count} scores, {labels.Count} labels and {decisions.Count} decisions: one each per alert");
        }

        var positives = new List<double>();
        var negatives = new List<double>();
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] > 1)
            {
                throw new ArgumentException($"label {labels[i]} at {i}: only 0 (false) and 1 (true) are scored", nameof(labels));
            }

            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"score at {i} is NaN", nameof(scores));
            }

            bool truth = labels[i] == 1;
            (truth ? positives : negatives).Add(scores[i]);
            if (truth)
            {
                if (decisions[i]) { TruePositives++; } else { FalseNegatives++; }
            }
            else
            {
                if (decisions[i]) { FalsePositives++; } else { TrueNegatives++; }
            }
        }

        _positives = [.. positives.Order()];
        _negatives = [.. negatives.Order()];
    }

    public int TruePositives { get; }

    public int FalsePositives { get; }

    public int TrueNegatives { get; }

    public int FalseNegatives { get; }

    public int Count => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    public double Accuracy => Ratio(TruePositives + TrueNegatives, Count);

    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>P(score of a random true alert &gt; score of a random false alert), ties counted half; NaN without both classes.</summary>
    public double Auc
    {
        get
        {
            if (_positives.Length == 0 || _negatives.Length == 0)
            {
                return double.NaN;
            }

            // For each true alert: false alerts strictly below it, plus half of those equal (two-pointer sweep).
            double sum = 0;
            int below = 0, upToEqual = 0;
            foreach (double p in _positives)
            {
                while (below < _negatives.Length && _negatives[below] < p)
                {
                    below++;
                }

                upToEqual = Math.Max(upToEqual, below);
                while (upToEqual < _negatives.Length && _negatives[upToEqual] == p)
                {
                    upToEqual++;
                }

                sum += below + (0.5 * (upToEqual - below));
            }

            return sum / ((double)_positives.Length * _negatives.Length);
        }
    }

    /// <summary>
    /// Fraction of false alerts rejected by the highest score threshold that still keeps at least
    /// <paramref name="recall"/> of the true alerts (alerts at or above the threshold are kept).
    /// </summary>
    public double FalseAlertRejectionAtRecall(double recall)
    {
        if (_positives.Length == 0 || _negatives.Length == 0)
        {
            return double.NaN;
        }

        double threshold = ThresholdForRecall(recall);
        int rejected = 0;
        while (rejected < _negatives.Length && _negatives[rejected] < threshold)
        {
            rejected++;
        }

        return (double)rejected / _negatives.Length;
    }

    /// <summary>The highest threshold (score kept when &gt;=) that keeps at least <paramref name="recall"/> of the true alerts.</summary>
    public double ThresholdForRecall(double recall)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recall);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recall, 1.0);
        if (_positives.Length == 0)
        {
            return double.NaN;
        }

        int mayLose = (int)Math.Floor((1 - recall) * _positives.Length + 1e-9);
        return _positives[Math.Min(mayLose, _positives.Length - 1)];
    }

    /// <summary>The ROC curve from (0, 0) to (1, 1), one point per distinct score.</summary>
    public IReadOnlyList<RocPoint> Roc()
    {
        var points = new List<RocPoint> { new(double.PositiveInfinity, 0, 0) };
        double[] thresholds = [.. _positives.Concat(_negatives).Distinct().OrderDescending()];
        int p = _positives.Length, n = _negatives.Length;
        foreach (double t in thresholds)
        {
            int tp = p - LowerBound(_positives, t);
            int fp = n - LowerBound(_negatives, t);
            points.Add(new RocPoint(t, Ratio(fp, n), Ratio(tp, p)));
        }

        return points;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    private static double Ratio(int a, int b) => b == 0 ? double.NaN : (double)a / b;
}
