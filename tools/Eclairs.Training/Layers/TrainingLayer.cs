using System;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Layers;

/// <summary>
/// One layer of the training graph, processing one sample at a time (the trainer parallelises across samples).
/// Parameters are a slice of the network's flat parameter vector: weights first (in the engine's layout), then biases.
/// </summary>
public abstract class TrainingLayer
{
    /// <summary>Creates a layer mapping <paramref name="input"/> to <paramref name="output"/>.</summary>
    protected TrainingLayer(TensorShape input, TensorShape output)
    {
        InputShape = input;
        OutputShape = output;
    }

    /// <summary>Shape of one sample's input.</summary>
    public TensorShape InputShape { get; }

    /// <summary>Shape of one sample's output.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>The architecture description this layer was built from.</summary>
    public abstract LayerSpec Spec { get; }

    /// <summary>Number of trainable values (weights + biases).</summary>
    public virtual int ParameterCount => 0;

    /// <summary>Number of leading parameters that are weights (subject to weight decay); the rest are biases.</summary>
    public virtual int WeightCount => 0;

    /// <summary>True when the layer can hand its weight gradient to the trainer as (input, output gradient) pairs.</summary>
    internal virtual bool CanDeferWeightGradient => false;

    /// <summary>Floats of per-sample scratch the layer keeps between forward and backward.</summary>
    internal virtual int ScratchSize => 0;

    /// <summary>Draws initial parameters (weights from the layer's scheme, biases zero).</summary>
    internal virtual void Initialize(Span<float> parameters, ref Xoshiro256StarStar rng)
    {
    }

    /// <summary>Computes <paramref name="output"/> from <paramref name="input"/>.</summary>
    internal abstract void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Adds parameter gradients to the context and, when asked, writes the input gradient. Runs right after this
    /// sample's forward pass; <paramref name="outputGradient"/> may be overwritten (e.g. by the fused ReLU).
    /// </summary>
    internal abstract void Backward(
        scoped in LayerContext context,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        Span<float> outputGradient,
        Span<float> inputGradient,
        bool computeInputGradient);
}
