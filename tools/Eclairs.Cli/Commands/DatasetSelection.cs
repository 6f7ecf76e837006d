using System.Collections.Generic;
using Eclairs.Simulation.Formats;

namespace Eclairs.Cli.Commands;

/// <summary>Subsets of a data set the training commands use.</summary>
internal static class DatasetSelection
{
    /// <summary>The alerts labelled false or true: unclear ones (label 2) are kept out of training and scoring.</summary>
    public static AlertDataset Labelled(AlertDataset set)
    {
        var keep = new List<int>();
        for (int i = 0; i < set.Count; i++)
        {
            if (set.Label[i] != (byte)AlertLabel.Unclear)
            {
                keep.Add(i);
            }
        }

        return keep.Count == set.Count ? set : set.Select(keep);
    }
}
