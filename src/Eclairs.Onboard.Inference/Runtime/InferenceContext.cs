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
    private readonly ExecutionPlan _plan;
    private readonly int _inputPixels;

    /// <summary>Creates scratch for <paramref name="model"/>.</summary>
    public InferenceContext(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _plan = model.Plan;
        _inputPixels = model.Network.InputHeight * model.Network.InputWidth;
        _scratch = new AlignedBuffer(_plan.ScratchFloats);
        _scratch.Span.Clear();
    }

    /// <summary>The model this context runs.</summary>
    public Model Model { get; }

    /// <summary>Bytes of scratch this context keeps.</summary>
    public long ContextBytes => _scratch.AllocatedBytes;

    /// <summary>Number of values <see cref="Evaluate"/> writes (1 for a classifier: the logit).</summary>
    public int OutputLength => _plan.OutputLength;

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
        float logit = _scratch.Pointer[_plan.OutputOffset];
        float probability = Sigmoid(logit);
        result = new ClassificationResult(probability, logit, probability >= Model.DecisionThreshold);
        return InputError.None;
    }

    /// <summary>
    /// Runs the network and copies its last computed activation to <paramref name="output"/> (for a classifier, the
    /// logit before the Sigmoid; for a prefix description, that layer's NHWC output). Returns the number of values.
    /// </summary>
    public int Evaluate(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, Span<float> output)
    {
        if (output.Length < _plan.OutputLength)
        {
            throw new ArgumentException($"output holds {output.Length} values, the network produces {_plan.OutputLength}", nameof(output));
        }
        InputError error = InputStage.Validate(snr, mask, _inputPixels, out int pixel);
        if (error != InputError.None)
        {
            throw InputStage.Describe(error, pixel, snr, mask, _inputPixels);
        }
        Run(snr, mask);
        new ReadOnlySpan<float>(_scratch.Pointer + _plan.OutputOffset, _plan.OutputLength).CopyTo(output);
        return _plan.OutputLength;
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

    private void Run(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        float* scratch = _scratch.Pointer;
        float* parameters = Model.Parameters;
        KernelPath path = Model.KernelPath;
        foreach (ref readonly PlanStep step in _plan.Steps.AsSpan())
        {
            float* src = scratch + step.Source;
            float* dst = scratch + step.Destination;
            switch (step.Kind)
            {
                case StepKind.Input:
                    InputStage.Write(snr, mask, step.Out.Height, step.Out.Width, Model.Normalization, dst, step.DestinationRowStride);
                    break;
                case StepKind.Conv2D:
                    Conv2D(path, step, src, dst, parameters);
                    break;
                case StepKind.MaxPool2D:
                    MaxPool2D(path, step, src, dst);
                    break;
                case StepKind.GlobalAveragePool:
                    GlobalAveragePool(path, step, src, dst);
                    break;
                case StepKind.Dense:
                    Dense(path, step, src, dst, parameters);
                    break;
            }
        }
    }

    private void Conv2D(KernelPath path, in PlanStep step, float* src, float* dst, float* parameters)
    {
        TensorShape i = step.In, o = step.ConvOut;
        int cin = i.Channels, k = step.KernelSize;
        float* weights = parameters + step.WeightOffset;
        float* bias = parameters + step.BiasOffset;
        if (path == KernelPath.Scalar)
        {
            ReferenceKernels.Conv2D(new ReadOnlySpan<float>(src, (int)i.Size), i,
                new ReadOnlySpan<float>(weights, k * k * cin * o.Channels), new ReadOnlySpan<float>(bias, o.Channels),
                k, step.Pad, step.Relu, new Span<float>(dst, (int)o.Size), o);
            return;
        }
        float* input = src;
        int inputWidth = i.Width;
        if (step.PaddedInput >= 0)
        {
            inputWidth = i.Width + (2 * step.Pad);
            input = _scratch.Pointer + step.PaddedInput;
            if (step.CopyToPadded)
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
        var args = new ConvArguments(input, inputWidth, cin, weights, bias, k, dst, o.Height, o.Width, o.Channels, step.Relu,
            step.DestinationRowStride, step.Pool);
        if (step.TransformedWeights >= 0)
        {
            float* transformed = parameters + step.TransformedWeights;
            float* workspace = _scratch.Pointer + _plan.WorkspaceOffset;
            switch (path)
            {
                case KernelPath.Vector512:
                    SimdWinograd<Ops512, Vector512<float>>.Run(args, transformed, workspace);
                    break;
                case KernelPath.Vector256:
                    SimdWinograd<Ops256, Vector256<float>>.Run(args, transformed, workspace);
                    break;
                default:
                    SimdWinograd<Ops128, Vector128<float>>.Run(args, transformed, workspace);
                    break;
            }
            return;
        }
        switch (path)
        {
            case KernelPath.Vector512:
                SimdConv2D<Ops512, Vector512<float>>.Run(args);
                break;
            case KernelPath.Vector256:
                SimdConv2D<Ops256, Vector256<float>>.Run(args);
                break;
            default:
                SimdConv2D<Ops128, Vector128<float>>.Run(args);
                break;
        }
    }

    private static void MaxPool2D(KernelPath path, in PlanStep step, float* src, float* dst)
    {
        switch (path)
        {
            case KernelPath.Scalar:
                ReferenceKernels.MaxPool2D(new ReadOnlySpan<float>(src, (int)step.In.Size), step.In, new Span<float>(dst, (int)step.Out.Size), step.Out);
                break;
            case KernelPath.Vector512:
                SimdPooling<Ops512, Vector512<float>>.MaxPool2D(src, step.In, dst, step.Out);
                break;
            case KernelPath.Vector256:
                SimdPooling<Ops256, Vector256<float>>.MaxPool2D(src, step.In, dst, step.Out);
                break;
            default:
                SimdPooling<Ops128, Vector128<float>>.MaxPool2D(src, step.In, dst, step.Out);
                break;
        }
    }

    private static void GlobalAveragePool(KernelPath path, in PlanStep step, float* src, float* dst)
    {
        switch (path)
        {
            case KernelPath.Scalar:
                ReferenceKernels.GlobalAveragePool(new ReadOnlySpan<float>(src, (int)step.In.Size), step.In, new Span<float>(dst, (int)step.Out.Size));
                break;
            case KernelPath.Vector512:
                SimdPooling<Ops512, Vector512<float>>.GlobalAveragePool(src, step.In, dst);
                break;
            case KernelPath.Vector256:
                SimdPooling<Ops256, Vector256<float>>.GlobalAveragePool(src, step.In, dst);
                break;
            default:
                SimdPooling<Ops128, Vector128<float>>.GlobalAveragePool(src, step.In, dst);
                break;
        }
    }

    private static void Dense(KernelPath path, in PlanStep step, float* src, float* dst, float* parameters)
    {
        int inputs = step.In.Channels, units = step.Out.Channels;
        float* weights = parameters + step.WeightOffset;
        float* bias = parameters + step.BiasOffset;
        switch (path)
        {
            case KernelPath.Scalar:
                ReferenceKernels.Dense(new ReadOnlySpan<float>(src, inputs), inputs, new ReadOnlySpan<float>(weights, inputs * units),
                    new ReadOnlySpan<float>(bias, units), step.Relu, new Span<float>(dst, units), units);
                break;
            case KernelPath.Vector512:
                SimdDense<Ops512, Vector512<float>>.Run(src, inputs, weights, bias, step.Relu, dst, units);
                break;
            case KernelPath.Vector256:
                SimdDense<Ops256, Vector256<float>>.Run(src, inputs, weights, bias, step.Relu, dst, units);
                break;
            default:
                SimdDense<Ops128, Vector128<float>>.Run(src, inputs, weights, bias, step.Relu, dst, units);
                break;
        }
    }
}
