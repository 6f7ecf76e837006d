using System;
using System.Linq;
using Eclairs.Training.Evaluation;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>Metrics against values computed by hand and against the O(n²) pair count written here.</summary>
public class BinaryMetricsTests
{
    [Fact]
    public void Hand_computed_example()
    {
        // true alerts score 0.9, 0.8, 0.4, 0.4; false alerts 0.7, 0.4, 0.1.
        double[] scores = [0.9, 0.8, 0.4, 0.4, 0.7, 0.4, 0.1];
        byte[] labels = [1, 1, 1, 1, 0, 0, 0];
        bool[] decisions = scores.Select(s => s >= 0.5).ToArray();
        var m = new BinaryMetrics(scores, labels, decisions);

        Assert.Equal((2, 1, 2, 2), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal(4.0 / 7, m.Accuracy, 12);
        Assert.Equal(2.0 / 3, m.Precision, 12);
        Assert.Equal(0.5, m.Recall, 12);
        // Pairs (true, false): 0.9 beats 3; 0.8 beats 3; each 0.4 beats 0.1 and ties 0.4: 1.5 each -> 9 / 12.
        Assert.Equal(9.0 / 12, m.Auc, 12);
        // Keeping all true alerts needs threshold 0.4: false alerts below it: 0.1 only -> 1/3 rejected.
        Assert.Equal(0.4, m.ThresholdForRecall(1.0));
        Assert.Equal(1.0 / 3, m.FalseAlertRejectionAtRecall(1.0), 12);
        // Keeping half may lose two: threshold 0.8, rejecting 0.7, 0.4, 0.1.
        Assert.Equal(1.0, m.FalseAlertRejectionAtRecall(0.5), 12);
    }

    [Fact]
    public void Auc_equals_the_pair_count_and_the_area_under_the_roc_curve()
    {
        var rng = new Random(4);
        int n = 300;
        double[] scores = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray();
        byte[] labels = scores.Select(s => (byte)(rng.NextDouble() < 0.3 + (0.5 * s) ? 1 : 0)).ToArray();
        var m = new BinaryMetrics(scores, labels, scores.Select(s => s >= 0.5).ToArray());

        double pairs = 0;
        int pos = 0, neg = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] == 1) { pos++; } else { neg++; }
            for (int j = 0; j < n; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        Assert.Equal(pairs / ((double)pos * neg), m.Auc, 12);

        var roc = m.Roc();
        double area = 0;
        for (int k = 1; k < roc.Count; k++)
        {
            area += (roc[k].FalsePositiveRate - roc[k - 1].FalsePositiveRate) * (roc[k].TruePositiveRate + roc[k - 1].TruePositiveRate) / 2;
        }
        Assert.Equal(m.Auc, area, 10);
        Assert.Equal((1.0, 1.0), (roc[^1].FalsePositiveRate, roc[^1].TruePositiveRate));
    }

    [Fact]
    public void Refuses_unclear_labels_and_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => new BinaryMetrics([0.5], [2], [true]));
        Assert.Throws<ArgumentException>(() => new BinaryMetrics([0.5, 0.1], [1], [true]));
    }
}
