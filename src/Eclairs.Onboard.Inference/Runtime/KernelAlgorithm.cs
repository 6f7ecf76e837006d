namespace Eclairs.Onboard.Inference;

/// <summary>
/// The algorithm one planned step runs, chosen once at load by <see cref="KernelSelector"/> and stored in the step;
/// execution switches on it and checks nothing else. The same values name the generated C's choices
/// (<see cref="KernelTarget.ForC"/>).
/// </summary>
public enum KernelAlgorithm
{
    /// <summary>No work: a layer folded into another step (a max pool computed by the convolution before it).</summary>
    None = 0,
    /// <summary>The input stage: validate, normalise (float) or quantize (int8), interleave SNR and mask.</summary>
    Input = 1,
    /// <summary>Plain loops, padding tested per tap: the definition every other convolution is tested against.</summary>
    ReferenceConv2D = 2,
    /// <summary>Direct convolution, register-blocked over pixels and output channels.</summary>
    DirectConv2D = 3,
    /// <summary>Winograd F(2x2, 3x3): 16 products per 2x2 outputs instead of 36.</summary>
    WinogradF2 = 4,
    /// <summary>Winograd F(4x4, 3x3), integer (int8 only): 36 products per 4x4 outputs instead of 144.</summary>
    WinogradF4 = 5,
    /// <summary>F(2x2, 3x3) for one int16 channel pair, products kept in registers (int8, fused pool only).</summary>
    PairWinogradF2 = 6,
    /// <summary>Plain 2x2 max pooling.</summary>
    ReferenceMaxPool = 7,
    /// <summary>Vectorised 2x2 max pooling.</summary>
    MaxPool = 8,
    /// <summary>Plain global average pooling.</summary>
    ReferenceGlobalAveragePool = 9,
    /// <summary>Vectorised global average pooling.</summary>
    GlobalAveragePool = 10,
    /// <summary>Plain fully connected layer.</summary>
    ReferenceDense = 11,
    /// <summary>Vectorised fully connected layer.</summary>
    Dense = 12,
    /// <summary>Fully connected on arm64's SDOT over the raw int8 input (zero point folded into the bias at load).</summary>
    DotProductDense = 13,
    /// <summary>The same layout and correction with SDOT's lane-by-lane definition standing in (tests on x64 only).</summary>
    DotProductDenseModel = 14,
    /// <summary>
    /// Fully connected with two int8 products per 32 x 32 -> 64-bit multiply (SWAR: weights of two outputs packed as
    /// w0 + w1·2^24, sums kept apart by a bound), zero point folded into the bias (the generated C, docs/leon3.md).
    /// </summary>
    PairedDense = 15,
    /// <summary>Copies an activation: keeps a layer's output that a later Add or Branch reads, or starts a branch from it.</summary>
    CopyActivation = 16,
    /// <summary>Plain residual Add.</summary>
    ReferenceAdd = 17,
    /// <summary>Vectorised residual Add.</summary>
    Add = 18,
    /// <summary>Plain 2x2 average pooling.</summary>
    ReferenceAveragePool = 19,
    /// <summary>Vectorised 2x2 average pooling.</summary>
    AveragePool = 20,
    /// <summary>Plain loops for any kernel side and stride (<see cref="GeneralConv2DLayer"/>), padding tested per tap.</summary>
    ReferenceGeneralConv2D = 21,
    /// <summary>1x1 convolution of any stride as a vectorised dense product per output pixel.</summary>
    PointwiseConv2D = 22,
    /// <summary>Any kernel side and stride (<see cref="GeneralConv2DLayer"/>), vectorised over output channels, border taps skipped.</summary>
    StridedConv2D = 23,
}

/// <summary>The generated C's variants: each has its own set of available kernels (<see cref="KernelTarget.ForC"/>).</summary>
public enum CTarget
{
    /// <summary>Smallest code and memory: direct kernels only.</summary>
    Small = 0,
    /// <summary>Fastest kernels the C runtime offers for the shape.</summary>
    Fast = 1,
}

/// <summary>
/// The lane implementation a step's SIMD kernels are instantiated with, fixed at load: the width and, for 128 bits,
/// the instruction set (the int8 kernels have separate x64 and arm64 lanes).
/// </summary>
internal enum KernelLanes
{
    Scalar = 0,
    /// <summary>128-bit: portable Vector128 (float), SSE4.1 + AVX2 per-lane shifts (int8 on x64).</summary>
    Vector128 = 1,
    Vector256 = 2,
    Vector512 = 3,
    /// <summary>128-bit arm64 AdvSimd lanes (int8); float runs its portable Vector128 kernels.</summary>
    AdvSimd128 = 4,
}
