namespace Eclairs.Onboard.Inference;

/// <summary>Immutable specification of one layer of a network description.</summary>
public abstract record LayerSpec
{
    /// <summary>The operator.</summary>
    public abstract LayerKind Kind { get; }
}

/// <summary>The network input: an SNR image and a mask, each <paramref name="Height"/> x <paramref name="Width"/>, row-major.</summary>
public sealed record InputLayer(int Height, int Width) : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Input;
}

/// <summary>Concatenates SNR (channel 0) and mask as a float 0..3 (channel 1).</summary>
public sealed record ConcatenateLayer : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Concatenate;
}

/// <summary>Convolution with <paramref name="Filters"/> output channels, a square kernel of 3 or 5, stride 1.</summary>
public sealed record Conv2DLayer(int Filters, int KernelSize, Padding Padding, Activation Activation) : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Conv2D;
}

/// <summary>Max pooling 2 x 2, stride 2; an odd last row or column is dropped (floor).</summary>
public sealed record MaxPool2DLayer : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.MaxPool2D;
}

/// <summary>Mean over height and width, per channel: H x W x C to 1 x 1 x C.</summary>
public sealed record GlobalAveragePoolLayer : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.GlobalAveragePool;
}

/// <summary>H x W x C to 1 x 1 x (H·W·C) in (h, w, c) order, as Keras does for channels-last data.</summary>
public sealed record FlattenLayer : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Flatten;
}

/// <summary>Fully connected layer with <paramref name="Units"/> outputs; takes a 1 x 1 x N vector.</summary>
public sealed record DenseLayer(int Units, Activation Activation) : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Dense;
}

/// <summary>Dropout with its training rate; the identity at inference.</summary>
public sealed record DropoutLayer(float Rate) : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Dropout;
}

/// <summary>Logistic function on the single logit; must be the last layer.</summary>
public sealed record SigmoidLayer : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Sigmoid;
}
