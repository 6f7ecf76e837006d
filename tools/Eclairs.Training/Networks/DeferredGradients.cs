using System;
using Eclairs.Training.Layers;

namespace Eclairs.Training.Networks;

/// <summary>
/// Per-batch slots for the layers that defer their weight gradient (dense layers): each sample of the batch
/// leaves its layer input and output gradient in its own slot, so samples on different threads never share memory.
/// </summary>
internal sealed class DeferredGradients
{
    public DeferredGradients(TrainingNetwork network, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        Inputs = new float[network.Layers.Count][];
        OutputGradients = new float[network.Layers.Count][];
        for (int i = 0; i < network.Layers.Count; i++)
        {
            TrainingLayer layer = network.Layers[i];
            if (layer.CanDeferWeightGradient)
            {
                Inputs[i] = new float[checked(capacity * layer.InputShape.Size)];
                OutputGradients[i] = new float[checked(capacity * layer.OutputShape.Size)];
            }
        }
    }

    /// <summary>Most samples per batch.</summary>
    public int Capacity { get; }

    /// <summary>Per layer (null when the layer does not defer): inputs of the batch's samples, slot after slot.</summary>
    public float[]?[] Inputs { get; }

    /// <summary>Per layer: output gradients of the batch's samples, slot after slot.</summary>
    public float[]?[] OutputGradients { get; }

    public bool Defers(int layer) => Inputs[layer] is not null;
}
