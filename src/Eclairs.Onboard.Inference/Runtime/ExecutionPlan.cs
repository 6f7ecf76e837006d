using System;
using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>Operation of one planned step (identity layers, Flatten and Dropout, get none).</summary>
internal enum StepKind
{
    Input,
    Conv2D,
    MaxPool2D,
    GlobalAveragePool,
    Dense,
}

/// <summary>
/// Everything one step needs, fixed at load: shapes, parameter offsets and which scratch regions it reads and writes.
/// Offsets are in floats: parameters into the model's block, activations into the context's scratch.
/// </summary>
internal readonly record struct PlanStep(
    StepKind Kind,
    int LayerIndex,
    TensorShape In,
    TensorShape Out,
    int KernelSize,
    int Pad,
    bool Relu,
    int WeightOffset,
    int BiasOffset,
    int Source,
    int Destination,
    int PaddedInput);

/// <summary>
/// The plan built at load (TFLM's Prepare): layer order, parameter placement and scratch layout. Scratch holds two
/// ping-pong activation regions plus, on SIMD paths, a zero-bordered copy of the input of each 'same' convolution
/// (borders are zeroed once when a context is created, so the inner loops never test for them).
/// </summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(PlanStep[] steps, int scratchFloats, int output, int outputLength)
    {
        Steps = steps;
        ScratchFloats = scratchFloats;
        OutputOffset = output;
        OutputLength = outputLength;
    }

    public PlanStep[] Steps { get; }

    public int ScratchFloats { get; }

    public int OutputOffset { get; }

    public int OutputLength { get; }

    /// <summary>Builds the plan; <paramref name="tensorOffsets"/> gives each required tensor's place in the parameter block.</summary>
    public static ExecutionPlan Build(NetworkDescription network, IReadOnlyList<int> tensorOffsets, KernelPath path)
    {
        int region = AlignedBuffer.AlignUp(checked((int)network.MaxActivationSize));
        int[] regions = [0, region];
        int scratch = 2 * region;
        var steps = new List<PlanStep>();
        int current = 0;
        int tensor = 0;
        foreach (LayerInfo info in network.LayerInfos)
        {
            int next = current == regions[0] ? regions[1] : regions[0];
            switch (info.Spec)
            {
                case InputLayer:
                    steps.Add(new PlanStep(StepKind.Input, info.Index, info.InputShape, info.OutputShape, 0, 0, false, 0, 0, 0, current, -1));
                    break;
                case Conv2DLayer conv:
                    int pad = conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0;
                    int padded = -1;
                    if (pad > 0 && path != KernelPath.Scalar)
                    {
                        padded = scratch;
                        long size = (long)(info.InputShape.Height + (2 * pad)) * (info.InputShape.Width + (2 * pad)) * info.InputShape.Channels;
                        scratch = checked(scratch + AlignedBuffer.AlignUp(checked((int)size)));
                    }
                    steps.Add(new PlanStep(StepKind.Conv2D, info.Index, info.InputShape, info.OutputShape, conv.KernelSize, pad,
                        conv.Activation == Activation.Relu, tensorOffsets[tensor], tensorOffsets[tensor + 1], current, next, padded));
                    tensor += 2;
                    current = next;
                    break;
                case DenseLayer dense:
                    steps.Add(new PlanStep(StepKind.Dense, info.Index, info.InputShape, info.OutputShape, 0, 0,
                        dense.Activation == Activation.Relu, tensorOffsets[tensor], tensorOffsets[tensor + 1], current, next, -1));
                    tensor += 2;
                    current = next;
                    break;
                case MaxPool2DLayer:
                    steps.Add(new PlanStep(StepKind.MaxPool2D, info.Index, info.InputShape, info.OutputShape, 0, 0, false, 0, 0, current, next, -1));
                    current = next;
                    break;
                case GlobalAveragePoolLayer:
                    steps.Add(new PlanStep(StepKind.GlobalAveragePool, info.Index, info.InputShape, info.OutputShape, 0, 0, false, 0, 0, current, next, -1));
                    current = next;
                    break;
                case ConcatenateLayer or FlattenLayer or DropoutLayer or SigmoidLayer:
                    break;
                default:
                    throw new ModelFormatException(ModelFormatError.UnknownLayer, $"layer {info.Index}: {info.Spec.Kind} has no kernel");
            }
        }
        TensorShape output = network.LayerInfos[^1].Spec is SigmoidLayer
            ? network.LayerInfos[^1].InputShape
            : network.OutputShape;
        return new ExecutionPlan([.. steps], scratch, current, (int)output.Size);
    }
}
