using System.Runtime.InteropServices;

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
    /// <summary>Residual Add with TFLM's ADD requantization of both inputs.</summary>
    Add,
    /// <summary>2x2 average pooling, stride 2.</summary>
    AveragePool2D,
    /// <summary>Convolution of any kernel side and stride (<see cref="GeneralConv2DLayer"/>: 1x1, stride 2).</summary>
    GeneralConv2D,
}

/// <summary>
/// One planned int8 step, fixed at load (TFLM's Prepare / CMSIS-NN's parameter structs) and kept in the model's
/// arena, so <see cref="Int8Model.Verify"/> covers every field: the selector's algorithm and lanes, shapes, zero
/// points, clamp, arena offsets, and where its parameters are in the arena (byte offsets from the arena's start,
/// each 64-byte aligned; -1 for none). All fields are int32, so there are no padding bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Int8Step
{
    public Int8StepKind Kind;
    public KernelAlgorithm Algorithm;
    public KernelLanes Lanes;
    public int LayerIndex;
    public TensorShape In;
    /// <summary>The layer's own output (a convolution's full-resolution output, even when its pool is fused).</summary>
    public TensorShape Out;
    /// <summary>Conv2D with a fused pool: the pooled output shape (floor(H/2) x floor(W/2) x channels).</summary>
    public TensorShape PooledOut;
    public int KernelSize;
    public int Pad;
    /// <summary>Input channel pairs (int16 pairs per widened pixel).</summary>
    public int Pairs;
    /// <summary>Output channels padded to the lanes' block (two accumulator vectors).</summary>
    public int CoutPad;
    public int InputZeroPoint;
    public int OutputZeroPoint;
    public int ActivationMin;
    public int ActivationMax;
    /// <summary>1 when some channel shifts left: the SIMD requantization must multiply by 2^left.</summary>
    public int HasLeftShift;

    /// <summary>Byte offsets into the context's int8 arena.</summary>
    public int Source;
    public int Destination;
    /// <summary>Conv2D: where the fused pool's output is written (-1: no fusion).</summary>
    public int PoolDestination;

    /// <summary>Offset (in int16) of this step's widened, zero-bordered input region in the context; -1 when none.</summary>
    public int Region;
    /// <summary>Offset (in int16) of the Winograd workspace in the context's regions; -1 when none.</summary>
    public int Workspace;

    /// <summary>File-layout weights (HWIO or [in][out]), for the reference kernels.</summary>
    public int Weights;
    /// <summary>Pair-packed (or block-major dense) weights for the direct SIMD kernels.</summary>
    public int Packed;
    /// <summary>Winograd-transformed int16 weights (U' of F(2x2) or the one-pair kernel, U'' of F(4x4)).</summary>
    public int Transformed;
    /// <summary>Dense weights packed for SDOT, and bias − zp·Σ w per output.</summary>
    public int DotPacked;
    public int DotBias;
    /// <summary>Per channel, padded with zeros to <see cref="CoutPad"/>: bias and multiplier.</summary>
    public int Bias;
    public int Multiplier;
    /// <summary>The file's shifts (reference kernels), then the SIMD form: 1 &lt;&lt; max(s, 0) and max(−s, 0), padded.</summary>
    public int Shift;
    public int LeftMultiplier;
    public int RightShift;

    /// <summary>Convolution stride (GeneralConv2D; 1 elsewhere).</summary>
    public int Stride;
    /// <summary>Add: byte offset in the context's arena of input 2 (the source layer's output); -1 elsewhere.</summary>
    public int Residual;
    /// <summary>Add: zero point of input 2 (input 1's is <see cref="InputZeroPoint"/>).</summary>
    public int ResidualZeroPoint;
    /// <summary>Add: left shift of both inputs (20), multipliers and shifts of input 1, input 2 and the sum.</summary>
    public int AddLeftShift;
    public int AddInputMultiplier;
    public int AddInputShift;
    public int AddResidualMultiplier;
    public int AddResidualShift;
    public int AddOutputMultiplier;
    public int AddOutputShift;

    /// <summary>The Add's requantization as its kernels read it.</summary>
    public readonly AddParams AddParameters => new(InputZeroPoint, ResidualZeroPoint, OutputZeroPoint, AddLeftShift,
        AddInputMultiplier, AddInputShift, AddResidualMultiplier, AddResidualShift, AddOutputMultiplier, AddOutputShift, ActivationMin, ActivationMax);

    public readonly RequantizeParams Requantize => new(InputZeroPoint, OutputZeroPoint, ActivationMin, ActivationMax);

    /// <summary>The per-channel constants of the SIMD requantization, as pointers into the arena at <paramref name="block"/>.</summary>
    public readonly unsafe RequantizeConstants Constants(byte* block, bool dotProduct = false) =>
        new((int*)(block + (dotProduct ? DotBias : Bias)), (int*)(block + LeftMultiplier), (int*)(block + Multiplier), (int*)(block + RightShift),
            OutputZeroPoint, ActivationMin, ActivationMax, HasLeftShift != 0);
}

/// <summary>The int8 plan's constants, at the start of its plan region: everything the edge and the decision read.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Int8PlanHeader
{
    public float DecisionThreshold;
    public float NormalizationScale;
    public float NormalizationOffset;
    public int InputSteps;
    public int InputZeroPoint;
    /// <summary>True alert when the raw logit is &gt;= this.</summary>
    public int IntegerThreshold;
    public float OutputScale;
    public int OutputZeroPoint;
    public int ArenaBytes;
    public int RegionShorts;
    public int StepCount;
    public int StepsOffset;
}
