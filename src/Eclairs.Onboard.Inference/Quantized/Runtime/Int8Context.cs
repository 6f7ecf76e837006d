using System;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>Outcome of one int8 classification (the ICD's ecl_result).</summary>
/// <param name="Probability">sigmoid(<paramref name="Logit"/>), computed at the edge in float.</param>
/// <param name="Logit">Dequantized logit: output scale · (raw - zero point).</param>
/// <param name="RawLogit">The int8 output of the last layer.</param>
/// <param name="IsTrueAlert">RawLogit &gt;= the integer decision threshold (no float involved).</param>
public readonly record struct Int8ClassificationResult(float Probability, float Logit, int RawLogit, bool IsTrueAlert);

/// <summary>
/// Scratch for one <see cref="Int8Model"/> on one thread: an int8 arena holding every step's output (so harnesses
/// can read each layer) and, on the SIMD path, zero-bordered int16 regions of widened conv/dense inputs whose borders
/// are cleared once here. Classifying allocates nothing; it walks the steps the selector planned and switches on
/// each step's algorithm and lanes only.
/// </summary>
public sealed unsafe class Int8Context
{
    private readonly sbyte[] _arena;
    private readonly short[] _regions;
    private readonly int _arenaStart;

    /// <summary>Creates scratch for <paramref name="model"/>.</summary>
    public Int8Context(Int8Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _arena = PinnedAlignment.Allocate<sbyte>(model.Header.ArenaBytes);
        _regions = PinnedAlignment.Allocate<short>(model.Header.RegionShorts);
        _arenaStart = PinnedAlignment.Offset(_arena);
    }

    /// <summary>The model.</summary>
    public Int8Model Model { get; }

    /// <summary>Bytes of scratch.</summary>
    public long ContextBytes => BytesFor(Model);

    /// <summary>Bytes of scratch a context of <paramref name="model"/> keeps (64 bytes of slack per array for alignment).</summary>
    internal static long BytesFor(Int8Model model) => model.Header.ArenaBytes + (2L * model.Header.RegionShorts) + (2 * PinnedAlignment.Bytes);

    /// <summary>Number of computed steps (input quantization, then each Conv2D, MaxPool2D, GlobalAveragePool, Dense).</summary>
    public int StepCount => Model.Header.StepCount;

    /// <summary>Which layer step <paramref name="step"/> computes.</summary>
    public int StepLayerIndex(int step) => Step(step).LayerIndex;

    /// <summary>What step <paramref name="step"/> computes.</summary>
    public Int8StepKind StepKind(int step) => Step(step).Kind;

    /// <summary>True when every step's output is written (the model was planned with <see cref="ModelOptions.KeepEveryStep"/>).</summary>
    public bool KeepsEveryStep => Model.KeepsEveryStep;

    /// <summary>False for a convolution whose fused pool is all this context writes (see <see cref="StepOutput"/>).</summary>
    public bool HasStepOutput(int step) => Step(step).PoolDestination < 0;

    /// <summary>The int8 output of step <paramref name="step"/> from the last run (NHWC).</summary>
    /// <exception cref="InvalidOperationException">The step is a convolution whose pool is fused into it, so its own output is never written: load the model with <see cref="ModelOptions.KeepEveryStep"/>.</exception>
    public ReadOnlySpan<sbyte> StepOutput(int step)
    {
        ref readonly Int8Step l = ref Step(step);
        if (l.PoolDestination >= 0)
        {
            throw new InvalidOperationException($"step {step} (Conv2D of layer {l.LayerIndex}) writes only its fused 2x2 max pool: load the model with ModelOptions.KeepEveryStep to read it");
        }
        return _arena.AsSpan(_arenaStart + l.Destination, (int)l.Out.Size);
    }

    /// <summary>Quantizes and classifies one alert. Allocates nothing.</summary>
    /// <exception cref="InputValidationException">A length, mask value or SNR value is refused.</exception>
    public Int8ClassificationResult Classify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        ref Int8PlanHeader h = ref Model.Header;
        Int8Input.Quantize(snr, mask, new InputNormalization(h.NormalizationScale, h.NormalizationOffset), h.InputSteps, h.InputZeroPoint, Input());
        return Finish();
    }

    /// <summary>
    /// As <see cref="Classify"/>, but a refused input is returned as its code (and <paramref name="result"/> is
    /// default) instead of thrown: the C ABI's path, which must not allocate even on bad input.
    /// </summary>
    public InputError TryClassify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, out Int8ClassificationResult result)
    {
        result = default;
        Span<sbyte> input = Input();
        InputError error = InputStage.Validate(snr, mask, input.Length / 2, out _);
        if (error != InputError.None)
        {
            return error;
        }
        ref Int8PlanHeader h = ref Model.Header;
        Int8Input.QuantizeValidated(snr, mask, new InputNormalization(h.NormalizationScale, h.NormalizationOffset), h.InputSteps, h.InputZeroPoint, input);
        result = Finish();
        return InputError.None;
    }

    /// <summary>Classifies an already quantized two-channel input (golden-vector harnesses).</summary>
    public Int8ClassificationResult ClassifyQuantized(ReadOnlySpan<sbyte> quantizedInput)
    {
        Span<sbyte> input = Input();
        if (quantizedInput.Length != input.Length)
        {
            throw new ArgumentException($"expected {input.Length} int8 values, got {quantizedInput.Length}", nameof(quantizedInput));
        }
        quantizedInput.CopyTo(input);
        return Finish();
    }

    private ref readonly Int8Step Step(int step) => ref Model.Steps[step];

    private Span<sbyte> Input()
    {
        ref readonly Int8Step first = ref Step(0);
        return _arena.AsSpan(_arenaStart + first.Destination, (int)first.Out.Size);
    }

    private Int8ClassificationResult Finish()
    {
        RunLayers();
        ref Int8PlanHeader h = ref Model.Header;
        int raw = _arena[_arenaStart + Model.Steps[^1].Destination];
        float logit = h.OutputScale * (raw - h.OutputZeroPoint);
        float probability = InferenceContext.Sigmoid(logit);
        return new Int8ClassificationResult(probability, logit, raw, raw >= h.IntegerThreshold);
    }

    private void RunLayers()
    {
        byte* block = Model.Arena.Start;
        Span<Int8Step> steps = Model.Steps;
        fixed (sbyte* arenaStorage = _arena)
        fixed (short* regionStorage = _regions)
        {
            sbyte* arena = PinnedAlignment.Start(arenaStorage);
            short* regions = PinnedAlignment.Start(regionStorage);
            for (int s = 1; s < steps.Length; s++)
            {
                Run(steps[s], block, arena, regions);
            }
        }
    }

    /// <summary>
    /// Runs step <paramref name="step"/> alone on this context's buffers, reading what the last classification left
    /// there (per-layer benchmarks and timing).
    /// </summary>
    internal void RunStep(int step)
    {
        if (step == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "step 0 is the input stage: RunInput");
        }
        fixed (sbyte* arenaStorage = _arena)
        fixed (short* regionStorage = _regions)
        {
            Run(Model.Steps[step], Model.Arena.Start, PinnedAlignment.Start(arenaStorage), PinnedAlignment.Start(regionStorage));
        }
    }

    /// <summary>The input stage alone: validation and quantization of one alert (per-layer timing).</summary>
    internal InputError RunInput(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        Span<sbyte> input = Input();
        InputError error = InputStage.Validate(snr, mask, input.Length / 2, out _);
        if (error == InputError.None)
        {
            ref Int8PlanHeader h = ref Model.Header;
            Int8Input.QuantizeValidated(snr, mask, new InputNormalization(h.NormalizationScale, h.NormalizationOffset), h.InputSteps, h.InputZeroPoint, input);
        }
        return error;
    }

    /// <summary>One step: a switch on the algorithm the selector stored, then (SIMD) on its lanes.</summary>
    private static void Run(in Int8Step l, byte* block, sbyte* arena, short* regions)
    {
        sbyte* src = arena + l.Source;
        sbyte* dst = arena + (l.PoolDestination >= 0 ? l.PoolDestination : l.Destination);
        switch (l.Algorithm)
        {
            case KernelAlgorithm.None:
                break; // a max pool computed by the convolution before it
            case KernelAlgorithm.ReferenceConv2D:
                Int8ReferenceKernels.Conv2D(l.Requantize, new ReadOnlySpan<sbyte>(src, (int)l.In.Size), l.In,
                    new ReadOnlySpan<sbyte>(block + l.Weights, l.KernelSize * l.KernelSize * l.In.Channels * l.Out.Channels),
                    new ReadOnlySpan<int>(block + l.Bias, l.Out.Channels), new ReadOnlySpan<int>(block + l.Multiplier, l.Out.Channels),
                    new ReadOnlySpan<int>(block + l.Shift, l.Out.Channels), l.KernelSize, l.Pad, new Span<sbyte>(dst, (int)l.Out.Size), l.Out);
                break;
            case KernelAlgorithm.ReferenceDense:
                Int8ReferenceKernels.Dense(l.Requantize, new ReadOnlySpan<sbyte>(src, l.In.Channels),
                    new ReadOnlySpan<sbyte>(block + l.Weights, l.In.Channels * l.Out.Channels),
                    new ReadOnlySpan<int>(block + l.Bias, l.Out.Channels), new ReadOnlySpan<int>(block + l.Multiplier, l.Out.Channels),
                    new ReadOnlySpan<int>(block + l.Shift, l.Out.Channels), new Span<sbyte>(dst, l.Out.Channels));
                break;
            case KernelAlgorithm.ReferenceMaxPool:
                Int8ReferenceKernels.MaxPool2D(new ReadOnlySpan<sbyte>(src, (int)l.In.Size), l.In, new Span<sbyte>(dst, (int)l.Out.Size), l.Out);
                break;
            case KernelAlgorithm.ReferenceGlobalAveragePool:
                Int8ReferenceKernels.GlobalAveragePool(new ReadOnlySpan<sbyte>(src, (int)l.In.Size), l.In, new Span<sbyte>(dst, (int)l.Out.Size));
                break;
            case KernelAlgorithm.MaxPool:
                Int8Simd.MaxPool2D(src, l.In, dst, l.Out);
                break;
            case KernelAlgorithm.ReferenceAdd:
                Int8ReferenceKernels.Add(l.AddParameters, new ReadOnlySpan<sbyte>(src, (int)l.Out.Size), new ReadOnlySpan<sbyte>(arena + l.Residual, (int)l.Out.Size),
                    new Span<sbyte>(dst, (int)l.Out.Size));
                break;
            case KernelAlgorithm.Add:
                Int8ResidualSimd.Add(l, src, arena + l.Residual, dst, (int)l.Out.Size);
                break;
            case KernelAlgorithm.ReferenceAveragePool:
                Int8ReferenceKernels.AveragePool2D(new ReadOnlySpan<sbyte>(src, (int)l.In.Size), l.In, new Span<sbyte>(dst, (int)l.Out.Size), l.Out);
                break;
            case KernelAlgorithm.AveragePool:
                Int8ResidualSimd.AveragePool2D(src, l.In, dst, l.Out);
                break;
            case KernelAlgorithm.ReferenceGeneralConv2D:
                Int8ReferenceKernels.GeneralConv2D(l.Requantize, new ReadOnlySpan<sbyte>(src, (int)l.In.Size), l.In,
                    new ReadOnlySpan<sbyte>(block + l.Weights, l.KernelSize * l.KernelSize * l.In.Channels * l.Out.Channels),
                    new ReadOnlySpan<int>(block + l.Bias, l.Out.Channels), new ReadOnlySpan<int>(block + l.Multiplier, l.Out.Channels),
                    new ReadOnlySpan<int>(block + l.Shift, l.Out.Channels), l.KernelSize, l.Stride, l.Pad, new Span<sbyte>(dst, (int)l.Out.Size), l.Out);
                break;
            case KernelAlgorithm.DotProductDense:
                Int8DotDense.Dense<DotProductArm64, LanesArm64>(l, block, src, (int*)(regions + l.Workspace), dst);
                break;
            case KernelAlgorithm.DotProductDenseModel when l.Lanes == KernelLanes.AdvSimd128:
                Int8DotDense.Dense<DotProductModel, LanesArm64>(l, block, src, (int*)(regions + l.Workspace), dst);
                break;
            case KernelAlgorithm.DotProductDenseModel:
                Int8DotDense.Dense<DotProductModel, Lanes128>(l, block, src, (int*)(regions + l.Workspace), dst);
                break;
            default:
                switch (l.Lanes)
                {
                    case KernelLanes.Vector512:
                        Simd<Lanes512, Vector512<int>>(l, block, src, dst, regions);
                        break;
                    case KernelLanes.Vector256:
                        Simd<Lanes256, Vector256<int>>(l, block, src, dst, regions);
                        break;
                    case KernelLanes.AdvSimd128:
                        Simd<LanesArm64, Vector128<int>>(l, block, src, dst, regions);
                        break;
                    case KernelLanes.Vector128:
                        Simd<Lanes128, Vector128<int>>(l, block, src, dst, regions);
                        break;
                }
                break;
        }
    }

    /// <summary>A SIMD step on the lanes the plan chose: widen the input into its zero-bordered region, then the algorithm.</summary>
    private static void Simd<TOps, TVec>(in Int8Step l, byte* block, sbyte* src, sbyte* dst, short* regions)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        short* region = regions + l.Region;
        bool pooled = l.PoolDestination >= 0;
        switch (l.Algorithm)
        {
            case KernelAlgorithm.WinogradF4:
                Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, region);
                Int8Winograd4.Conv2D<TOps, TVec>(l, block, region, (int*)(regions + l.Workspace), dst, pooled);
                break;
            case KernelAlgorithm.WinogradF2:
                Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, region);
                Int8Winograd.Conv2D<TOps, TVec>(l, block, region, (int*)(regions + l.Workspace), dst, pooled);
                break;
            case KernelAlgorithm.PairWinogradF2:
                Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, region);
                Int8PairWinograd.Conv2DPooled<TOps, TVec>(l, block, region, dst);
                break;
            case KernelAlgorithm.DirectConv2D when pooled:
                Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, region);
                Int8Simd.Conv2DPooled<TOps, TVec>(l, block, region, dst);
                break;
            case KernelAlgorithm.DirectConv2D:
                Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, region);
                Int8Simd.Conv2D<TOps, TVec>(l, block, region, dst);
                break;
            case KernelAlgorithm.StridedConv2D:
                Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, region);
                Int8ResidualSimd.StridedConv2D<TOps, TVec>(l, block, region, dst);
                break;
            case KernelAlgorithm.Dense:
                Int8Simd.Widen(src, new TensorShape(1, 1, l.In.Channels), l.InputZeroPoint, 0, region);
                Int8Simd.Dense<TOps, TVec>(l, block, region, (int*)(regions + l.Workspace), dst);
                break;
        }
    }
}
