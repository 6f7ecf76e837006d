using System.Collections.Generic;
using Eclairs.Onboard.Inference;

namespace Eclairs.Budget;

/// <summary>Everything the report says about one model file: static costs and the short timing.</summary>
/// <param name="File">File name without ".eclw", the key of the instruction-count file (e.g. eclairs-cnn-v1.f32).</param>
/// <param name="Name">The model's own name.</param>
/// <param name="Format">float32 or int8.</param>
/// <param name="Layers">Per-layer costs.</param>
/// <param name="LayerNanoseconds">Per-layer (per fused stage) median time on the best path, from prefix differences; null when the engine
/// cannot run prefixes (int8 models must end with Sigmoid).</param>
/// <param name="BestPath">The kernel path Auto picked on this machine.</param>
/// <param name="BestNanoseconds">Median time of one Classify on the best path.</param>
/// <param name="ScalarNanoseconds">Median time of one Classify on the scalar reference kernels.</param>
/// <param name="ModelBytes">Bytes a loaded model keeps (the engine's own figure: packed and transformed weights included).</param>
/// <param name="ContextBytes">Bytes of one context (the peak: every activation and scratch buffer lives there).</param>
public sealed record ModelFigures(string File, string Name, NumberFormat Format, IReadOnlyList<LayerBudget> Layers,
    StageTimes? LayerNanoseconds, string BestPath, double BestNanoseconds, double ScalarNanoseconds,
    long ModelBytes, long ContextBytes)
{
    /// <summary>MACs per inference.</summary>
    public long Macs => Sum(l => l.Macs);

    /// <summary>Weights plus biases.</summary>
    public long Parameters => Sum(l => l.Parameters);

    /// <summary>Bytes of parameters in the file's layout.</summary>
    public long ParameterBytes => Sum(l => l.ParameterBytes);

    /// <summary>Largest single activation.</summary>
    public long LargestActivationBytes
    {
        get
        {
            long max = 0;
            foreach (LayerBudget l in Layers)
            {
                max = l.ActivationBytes > max ? l.ActivationBytes : max;
            }
            return max;
        }
    }

    private long Sum(System.Func<LayerBudget, long> field)
    {
        long n = 0;
        foreach (LayerBudget l in Layers)
        {
            n += field(l);
        }
        return n;
    }
}
