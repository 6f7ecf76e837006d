using System;
using System.Linq;

namespace Eclairs.Training.Networks;

/// <summary>
/// Per-thread buffers for one sample's forward and backward pass: the input, every layer's output, two ping-pong
/// gradient buffers and each layer's scratch. Allocated once; the passes allocate nothing.
/// </summary>
public sealed class NetworkWorkspace
{
    internal NetworkWorkspace(TrainingNetwork network)
    {
        Network = network;
        Input = new float[network.Spec.Input.Size];
        Activations = network.Layers.Select(l => new float[l.OutputShape.Size]).ToArray();
        Scratch = network.Layers.Select(l => new float[l.ScratchSize]).ToArray();
        int largest = Math.Max(Input.Length, network.Layers.Max(l => l.OutputShape.Size));
        GradientA = new float[largest];
        GradientB = new float[largest];
    }

    internal TrainingNetwork Network { get; }

    /// <summary>The encoded input sample (height x width x 2).</summary>
    internal float[] Input { get; }

    internal float[][] Activations { get; }

    internal float[][] Scratch { get; }

    internal float[] GradientA { get; }

    internal float[] GradientB { get; }

    /// <summary>Writable view of the input sample.</summary>
    public Span<float> InputSpan => Input;
}
