namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>Operation of one int8 step (Concatenate, Flatten, Dropout and Sigmoid need none).</summary>
public enum Int8StepKind
{
    /// <summary>Quantize SNR and mask into the two-channel int8 input.</summary>
    Input,
    /// <summary>Convolution.</summary>
    Conv2D,
    /// <summary>2x2 max pooling.</summary>
    MaxPool2D,
    /// <summary>Global average pooling.</summary>
    GlobalAveragePool,
    /// <summary>Fully connected.</summary>
    Dense,
}

/// <summary>
/// One planned int8 step, fixed at load (TFLM's Prepare / CMSIS-NN's parameter structs): shapes, zero points, clamp,
/// per-channel constants in the file's form (reference kernels) and padded/packed (SIMD kernels), arena offsets.
/// </summary>
internal sealed class Int8LayerPlan
{
    public Int8StepKind Kind { get; init; }
    public int LayerIndex { get; init; }
    public TensorShape In { get; init; }
    public TensorShape Out { get; init; }
    public int KernelSize { get; init; }
    public int Pad { get; init; }
    public int InputZeroPoint { get; init; }
    public int OutputZeroPoint { get; init; }
    public int ActivationMin { get; init; } = sbyte.MinValue;
    public int ActivationMax { get; init; } = sbyte.MaxValue;

    /// <summary>Vector width this step's SIMD kernel runs (Scalar on the reference path).</summary>
    public Int8KernelPath Width { get; init; }

    /// <summary>File layout (HWIO or [in][out]), for the reference kernels (empty on SIMD paths).</summary>
    public sbyte[] Weights { get; init; } = [];

    /// <summary>Bias, multiplier: padded with zeros to <see cref="CoutPad"/>; the first cout are the file's.</summary>
    public int[] Bias { get; init; } = [];
    public int[] Multiplier { get; init; } = [];

    /// <summary>The file's shifts (reference kernels).</summary>
    public int[] Shift { get; init; } = [];

    /// <summary>SIMD form of the shift: 1 &lt;&lt; max(s, 0) and max(-s, 0), padded.</summary>
    public int[] LeftMultiplier { get; init; } = [];

    /// <summary>Some channel shifts left (<see cref="LeftMultiplier"/> not all 1): the SIMD requantization must multiply.</summary>
    public bool HasLeftShift { get; init; }
    public int[] RightShift { get; init; } = [];

    /// <summary>Pair-packed weights (<see cref="Int8Packing"/>), SIMD only.</summary>
    /// <remarks>Values start at the array's first 64-byte boundary (<see cref="PinnedAlignment"/>), as do <see cref="Transformed"/>'s.</remarks>
    public sbyte[] Packed { get; init; } = [];
    public int Pairs { get; init; }

    /// <summary>
    /// Winograd-transformed weights, when a Winograd kernel runs this convolution (U' of <see cref="Int8Winograd"/> or
    /// U'' of <see cref="Int8Winograd4"/>, see <see cref="WinogradTile"/>); else empty.
    /// </summary>
    public short[] Transformed { get; init; } = [];

    /// <summary>
    /// The fused convolution and pool runs <see cref="Int8PairWinograd"/> (one channel pair, 3x3 'same'), with
    /// <see cref="Transformed"/> as its weights; <see cref="Packed"/> stays for the unfused (every-step) run.
    /// </summary>
    public bool PairWinograd { get; init; }

    /// <summary>
    /// Dense weights for <see cref="Int8DotDense"/> (arm64 SDOT on the raw int8 input), packed [block][quad][16][4]
    /// from a 64-byte boundary; else empty, and <see cref="Packed"/> serves.
    /// </summary>
    public sbyte[] DotPacked { get; init; } = [];

    /// <summary>With <see cref="DotPacked"/>: bias − input zero point · Σ weights per output (padded to whole blocks).</summary>
    public int[] DotBias { get; init; } = [];
    /// <summary>Output tile side of the Winograd kernel running this convolution: 2 (F(2x2, 3x3)), 4 (F(4x4, 3x3)), 0 none.</summary>
    public int WinogradTile { get; init; }

    /// <summary>Offset (in int16) of the Winograd workspace in the context's regions; -1 when none.</summary>
    public int Workspace { get; init; } = -1;
    public int CoutPad { get; init; }

    /// <summary>Byte offsets into the context's int8 arena.</summary>
    public int Source { get; init; }
    public int Destination { get; init; }

    /// <summary>Offset (in int16) of this step's widened, zero-bordered input region; -1 when none.</summary>
    public int Region { get; init; } = -1;

    /// <summary>
    /// Conv2D: arena offset where the 2x2 max pool that follows it is written directly (-1: no fusion). The fused
    /// kernel requantizes the window's largest accumulator instead of four, which is exact because requantization is
    /// monotone (see <see cref="Int8Model"/>'s fusion check); the convolution's own output is then not materialised.
    /// MaxPool2D: true when the preceding convolution computes it.
    /// </summary>
    public int FusedPoolDestination { get; set; } = -1;
    public bool FusedIntoPrevious { get; set; }

    /// <summary>The fused pool's output shape (floor(H/2) x floor(W/2) x channels).</summary>
    public TensorShape FusedPoolOut { get; set; }

    public RequantizeParams Requantize => new(InputZeroPoint, OutputZeroPoint, ActivationMin, ActivationMax);
}
