using System;
using System.Collections.Generic;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Export;

/// <summary>
/// One layer of a trained network with its parameters in the engine's layouts: convolution weights HWIO
/// [kh][kw][cin][cout], dense weights [in][out], biases [out]. Layers without parameters have none.
/// </summary>
public sealed class TrainedLayer
{
    private readonly float[]? _weights;
    private readonly float[]? _bias;
    private readonly int[] _weightShape;

    internal TrainedLayer(LayerSpec spec, TensorShape input, TensorShape output, float[]? weights, int[] weightShape, float[]? bias)
    {
        Spec = spec;
        InputShape = input;
        OutputShape = output;
        _weights = weights;
        _weightShape = weightShape;
        _bias = bias;
    }

    /// <summary>The layer's architecture.</summary>
    public LayerSpec Spec { get; }

    /// <summary>Shape of one sample's input.</summary>
    public TensorShape InputShape { get; }

    /// <summary>Shape of one sample's output.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>True for Conv2D and Dense.</summary>
    public bool HasParameters => _weights is not null;

    /// <summary>Weights in the engine's layout (empty when the layer has none).</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Dimensions of <see cref="Weights"/>, outermost first: [kh, kw, cin, cout] or [in, out].</summary>
    public IReadOnlyList<int> WeightShape => _weightShape;

    /// <summary>Biases, one per output channel or unit (empty when the layer has none).</summary>
    public ReadOnlySpan<float> Bias => _bias;
}
