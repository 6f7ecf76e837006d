using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Training.Data;
using Eclairs.Training.Evaluation;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>Stratified folds counted by hand, and the cross-validation's bookkeeping checked with scorers whose answers are known.</summary>
public sealed class CrossValidationTests
{
    [Theory]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    [InlineData(3, 7)]
    public void Every_fold_holds_its_share_of_every_label_and_cause_up_to_one_alert(int folds, ulong seed)
    {
        // 230 false (causes 10..18, uneven) and 333 true (causes 1..4), the deck's 563.
        var random = new Random(4);
        byte[] labels = Enumerable.Range(0, 563).Select(i => (byte)(i < 230 ? 0 : 1)).OrderBy(_ => random.Next()).ToArray();
        byte[] causes = labels.Select(l => (byte)(l == 0 ? 10 + random.Next(9) : 1 + random.Next(4))).ToArray();
        int[] fold = StratifiedFolds.Assign(StratifiedFolds.LabelAndCause(labels, causes), folds, seed);
        Assert.All(fold, f => Assert.InRange(f, 0, folds - 1));
        foreach (IEnumerable<int> group in new[] { Enumerable.Range(0, 563) }
            .Concat(new[] { 0, 1 }.Select(l => Enumerable.Range(0, 563).Where(i => labels[i] == l)))
            .Concat(causes.Distinct().Select(c => Enumerable.Range(0, 563).Where(i => causes[i] == c))))
        {
            int[] members = group.ToArray();
            int[] perFold = Enumerable.Range(0, folds).Select(f => members.Count(i => fold[i] == f)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"{members.Length} alerts as {string.Join("/", perFold)}");
        }

        Assert.Equal(fold, StratifiedFolds.Assign(StratifiedFolds.LabelAndCause(labels, causes), folds, seed));
        Assert.NotEqual(fold, StratifiedFolds.Assign(StratifiedFolds.LabelAndCause(labels, causes), folds, seed + 100));
    }

    [Fact]
    public void Each_alert_is_tested_once_per_repeat_by_a_model_that_never_trained_on_it()
    {
        LabelledAlerts data = ToyAlerts.Make(40, 8, seed: 1);
        // Mark every alert by its SNR at pixel 0 (a unique value): the "model" remembers what it trained on.
        byte[] causes = Enumerable.Range(0, data.Count).Select(i => (byte)(i % 3)).ToArray();
        var cv = new CrossValidation(data, causes, folds: 4, repeats: 2, seed: 9);
        var tested = new Dictionary<(int Repeat, double Id), int>();
        CrossValidationResult result = cv.Run((run, train) =>
        {
            var seen = new HashSet<double>(Enumerable.Range(0, train.Count).Select(i => Id(train, i)));
            return alerts =>
            {
                var p = new float[alerts.Count];
                for (int i = 0; i < alerts.Count; i++)
                {
                    Assert.DoesNotContain(Id(alerts, i), seen);
                    tested[(run.Repeat, Id(alerts, i))] = tested.GetValueOrDefault((run.Repeat, Id(alerts, i))) + 1;
                    p[i] = alerts.Label(i) == 1 ? 0.8f : 0.2f; // a perfect scorer
                }

                return p;
            };
        }, heldOut: null, heldOutCauses: null, threshold: 0.5f, recall: 0.99);

        Assert.Equal(8, result.Runs.Count);
        Assert.Equal(2 * data.Count, tested.Count);
        Assert.All(tested.Values, n => Assert.Equal(1, n));
        Assert.All(result.Runs, r => Assert.Equal((1.0, 1.0, 1.0), (r.Test.Auc, r.Test.Accuracy, r.Test.RejectionAtRecall)));
        Assert.All(result.Runs, r => Assert.Equal(30, r.TrainCount));
        Assert.Equal(3, result.TestCauses.Count);
    }

    [Fact]
    public void Held_out_figures_and_per_cause_results_are_those_of_each_model()
    {
        LabelledAlerts data = ToyAlerts.Make(20, 8, seed: 2);
        LabelledAlerts held = ToyAlerts.Make(10, 8, seed: 3); // labels alternate 1, 0, 1, 0 ...
        byte[] heldCauses = Enumerable.Range(0, 10).Select(i => (byte)(i < 4 ? 7 : 8)).ToArray();
        int calls = 0;
        var cv = new CrossValidation(data, new byte[20], folds: 2, repeats: 1, seed: 1);
        CrossValidationResult result = cv.Run((run, train) =>
        {
            int k = calls++;
            // Model k calls every held-out alert true (k = 0) or every one false (k = 1).
            return alerts => Enumerable.Range(0, alerts.Count).Select(_ => k == 0 ? 0.9f : 0.1f).ToArray();
        }, held, heldCauses, threshold: 0.5f, recall: 0.99);

        Assert.Equal([0.5, 0.5], result.Runs.Select(r => r.HeldOut!.Accuracy));
        Assert.Equal([1.0, 0.0], result.Runs.Select(r => r.HeldOut!.Recall));
        CauseResult seven = Assert.Single(result.HeldOutCauses, c => c.Cause == 7);
        Assert.Equal(4, seven.Count);
        Assert.Equal(0.5, seven.Right.Mean, 12); // 2 of 4 right for both models
        Assert.Equal(0.0, seven.Right.StandardDeviation, 12);
    }

    [Fact]
    public void Spread_is_the_mean_and_sample_standard_deviation()
    {
        Spread s = Spread.Of([0.90, 0.94, 0.92, double.NaN]);
        Assert.Equal(0.92, s.Mean, 12);
        Assert.Equal(0.02, s.StandardDeviation, 12); // sqrt((0.0004 + 0.0004 + 0) / 2)
        Assert.Equal((0.90, 0.94, 3), (s.Min, s.Max, s.Count));
    }

    /// <summary>A fingerprint of an alert's pixels (the toy alerts are random, so no two share it).</summary>
    private static double Id(LabelledAlerts alerts, int i)
    {
        double sum = 0;
        ReadOnlySpan<float> snr = alerts.Snr(i);
        for (int p = 0; p < snr.Length; p++)
        {
            sum += float.IsNaN(snr[p]) ? 0 : snr[p] * (p + 1);
        }

        return sum;
    }
}
