using System;

namespace Eclairs.Training.Networks;

/// <summary>Spatial padding of a convolution, as in Keras: 'same' keeps the size, 'valid' shrinks it by kernel-1.</summary>
public enum Padding
{
    /// <summary>Zero padding of (kernel-1)/2 on every side; output size = input size.</summary>
    Same,

    /// <summary>No padding; output size = input size - kernel + 1.</summary>
    Valid,
}

/// <summary>Activation fused into a convolution or dense layer.</summary>
public enum Activation
{
    /// <summary>Identity (e.g. the final logit).</summary>
    None,

    /// <summary>max(0, x).</summary>
    Relu,
}

/// <summary>Architecture description of one layer, independent of its weights.</summary>
public abstract record LayerSpec;

/// <summary>Square convolution, stride 1, weights HWIO [kh][kw][cin][cout], bias [cout].</summary>
public sealed record Conv2DSpec(int Filters, int Kernel, Padding Padding, Activation Activation) : LayerSpec;

/// <summary>Max pooling 2x2, stride 2, odd trailing row/column dropped (floor).</summary>
public sealed record MaxPool2DSpec : LayerSpec;

/// <summary>Mean over height and width; output is a vector of channels.</summary>
public sealed record GlobalAveragePoolSpec : LayerSpec;

/// <summary>Reinterprets an HxWxC activation as a vector in (h, w, c) order (Keras channels-last flatten).</summary>
public sealed record FlattenSpec : LayerSpec;

/// <summary>Fully connected layer on a vector, weights [in][out], bias [out].</summary>
public sealed record DenseSpec(int Units, Activation Activation) : LayerSpec;

/// <summary>Inverted dropout: identity at inference, zeroes a fraction <see cref="Rate"/> and scales the rest by 1/(1-rate) in training.</summary>
public sealed record DropoutSpec(double Rate) : LayerSpec
{
    internal void Validate()
    {
        if (!(Rate >= 0 && Rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "Dropout rate must be in [0, 1).");
        }
    }
}
