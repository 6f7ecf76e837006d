using System;

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
/// are cleared once here. Classifying allocates nothing.
/// </summary>
public sealed unsafe class Int8Context
{
    private readonly sbyte[] _arena;
    private readonly short[] _regions;
    private readonly Int8LayerPlan[] _steps;
    private readonly bool _everyStep;
    private readonly int _arenaStart;

    /// <summary>Creates scratch for <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="keepEveryStep">
    /// Materialise every step's output (golden-vector harnesses, per-layer noise): a convolution whose 2x2 max pool is
    /// fused into it (the fast path's default) then runs unfused. The final results are the same either way.
    /// </param>
    public Int8Context(Int8Model model, bool keepEveryStep = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _everyStep = keepEveryStep;
        _steps = model.Steps;
        _arena = PinnedAlignment.Allocate<sbyte>(model.ArenaBytes);
        _regions = PinnedAlignment.Allocate<short>(model.RegionShorts);
        _arenaStart = PinnedAlignment.Offset(_arena);
    }

    /// <summary>The model.</summary>
    public Int8Model Model { get; }

    /// <summary>Bytes of scratch.</summary>
    public long ContextBytes => BytesFor(Model);

    /// <summary>Bytes of scratch a context of <paramref name="model"/> keeps (64 bytes of slack per array for alignment).</summary>
    internal static long BytesFor(Int8Model model) => model.ArenaBytes + (2L * model.RegionShorts) + (2 * PinnedAlignment.Bytes);

    /// <summary>Number of computed steps (input quantization, then each Conv2D, MaxPool2D, GlobalAveragePool, Dense).</summary>
    public int StepCount => _steps.Length;

    /// <summary>Which layer step <paramref name="step"/> computes.</summary>
    public int StepLayerIndex(int step) => _steps[step].LayerIndex;

    /// <summary>What step <paramref name="step"/> computes.</summary>
    public Int8StepKind StepKind(int step) => _steps[step].Kind;

    /// <summary>True when every step's output is materialised (see the constructor).</summary>
    public bool KeepsEveryStep => _everyStep;

    /// <summary>False for a convolution whose fused pool is all this context writes (see <see cref="StepOutput"/>).</summary>
    public bool HasStepOutput(int step) => _everyStep || _steps[step].FusedPoolDestination < 0;

    /// <summary>The int8 output of step <paramref name="step"/> from the last run (NHWC).</summary>
    /// <exception cref="InvalidOperationException">The step is a convolution whose pool is fused into it, so its own output is never written: create the context with keepEveryStep.</exception>
    public ReadOnlySpan<sbyte> StepOutput(int step)
    {
        Int8LayerPlan l = _steps[step];
        if (!HasStepOutput(step))
        {
            throw new InvalidOperationException($"step {step} (Conv2D of layer {l.LayerIndex}) writes only its fused 2x2 max pool: create the context with keepEveryStep: true to read it");
        }
        return _arena.AsSpan(_arenaStart + l.Destination, (int)l.Out.Size);
    }

    /// <summary>Quantizes and classifies one alert. Allocates nothing.</summary>
    /// <exception cref="InputValidationException">A length, mask value or SNR value is refused.</exception>
    public Int8ClassificationResult Classify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        Int8Parameters p = Model.Parameters;
        Int8Input.Quantize(snr, mask, Model.Normalization, p.InputSteps, p.InputZeroPoint, _arena.AsSpan(_arenaStart + _steps[0].Destination, (int)_steps[0].Out.Size));
        return Finish();
    }

    /// <summary>
    /// As <see cref="Classify"/>, but a refused input is returned as its code (and <paramref name="result"/> is
    /// default) instead of thrown: the C ABI's path, which must not allocate even on bad input.
    /// </summary>
    public InputError TryClassify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, out Int8ClassificationResult result)
    {
        result = default;
        Span<sbyte> input = _arena.AsSpan(_arenaStart + _steps[0].Destination, (int)_steps[0].Out.Size);
        InputError error = InputStage.Validate(snr, mask, input.Length / 2, out _);
        if (error != InputError.None)
        {
            return error;
        }
        Int8Parameters p = Model.Parameters;
        Int8Input.QuantizeValidated(snr, mask, Model.Normalization, p.InputSteps, p.InputZeroPoint, input);
        result = Finish();
        return InputError.None;
    }

    /// <summary>Classifies an already quantized two-channel input (golden-vector harnesses).</summary>
    public Int8ClassificationResult ClassifyQuantized(ReadOnlySpan<sbyte> quantizedInput)
    {
        Span<sbyte> input = _arena.AsSpan(_arenaStart + _steps[0].Destination, (int)_steps[0].Out.Size);
        if (quantizedInput.Length != input.Length)
        {
            throw new ArgumentException($"expected {input.Length} int8 values, got {quantizedInput.Length}", nameof(quantizedInput));
        }
        quantizedInput.CopyTo(input);
        return Finish();
    }

    private Int8ClassificationResult Finish()
    {
        RunLayers();
        int raw = _arena[_arenaStart + _steps[^1].Destination];
        float logit = Model.OutputScale * (raw - Model.OutputZeroPoint);
        float probability = InferenceContext.Sigmoid(logit);
        return new Int8ClassificationResult(probability, logit, raw, raw >= Model.Parameters.DecisionThreshold);
    }

    private static void Conv2DPooled(Int8KernelPath path, Int8LayerPlan l, short* region, sbyte* dst)
    {
        switch (path)
        {
            case Int8KernelPath.Vector512:
                Int8Simd.Conv2DPooled<Lanes512, System.Runtime.Intrinsics.Vector512<int>>(l, region, dst);
                break;
            case Int8KernelPath.Vector256:
                Int8Simd.Conv2DPooled<Lanes256, System.Runtime.Intrinsics.Vector256<int>>(l, region, dst);
                break;
            default:
                if (Int8Simd.IsSupportedArm64)
                {
                    Int8Simd.Conv2DPooled<LanesArm64, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                else
                {
                    Int8Simd.Conv2DPooled<Lanes128, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                break;
        }
    }

    private static void PairWinograd(Int8KernelPath path, Int8LayerPlan l, short* region, sbyte* dst)
    {
        switch (path)
        {
            case Int8KernelPath.Vector512:
                Int8PairWinograd.Conv2DPooled<Lanes512, System.Runtime.Intrinsics.Vector512<int>>(l, region, dst);
                break;
            case Int8KernelPath.Vector256:
                Int8PairWinograd.Conv2DPooled<Lanes256, System.Runtime.Intrinsics.Vector256<int>>(l, region, dst);
                break;
            default:
                if (Int8Simd.IsSupportedArm64)
                {
                    Int8PairWinograd.Conv2DPooled<LanesArm64, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                else
                {
                    Int8PairWinograd.Conv2DPooled<Lanes128, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                break;
        }
    }

    private static void Conv2D(Int8KernelPath path, Int8LayerPlan l, short* region, sbyte* dst)
    {
        switch (path)
        {
            case Int8KernelPath.Vector512:
                Int8Simd.Conv2D<Lanes512, System.Runtime.Intrinsics.Vector512<int>>(l, region, dst);
                break;
            case Int8KernelPath.Vector256:
                Int8Simd.Conv2D<Lanes256, System.Runtime.Intrinsics.Vector256<int>>(l, region, dst);
                break;
            default:
                if (Int8Simd.IsSupportedArm64)
                {
                    Int8Simd.Conv2D<LanesArm64, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                else
                {
                    Int8Simd.Conv2D<Lanes128, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                break;
        }
    }

    private static void Winograd(Int8KernelPath path, Int8LayerPlan l, short* region, int* work, sbyte* dst, bool pool)
    {
        switch (path)
        {
            case Int8KernelPath.Vector512:
                Int8Winograd.Conv2D<Lanes512, System.Runtime.Intrinsics.Vector512<int>>(l, region, work, dst, pool);
                break;
            case Int8KernelPath.Vector256:
                Int8Winograd.Conv2D<Lanes256, System.Runtime.Intrinsics.Vector256<int>>(l, region, work, dst, pool);
                break;
            default:
                if (Int8Simd.IsSupportedArm64)
                {
                    Int8Winograd.Conv2D<LanesArm64, System.Runtime.Intrinsics.Vector128<int>>(l, region, work, dst, pool);
                }
                else
                {
                    Int8Winograd.Conv2D<Lanes128, System.Runtime.Intrinsics.Vector128<int>>(l, region, work, dst, pool);
                }
                break;
        }
    }

    /// <summary>SDOT where the CPU has it; its lane-by-lane model otherwise (a test-only plan).</summary>
    private static void DotDense(Int8LayerPlan l, sbyte* src, sbyte* dst)
    {
        if (Int8DotDense.IsSupported)
        {
            Int8DotDense.Dense<DotProductArm64, LanesArm64>(l, src, dst);
        }
        else if (Int8Simd.IsSupportedArm64)
        {
            Int8DotDense.Dense<DotProductModel, LanesArm64>(l, src, dst);
        }
        else
        {
            Int8DotDense.Dense<DotProductModel, Lanes128>(l, src, dst);
        }
    }

    private static void Dense(Int8KernelPath path, Int8LayerPlan l, short* region, sbyte* dst)
    {
        switch (path)
        {
            case Int8KernelPath.Vector512:
                Int8Simd.Dense<Lanes512, System.Runtime.Intrinsics.Vector512<int>>(l, region, dst);
                break;
            case Int8KernelPath.Vector256:
                Int8Simd.Dense<Lanes256, System.Runtime.Intrinsics.Vector256<int>>(l, region, dst);
                break;
            default:
                if (Int8Simd.IsSupportedArm64)
                {
                    Int8Simd.Dense<LanesArm64, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                else
                {
                    Int8Simd.Dense<Lanes128, System.Runtime.Intrinsics.Vector128<int>>(l, region, dst);
                }
                break;
        }
    }

    private void RunLayers()
    {
        Int8KernelPath path = Model.KernelPath;
        bool simd = path != Int8KernelPath.Scalar;
        fixed (sbyte* arenaStorage = _arena)
        fixed (short* regionStorage = _regions)
        {
            sbyte* arena = PinnedAlignment.Start(arenaStorage);
            short* regions = PinnedAlignment.Start(regionStorage);
            for (int s = 1; s < _steps.Length; s++)
            {
                Int8LayerPlan l = _steps[s];
                sbyte* src = arena + l.Source;
                sbyte* dst = arena + l.Destination;
                var input = new ReadOnlySpan<sbyte>(src, (int)l.In.Size);
                var output = new Span<sbyte>(dst, (int)l.Out.Size);
                int cout = l.Out.Channels;
                bool fused = !_everyStep && l.FusedPoolDestination >= 0;
                switch (l.Kind)
                {
                    case Int8StepKind.Conv2D when simd && l.WinogradTile == 4:
                        Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, regions + l.Region);
                        Int8Winograd4.Conv2D(l.Width, l, regions + l.Region, (int*)(regions + l.Workspace), fused ? arena + l.FusedPoolDestination : dst, pool: fused);
                        break;
                    case Int8StepKind.Conv2D when simd && l.Workspace >= 0:
                        Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, regions + l.Region);
                        Winograd(l.Width, l, regions + l.Region, (int*)(regions + l.Workspace), fused ? arena + l.FusedPoolDestination : dst, fused);
                        break;
                    case Int8StepKind.Conv2D when simd && fused && l.PairWinograd:
                        Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, regions + l.Region);
                        PairWinograd(l.Width, l, regions + l.Region, arena + l.FusedPoolDestination);
                        break;
                    case Int8StepKind.Conv2D when simd && fused:
                        Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, regions + l.Region);
                        Conv2DPooled(l.Width, l, regions + l.Region, arena + l.FusedPoolDestination);
                        break;
                    case Int8StepKind.Conv2D when simd:
                        Int8Simd.Widen(src, l.In, l.InputZeroPoint, l.Pad, regions + l.Region);
                        Conv2D(l.Width, l, regions + l.Region, dst);
                        break;
                    case Int8StepKind.MaxPool2D when l.FusedIntoPrevious && !_everyStep:
                        break; // computed by the convolution before it
                    case Int8StepKind.Conv2D:
                        Int8ReferenceKernels.Conv2D(l.Requantize, input, l.In, l.Weights, l.Bias.AsSpan(0, cout), l.Multiplier.AsSpan(0, cout), l.Shift,
                            l.KernelSize, l.Pad, output, l.Out);
                        break;
                    case Int8StepKind.Dense when simd && l.DotPacked.Length > 0:
                        DotDense(l, src, dst);
                        break;
                    case Int8StepKind.Dense when simd:
                        Int8Simd.Widen(src, new TensorShape(1, 1, l.In.Channels), l.InputZeroPoint, 0, regions + l.Region);
                        Dense(l.Width, l, regions + l.Region, dst);
                        break;
                    case Int8StepKind.Dense:
                        Int8ReferenceKernels.Dense(l.Requantize, input, l.Weights, l.Bias.AsSpan(0, cout), l.Multiplier.AsSpan(0, cout), l.Shift, output);
                        break;
                    case Int8StepKind.MaxPool2D when simd:
                        Int8Simd.MaxPool2D(src, l.In, dst, l.Out);
                        break;
                    case Int8StepKind.MaxPool2D:
                        Int8ReferenceKernels.MaxPool2D(input, l.In, output, l.Out);
                        break;
                    case Int8StepKind.GlobalAveragePool:
                        Int8ReferenceKernels.GlobalAveragePool(input, l.In, output);
                        break;
                }
            }
        }
    }
}
