using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>A model's probability and decision for every alert of a data set, and the labelled (scored) subset.</summary>
internal sealed class ModelScores
{
    private ModelScores(string name, float[] probability, bool[] decision, int[] scored, byte[] labels, int unclear)
    {
        Name = name;
        Probability = probability;
        Decision = decision;
        Scored = scored;
        ScoredLabels = labels;
        Unclear = unclear;
        ScoredProbabilities = Array.ConvertAll(scored, i => (double)probability[i]);
        ScoredDecisions = Array.ConvertAll(scored, i => decision[i]);
    }

    /// <summary>Model name, with " (int8)" for integer models.</summary>
    public string Name { get; }

    public float[] Probability { get; }

    public bool[] Decision { get; }

    /// <summary>Indices of the alerts labelled false (0) or true (1).</summary>
    public int[] Scored { get; }

    public byte[] ScoredLabels { get; }

    public double[] ScoredProbabilities { get; }

    public bool[] ScoredDecisions { get; }

    /// <summary>Alerts labelled unclear (2): classified, never scored.</summary>
    public int Unclear { get; }

    public static ModelScores Of(byte[] modelFile, AlertDataset set)
    {
        AlertClassifier model = AlertClassifier.Load(modelFile);
        AlertClassifierContext context = model.CreateContext();
        var probability = new float[set.Count];
        var decision = new bool[set.Count];
        var scored = new List<int>();
        for (int i = 0; i < set.Count; i++)
        {
            AlertClassification r = context.Classify(set.SnrOf(i), set.MaskOf(i));
            (probability[i], decision[i]) = (r.Probability, r.IsTrueAlert);
            if (set.Label[i] <= 1)
            {
                scored.Add(i);
            }
        }

        string name = model.NumberFormat == NumberFormat.Int8 ? model.Name + " (int8)" : model.Name;
        return new ModelScores(name, probability, decision, [.. scored], [.. scored.ConvertAll(i => set.Label[i])], set.Count - scored.Count);
    }

    public BinaryMetrics Metrics() => new(ScoredProbabilities, ScoredLabels, ScoredDecisions);
}
