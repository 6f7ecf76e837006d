namespace Eclairs.Onboard.Inference;

/// <summary>Average pooling 2 x 2, stride 2, no padding; an odd last row or column is dropped (floor).</summary>
public sealed record AveragePool2DLayer : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.AveragePool2D;
}

/// <summary>
/// Residual sum: the previous layer's output plus the output of the earlier layer <paramref name="Source"/> (same
/// shape), element by element, then the optional ReLU (a ResNet block's <c>relu(x + f(x))</c>).
/// </summary>
public sealed record AddLayer(int Source, Activation Activation) : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Add;
}

/// <summary>
/// Starts a second branch: the output is the output of the earlier layer <paramref name="Source"/>, so the next layer
/// reads it instead of the previous layer's (a residual block's shortcut convolution). Computes nothing.
/// </summary>
public sealed record BranchLayer(int Source) : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Branch;
}

/// <summary>
/// Convolution with a square kernel of 1, 3, 5 or 7 and a stride of 1 or 2: 'same' pads (k - 1) / 2 zeros on every
/// side (as PyTorch's <c>padding=k//2</c> and ONNX's explicit pads), output side floor((n + 2·pad - k) / stride) + 1.
/// The 3x3 and 5x5 stride-1 convolutions stay <see cref="Conv2DLayer"/> (their files are unchanged).
/// </summary>
public sealed record GeneralConv2DLayer(int Filters, int KernelSize, int Stride, Padding Padding, Activation Activation) : LayerSpec
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.GeneralConv2D;

    /// <summary>Zeros added on each side.</summary>
    public int Pad => Padding == Padding.Same ? (KernelSize - 1) / 2 : 0;
}
