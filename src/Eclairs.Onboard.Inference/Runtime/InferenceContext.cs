using System;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Scratch for classifying with one <see cref="Model"/> on one thread at a time: two ping-pong activation regions
/// plus padded copies for 'same' convolutions, sized by the plan and allocated here. Classifying allocates nothing.
/// </summary>
public sealed unsafe class InferenceContext
{
    private readonly AlignedBuffer _scratch;
    private readonly int _inputPixels;

    /// <summary>Creates scratch for <paramref name="model"/>.</summary>
    public InferenceContext(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _inputPixels = model.Network.InputHeight * model.Network.InputWidth;
        _scratch = new AlignedBuffer(model.Header.ScratchFloats);
        _scratch.Span.Clear();
    }

    /// <summary>The model this context runs.</summary>
    public Model Model { get; }

    /// <summary>Bytes of scratch this context keeps.</summary>
    public long ContextBytes => _scratch.AllocatedBytes;

    /// <summary>Number of values <see cref="Evaluate"/> writes (1 for a classifier: the logit).</summary>
    public int OutputLength => Model.Header.OutputLength;

    /// <summary>
    /// Classifies one alert: <paramref name="snr"/> and <paramref name="mask"/> hold height x width values, row-major.
    /// Allocates nothing.
    /// </summary>
    /// <exception cref="InputValidationException">A length, mask value or SNR value is refused (nothing is computed).</exception>
    public ClassificationResult Classify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        InputError error = TryClassify(snr, mask, out ClassificationResult result);
        if (error != InputError.None)
        {
            InputStage.Validate(snr, mask, _inputPixels, out int pixel);
            throw InputStage.Describe(error, pixel, snr, mask, _inputPixels);
        }
        return result;
    }

    /// <summary>
    /// As <see cref="Classify"/>, but a refused input is returned as its code (and <paramref name="result"/> is
    /// default) instead of thrown: the C ABI's path, which must not allocate even on bad input.
    /// </summary>
    public InputError TryClassify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, out ClassificationResult result)
    {
        if (!Model.IsClassifier)
        {
            throw new InvalidOperationException("this network does not end with a Sigmoid; use Evaluate");
        }
        result = default;
        InputError error = InputStage.Validate(snr, mask, _inputPixels, out _);
        if (error != InputError.None)
        {
            return error;
        }
        Run(snr, mask);
        ref FloatPlanHeader header = ref Model.Header;
        float logit = _scratch.Pointer[header.OutputOffset];
        float probability = Sigmoid(logit);
        result = new ClassificationResult(probability, logit, probability >= header.DecisionThreshold);
        return InputError.None;
    }

    /// <summary>
    /// Runs the network and copies its last computed activation to <paramref name="output"/> (for a classifier, the
    /// logit before the Sigmoid; for a prefix description, that layer's NHWC output). Returns the number of values.
    /// </summary>
    public int Evaluate(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, Span<float> output)
    {
        int length = Model.Header.OutputLength;
        if (output.Length < length)
        {
            throw new ArgumentException($"output holds {output.Length} values, the network produces {length}", nameof(output));
        }
        InputError error = InputStage.Validate(snr, mask, _inputPixels, out int pixel);
        if (error != InputError.None)
        {
            throw InputStage.Describe(error, pixel, snr, mask, _inputPixels);
        }
        Run(snr, mask);
        new ReadOnlySpan<float>(_scratch.Pointer + Model.Header.OutputOffset, length).CopyTo(output);
        return length;
    }

    internal static float Sigmoid(float logit)
    {
        if (logit >= 0f)
        {
            return 1f / (1f + MathF.Exp(-logit));
        }
        float e = MathF.Exp(logit);
        return e / (1f + e);
    }

    /// <summary>Walks the steps the selector planned: one switch on each step's algorithm, then on its lanes.</summary>
    private void Run(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        foreach (ref readonly PlanStep step in Model.Steps)
        {
            Run(step, snr, mask);
        }
    }

    /// <summary>
    /// Runs step <paramref name="step"/> alone on this context's scratch, reading what the previous steps of the last
    /// run left there (per-layer timing); step 0, the input stage, takes validated <paramref name="snr"/> and <paramref name="mask"/>.
    /// </summary>
    internal void RunStep(int step, ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask) => Run(Model.Steps[step], snr, mask);

    private void Run(in PlanStep step, ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        float* scratch = _scratch.Pointer;
        float* parameters = Model.Parameters;
        ref FloatPlanHeader header = ref Model.Header;
        float* workspace = scratch + header.WorkspaceOffset;
        {
            float* src = scratch + step.Source;
            float* dst = scratch + step.Destination;
            switch (step.Algorithm)
            {
                case KernelAlgorithm.Input:
                    InputStage.Write(snr, mask, step.Out.Height, step.Out.Width, new InputNormalization(header.NormalizationScale, header.NormalizationOffset),
                        dst, step.DestinationRowStride);
                    break;
                case KernelAlgorithm.ReferenceConv2D:
                    ReferenceKernels.Conv2D(new ReadOnlySpan<float>(src, (int)step.In.Size), step.In,
                        new ReadOnlySpan<float>(parameters + step.WeightOffset, step.KernelSize * step.KernelSize * step.In.Channels * step.ConvOut.Channels),
                        new ReadOnlySpan<float>(parameters + step.BiasOffset, step.ConvOut.Channels),
                        step.KernelSize, step.Pad, step.Relu != 0, new Span<float>(dst, (int)step.ConvOut.Size), step.ConvOut);
                    break;
                case KernelAlgorithm.DirectConv2D:
                    Direct(step.Lanes, Arguments(step, src, dst, parameters));
                    break;
                case KernelAlgorithm.WinogradF2:
                    WinogradF2(step.Lanes, Arguments(step, src, dst, parameters), parameters + step.TransformedWeights, workspace);
                    break;
                case KernelAlgorithm.WinogradF4:
                    WinogradF4(step.Lanes, Arguments(step, src, dst, parameters), parameters + step.TransformedWeights, workspace);
                    break;
                case KernelAlgorithm.ReferenceMaxPool:
                    ReferenceKernels.MaxPool2D(new ReadOnlySpan<float>(src, (int)step.In.Size), step.In, new Span<float>(dst, (int)step.Out.Size), step.Out);
                    break;
                case KernelAlgorithm.MaxPool:
                    MaxPool2D(step.Lanes, step, src, dst);
                    break;
                case KernelAlgorithm.ReferenceGlobalAveragePool:
                    ReferenceKernels.GlobalAveragePool(new ReadOnlySpan<float>(src, (int)step.In.Size), step.In, new Span<float>(dst, (int)step.Out.Size));
                    break;
                case KernelAlgorithm.GlobalAveragePool:
                    GlobalAveragePool(step.Lanes, step, src, dst);
                    break;
                case KernelAlgorithm.ReferenceDense:
                    ReferenceKernels.Dense(new ReadOnlySpan<float>(src, step.In.Channels), step.In.Channels,
                        new ReadOnlySpan<float>(parameters + step.WeightOffset, step.In.Channels * step.Out.Channels),
                        new ReadOnlySpan<float>(parameters + step.BiasOffset, step.Out.Channels), step.Relu != 0, new Span<float>(dst, step.Out.Channels), step.Out.Channels);
                    break;
                case KernelAlgorithm.Dense:
                    Dense(step.Lanes, step, src, dst, parameters, (int*)workspace);
                    break;
                default:
                    BranchSteps.Run(step, scratch, parameters);
                    break;
            }
        }
    }

    /// <summary>The SIMD convolution's arguments: its padded input region (the interior copied in when the producer could not write there).</summary>
    private ConvArguments Arguments(in PlanStep step, float* src, float* dst, float* parameters)
    {
        TensorShape i = step.In, o = step.ConvOut;
        int cin = i.Channels;
        float* input = src;
        int inputWidth = i.Width;
        if (step.PaddedInput >= 0)
        {
            inputWidth = i.Width + (2 * step.Pad);
            input = _scratch.Pointer + step.PaddedInput;
            if (step.CopyToPadded != 0)
            {
                // The producer could not write here itself: copy the interior; the zero border is never touched.
                int rowFloats = i.Width * cin;
                for (int y = 0; y < i.Height; y++)
                {
                    new ReadOnlySpan<float>(src + ((long)y * rowFloats), rowFloats)
                        .CopyTo(new Span<float>(input + ((((long)(y + step.Pad) * inputWidth) + step.Pad) * cin), rowFloats));
                }
            }
        }
        return new ConvArguments(input, inputWidth, cin, parameters + step.WeightOffset, parameters + step.BiasOffset, step.KernelSize, dst,
            o.Height, o.Width, o.Channels, step.Relu != 0, step.DestinationRowStride, step.Pool != 0, step.TileVectors);
    }

    private static void Direct(KernelLanes lanes, in ConvArguments args)
    {
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdConv2D<Ops512, Vector512<float>>.Run(args);
                break;
            case KernelLanes.Vector256:
                SimdConv2D<Ops256, Vector256<float>>.Run(args);
                break;
            default:
                SimdConv2D<Ops128, Vector128<float>>.Run(args);
                break;
        }
    }

    private static void WinogradF2(KernelLanes lanes, in ConvArguments args, float* transformed, float* workspace)
    {
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdWinograd<Ops512, Vector512<float>>.Run(args, transformed, workspace);
                break;
            case KernelLanes.Vector256:
                SimdWinograd<Ops256, Vector256<float>>.Run(args, transformed, workspace);
                break;
            default:
                SimdWinograd<Ops128, Vector128<float>>.Run(args, transformed, workspace);
                break;
        }
    }

    private static void WinogradF4(KernelLanes lanes, in ConvArguments args, float* transformed, float* workspace)
    {
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdWinograd4<Ops512, Vector512<float>>.Run(args, transformed, workspace);
                break;
            case KernelLanes.Vector256:
                SimdWinograd4<Ops256, Vector256<float>>.Run(args, transformed, workspace);
                break;
            default:
                SimdWinograd4<Ops128, Vector128<float>>.Run(args, transformed, workspace);
                break;
        }
    }

    private static void MaxPool2D(KernelLanes lanes, in PlanStep step, float* src, float* dst)
    {
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdPooling<Ops512, Vector512<float>>.MaxPool2D(src, step.In, dst, step.Out);
                break;
            case KernelLanes.Vector256:
                SimdPooling<Ops256, Vector256<float>>.MaxPool2D(src, step.In, dst, step.Out);
                break;
            default:
                SimdPooling<Ops128, Vector128<float>>.MaxPool2D(src, step.In, dst, step.Out);
                break;
        }
    }

    private static void GlobalAveragePool(KernelLanes lanes, in PlanStep step, float* src, float* dst)
    {
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdPooling<Ops512, Vector512<float>>.GlobalAveragePool(src, step.In, dst);
                break;
            case KernelLanes.Vector256:
                SimdPooling<Ops256, Vector256<float>>.GlobalAveragePool(src, step.In, dst);
                break;
            default:
                SimdPooling<Ops128, Vector128<float>>.GlobalAveragePool(src, step.In, dst);
                break;
        }
    }

    private static void Dense(KernelLanes lanes, in PlanStep step, float* src, float* dst, float* parameters, int* rows)
    {
        int inputs = step.In.Channels, units = step.Out.Channels;
        float* weights = parameters + step.WeightOffset;
        float* bias = parameters + step.BiasOffset;
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdDense<Ops512, Vector512<float>>.Run(src, inputs, weights, bias, step.Relu != 0, dst, units, rows);
                break;
            case KernelLanes.Vector256:
                SimdDense<Ops256, Vector256<float>>.Run(src, inputs, weights, bias, step.Relu != 0, dst, units, rows);
                break;
            default:
                SimdDense<Ops128, Vector128<float>>.Run(src, inputs, weights, bias, step.Relu != 0, dst, units, rows);
                break;
        }
    }
}
