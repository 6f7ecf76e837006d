using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>Operation of one planned step (Concatenate, Flatten, Dropout and Sigmoid get none).</summary>
internal enum StepKind
{
    Input,
    Conv2D,
    MaxPool2D,
    GlobalAveragePool,
    Dense,
}

/// <summary>
/// Everything one step needs, fixed at load. Offsets are in floats: parameters into the model's block, activations
/// into the context's scratch. <see cref="Out"/> is what the step writes (pooled when <see cref="Pool"/>);
/// <see cref="ConvOut"/> is a convolution's full-resolution shape.
/// </summary>
internal readonly record struct PlanStep(
    StepKind Kind,
    int LayerIndex,
    TensorShape In,
    TensorShape Out,
    TensorShape ConvOut,
    int KernelSize,
    int Pad,
    bool Relu,
    bool Pool,
    int WeightOffset,
    int BiasOffset,
    int Source,
    int PaddedInput,
    bool CopyToPadded,
    int Destination,
    int DestinationRowStride,
    int TransformedWeights);

/// <summary>
/// The plan built at load (TFLM's Prepare): layer order, fusion, parameter placement and scratch layout.
/// Scratch holds two ping-pong activation regions plus, on SIMD paths, a zero-bordered input region for each 'same'
/// convolution: its producer (the input stage or the previous convolution) writes straight into the interior, the
/// border is zeroed once when a context is created, so no kernel tests for borders. On SIMD paths a convolution
/// followed by MaxPool2D is fused (pooled in registers). The scalar path keeps every layer separate and plain.
/// </summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(PlanStep[] steps, int scratchFloats, int output, int outputLength, int workspace)
    {
        WorkspaceOffset = workspace;
        Steps = steps;
        ScratchFloats = scratchFloats;
        OutputOffset = output;
        OutputLength = outputLength;
    }

    public PlanStep[] Steps { get; }

    public int ScratchFloats { get; }

    public int OutputOffset { get; }

    public int OutputLength { get; }

    /// <summary>Scratch offset of the Winograd workspace (shared by every Winograd convolution), or -1.</summary>
    public int WorkspaceOffset { get; }

    /// <param name="network">The checked description.</param>
    /// <param name="tensorOffsets">Each required tensor's place in the parameter block.</param>
    /// <param name="transformedWeights">Per layer, where its Winograd-transformed weights are, or -1.</param>
    /// <param name="path">The kernel path.</param>
    public static ExecutionPlan Build(NetworkDescription network, IReadOnlyList<int> tensorOffsets, IReadOnlyList<int> transformedWeights, KernelPath path)
    {
        bool simd = path != KernelPath.Scalar;
        List<PlanStep> ops = Operations(network, tensorOffsets, transformedWeights, simd);

        int region = AlignedBuffer.AlignUp(checked((int)network.MaxActivationSize));
        int scratch = 2 * region;
        var padded = new int[ops.Count];
        for (int i = 0; i < ops.Count; i++)
        {
            padded[i] = -1;
            PlanStep op = ops[i];
            if (simd && op.Kind == StepKind.Conv2D && op.Pad > 0)
            {
                padded[i] = scratch;
                long size = (long)(op.In.Height + (2 * op.Pad)) * (op.In.Width + (2 * op.Pad)) * op.In.Channels;
                scratch = checked(scratch + AlignedBuffer.AlignUp(checked((int)size)));
            }
        }

        int workspace = 0;
        foreach (PlanStep op in ops)
        {
            if (op.TransformedWeights >= 0)
            {
                workspace = System.Math.Max(workspace, Winograd.WorkspaceSize(op.In.Channels, op.Out.Channels));
            }
        }
        int workspaceOffset = workspace > 0 ? scratch : -1;
        scratch = checked(scratch + AlignedBuffer.AlignUp(workspace));

        var steps = new PlanStep[ops.Count];
        int source = -1;      // where the previous step's output starts when it is contiguous
        bool intoPadded = false;
        int ping = region;   // the ping-pong region last written
        for (int i = 0; i < ops.Count; i++)
        {
            PlanStep op = ops[i] with { Source = source, PaddedInput = padded[i], CopyToPadded = padded[i] >= 0 && !intoPadded };
            bool nextPadded = i + 1 < ops.Count && padded[i + 1] >= 0 && op.Kind is StepKind.Input or StepKind.Conv2D;
            if (nextPadded)
            {
                PlanStep next = ops[i + 1];
                int paddedWidth = next.In.Width + (2 * next.Pad);
                int rowStride = paddedWidth * next.In.Channels;
                op = op with { Destination = padded[i + 1] + (next.Pad * rowStride) + (next.Pad * next.In.Channels), DestinationRowStride = rowStride };
                source = -1;
            }
            else
            {
                ping = ping == 0 ? region : 0;
                if (op.Source == ping)
                {
                    ping = ping == 0 ? region : 0;
                }
                op = op with { Destination = ping, DestinationRowStride = op.Out.Width * op.Out.Channels };
                source = ping;
            }
            intoPadded = nextPadded;
            steps[i] = op;
        }
        TensorShape output = network.LayerInfos[^1].Spec is SigmoidLayer
            ? network.LayerInfos[^1].InputShape
            : network.OutputShape;
        return new ExecutionPlan(steps, scratch, steps[^1].Destination, (int)output.Size, workspaceOffset);
    }

    /// <summary>The computing layers in order, with convolution + max pooling fused on SIMD paths.</summary>
    private static List<PlanStep> Operations(NetworkDescription network, IReadOnlyList<int> tensorOffsets, IReadOnlyList<int> transformedWeights, bool simd)
    {
        var ops = new List<PlanStep>();
        IReadOnlyList<LayerInfo> layers = network.LayerInfos;
        int tensor = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerInfo info = layers[l];
            PlanStep op = new(StepKind.Input, info.Index, info.InputShape, info.OutputShape, info.OutputShape,
                0, 0, false, false, 0, 0, -1, -1, false, 0, 0, -1);
            switch (info.Spec)
            {
                case InputLayer:
                    ops.Add(op);
                    break;
                case Conv2DLayer conv:
                    bool fuse = simd && l + 1 < layers.Count && layers[l + 1].Spec is MaxPool2DLayer;
                    ops.Add(op with
                    {
                        Kind = StepKind.Conv2D,
                        Out = fuse ? layers[l + 1].OutputShape : info.OutputShape,
                        KernelSize = conv.KernelSize,
                        Pad = conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0,
                        Relu = conv.Activation == Activation.Relu,
                        Pool = fuse,
                        WeightOffset = tensorOffsets[tensor],
                        BiasOffset = tensorOffsets[tensor + 1],
                        TransformedWeights = transformedWeights[info.Index],
                    });
                    tensor += 2;
                    l += fuse ? 1 : 0;
                    break;
                case DenseLayer dense:
                    ops.Add(op with
                    {
                        Kind = StepKind.Dense,
                        Relu = dense.Activation == Activation.Relu,
                        WeightOffset = tensorOffsets[tensor],
                        BiasOffset = tensorOffsets[tensor + 1],
                    });
                    tensor += 2;
                    break;
                case MaxPool2DLayer:
                    ops.Add(op with { Kind = StepKind.MaxPool2D });
                    break;
                case GlobalAveragePoolLayer:
                    ops.Add(op with { Kind = StepKind.GlobalAveragePool });
                    break;
                case ConcatenateLayer or FlattenLayer or DropoutLayer or SigmoidLayer:
                    break;
                default:
                    throw new ModelFormatException(ModelFormatError.UnknownLayer, $"layer {info.Index}: {info.Spec.Kind} has no kernel");
            }
        }
        return ops;
    }
}
