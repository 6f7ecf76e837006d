using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Evaluation;

/// <summary>
/// Stratified k-fold assignment: the alerts of each stratum (label, and cause when known) are shuffled with a seed
/// and dealt to the folds in turn, the deal continuing from one stratum to the next in stratum order. So every fold
/// holds, of every stratum, of every label and in total, its share up to one alert; the same seed gives the same folds.
/// </summary>
public static class StratifiedFolds
{
    /// <summary>The fold (0..<paramref name="folds"/>-1) of every alert.</summary>
    /// <param name="strata">One key per alert: alerts with equal keys are spread evenly (e.g. label * 256 + cause).</param>
    public static int[] Assign(IReadOnlyList<int> strata, int folds, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(strata);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        if (strata.Count < folds)
        {
            throw new ArgumentException($"{strata.Count} alerts cannot fill {folds} folds");
        }

        var assignment = new int[strata.Count];
        int dealt = 0;
        foreach (IGrouping<int, int> stratum in Enumerable.Range(0, strata.Count).GroupBy(i => strata[i]).OrderBy(g => g.Key))
        {
            int[] members = stratum.ToArray();
            new Xoshiro256StarStar(SplitMix64.Derive(seed, 0x5F01D, (ulong)(uint)stratum.Key)).Shuffle(members);
            foreach (int i in members)
            {
                assignment[i] = dealt++ % folds;
            }
        }

        return assignment;
    }

    /// <summary>Stratum keys from labels (0/1) and cause codes: label-major, so each label's alerts are dealt together.</summary>
    public static int[] LabelAndCause(IReadOnlyList<byte> labels, IReadOnlyList<byte> causes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(causes);
        if (labels.Count != causes.Count)
        {
            throw new ArgumentException($"{labels.Count} labels and {causes.Count} causes: one each per alert");
        }

        return Enumerable.Range(0, labels.Count).Select(i => (labels[i] * 256) + causes[i]).ToArray();
    }
}
