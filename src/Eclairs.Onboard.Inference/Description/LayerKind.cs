namespace Eclairs.Onboard.Inference;

/// <summary>Operator of one layer. The numeric values are the kind codes stored in <c>.eclw</c> files.</summary>
public enum LayerKind
{
    /// <summary>Not a layer; never valid in a description or a file.</summary>
    None = 0,
    /// <summary>The two input planes: SNR image and mask, both H x W.</summary>
    Input = 1,
    /// <summary>Interleaves SNR and mask as two channels (NHWC).</summary>
    Concatenate = 2,
    /// <summary>2-D convolution, stride 1, optional fused ReLU.</summary>
    Conv2D = 3,
    /// <summary>Max pooling 2 x 2, stride 2, floor on odd sizes.</summary>
    MaxPool2D = 4,
    /// <summary>Mean over all pixels per channel.</summary>
    GlobalAveragePool = 5,
    /// <summary>Reshape to a vector in (h, w, c) order; free in NHWC.</summary>
    Flatten = 6,
    /// <summary>Fully connected layer, optional fused ReLU.</summary>
    Dense = 7,
    /// <summary>Identity at inference.</summary>
    Dropout = 8,
    /// <summary>Logistic output on a single logit.</summary>
    Sigmoid = 9,
    /// <summary>Average pooling 2 x 2, stride 2, floor on odd sizes.</summary>
    AveragePool2D = 10,
    /// <summary>Residual sum: the previous layer's output plus an earlier layer's, optional fused ReLU.</summary>
    Add = 11,
    /// <summary>Starts a branch: its output is an earlier layer's output (the next layer reads that).</summary>
    Branch = 12,
    /// <summary>2-D convolution with a kernel of 1, 3, 5 or 7 and a stride of 1 or 2 (1x1 and strided convolutions).</summary>
    GeneralConv2D = 13,
}

/// <summary>Padding of a convolution.</summary>
public enum Padding
{
    /// <summary>No padding: the output shrinks by kernel - 1.</summary>
    Valid = 0,
    /// <summary>Zero padding of (kernel - 1) / 2 on each side: output size = input size.</summary>
    Same = 1,
}

/// <summary>Activation fused into a convolution or dense layer.</summary>
public enum Activation
{
    /// <summary>Identity.</summary>
    None = 0,
    /// <summary>max(x, 0).</summary>
    Relu = 1,
}
