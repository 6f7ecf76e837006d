using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Training.Data;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Evaluation;

/// <summary>Which training run of a cross-validation this is.</summary>
/// <param name="Seed">Seed for this run's training, derived from the run seed, the repeat and the fold.</param>
public sealed record CrossValidationRun(int Repeat, int Fold, ulong Seed);

/// <summary>Figures of one scorer on one set of alerts.</summary>
/// <param name="Accuracy">At the decision threshold.</param>
/// <param name="Recall">True alerts kept at the decision threshold.</param>
/// <param name="RejectionAtRecall">False alerts rejected by the highest threshold keeping the target recall on these alerts.</param>
public sealed record ScoreFigures(int Count, double Auc, double Accuracy, double Recall, double RejectionAtRecall)
{
    public static ScoreFigures Of(IReadOnlyList<float> probabilities, IReadOnlyList<byte> labels, float threshold, double recall)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var metrics = new BinaryMetrics(probabilities.Select(p => (double)p).ToArray(), labels, probabilities.Select(p => p >= threshold).ToArray());
        return new ScoreFigures(metrics.Count, metrics.Auc, metrics.Accuracy, metrics.Recall, metrics.FalseAlertRejectionAtRecall(recall));
    }
}

/// <summary>One training run: the fold it was tested on and, when given, the held-out set.</summary>
public sealed record FoldResult(CrossValidationRun Run, int TrainCount, ScoreFigures Test, ScoreFigures? HeldOut, double Seconds);

/// <summary>Mean, sample standard deviation, minimum and maximum of a figure over runs (or repeats).</summary>
public sealed record Spread(double Mean, double StandardDeviation, double Min, double Max, int Count)
{
    public static Spread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new Spread(mean, sd, v.Min(), v.Max(), v.Length);
    }
}

/// <summary>Fraction of one cause's alerts decided right: mean and spread over repeats (test folds) or runs (held-out set).</summary>
public sealed record CauseResult(byte Cause, int Count, Spread Right);

/// <summary>Everything a cross-validation measured.</summary>
public sealed record CrossValidationResult(
    int Folds,
    int Repeats,
    IReadOnlyList<FoldResult> Runs,
    IReadOnlyList<CauseResult> TestCauses,
    IReadOnlyList<CauseResult> HeldOutCauses)
{
    public Spread Test(Func<ScoreFigures, double> figure) => Spread.Of(Runs.Select(r => figure(r.Test)));

    public Spread HeldOut(Func<ScoreFigures, double> figure) => Spread.Of(Runs.Where(r => r.HeldOut is not null).Select(r => figure(r.HeldOut!)));

    /// <summary>A figure over the pooled out-of-fold predictions of each repeat (every alert scored once per repeat).</summary>
    public IReadOnlyList<ScoreFigures> PooledByRepeat { get; init; } = [];
}

/// <summary>
/// Repeated stratified k-fold cross-validation: in each repeat the alerts are dealt into folds (stratified by label
/// and cause, <see cref="StratifiedFolds"/>); each fold in turn is the test set of a model fitted on the others, and
/// every fitted model is also scored on an optional held-out set. The fold assignment depends only on the seed and
/// the repeat, so runs of different training set-ups with the same seed compare on identical folds.
/// </summary>
public sealed class CrossValidation
{
    private readonly LabelledAlerts _data;
    private readonly byte[] _causes;

    public CrossValidation(LabelledAlerts data, IReadOnlyList<byte> causes, int folds, int repeats, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(causes);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (causes.Count != data.Count)
        {
            throw new ArgumentException($"{causes.Count} causes for {data.Count} alerts");
        }

        _data = data;
        _causes = causes.ToArray();
        Folds = folds;
        Repeats = repeats;
        Seed = seed;
    }

    public int Folds { get; }

    public int Repeats { get; }

    public ulong Seed { get; }

    private byte[] Labels => Enumerable.Range(0, _data.Count).Select(i => (byte)_data.Label(i)).ToArray();

    /// <summary>The fold of every alert in <paramref name="repeat"/>.</summary>
    public int[] FoldsOf(int repeat) =>
        StratifiedFolds.Assign(StratifiedFolds.LabelAndCause(Labels, _causes), Folds, SplitMix64.Derive(Seed, 0xF01D5, (ulong)repeat));

    /// <summary>
    /// Runs every fold of every repeat: <paramref name="fit"/> trains on the training part and returns the trained
    /// model's probabilities for any alerts.
    /// </summary>
    public CrossValidationResult Run(
        Func<CrossValidationRun, LabelledAlerts, Func<LabelledAlerts, float[]>> fit,
        LabelledAlerts? heldOut,
        IReadOnlyList<byte>? heldOutCauses,
        float threshold,
        double recall,
        IProgress<FoldResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (heldOut is not null && (heldOutCauses is null || heldOutCauses.Count != heldOut.Count))
        {
            throw new ArgumentException("the held-out set needs one cause per alert");
        }

        byte[] labels = Labels;
        byte[]? heldOutLabels = heldOut is null ? null : Enumerable.Range(0, heldOut.Count).Select(i => (byte)heldOut.Label(i)).ToArray();
        var runs = new List<FoldResult>();
        var pooled = new List<ScoreFigures>();
        var testRight = new Dictionary<byte, List<double>>();
        var heldOutRight = new Dictionary<byte, List<double>>();
        for (int repeat = 0; repeat < Repeats; repeat++)
        {
            int[] fold = FoldsOf(repeat);
            var outOfFold = new float[_data.Count];
            for (int f = 0; f < Folds; f++)
            {
                int[] testIndex = Enumerable.Range(0, _data.Count).Where(i => fold[i] == f).ToArray();
                int[] trainIndex = Enumerable.Range(0, _data.Count).Where(i => fold[i] != f).ToArray();
                var run = new CrossValidationRun(repeat, f, SplitMix64.Derive(Seed, 0x7EA1, (ulong)repeat, (ulong)f));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                Func<LabelledAlerts, float[]> model = fit(run, _data.Subset(trainIndex));
                float[] test = model(_data.Subset(testIndex));
                for (int k = 0; k < testIndex.Length; k++)
                {
                    outOfFold[testIndex[k]] = test[k];
                }

                ScoreFigures? held = null;
                if (heldOut is not null)
                {
                    float[] p = model(heldOut);
                    held = ScoreFigures.Of(p, heldOutLabels!, threshold, recall);
                    AddCauses(heldOutRight, p, heldOutLabels!, heldOutCauses!, threshold);
                }

                var result = new FoldResult(run, trainIndex.Length, ScoreFigures.Of(test, testIndex.Select(i => labels[i]).ToArray(), threshold, recall), held, clock.Elapsed.TotalSeconds);
                runs.Add(result);
                progress?.Report(result);
            }

            pooled.Add(ScoreFigures.Of(outOfFold, labels, threshold, recall));
            AddCauses(testRight, outOfFold, labels, _causes, threshold);
        }

        return new CrossValidationResult(Folds, Repeats, runs, Causes(testRight, _causes), heldOut is null ? [] : Causes(heldOutRight, heldOutCauses!))
        {
            PooledByRepeat = pooled,
        };
    }

    private static void AddCauses(Dictionary<byte, List<double>> into, float[] p, byte[] labels, IReadOnlyList<byte> causes, float threshold)
    {
        foreach (IGrouping<byte, int> cause in Enumerable.Range(0, p.Length).GroupBy(i => causes[i]))
        {
            double right = cause.Count(i => (p[i] >= threshold) == (labels[i] == 1)) / (double)cause.Count();
            if (!into.TryGetValue(cause.Key, out List<double>? list))
            {
                into[cause.Key] = list = [];
            }

            list.Add(right);
        }
    }

    private static CauseResult[] Causes(Dictionary<byte, List<double>> right, IReadOnlyList<byte> causes) =>
        right.OrderBy(kv => kv.Key).Select(kv => new CauseResult(kv.Key, causes.Count(c => c == kv.Key), Spread.Of(kv.Value))).ToArray();
}
