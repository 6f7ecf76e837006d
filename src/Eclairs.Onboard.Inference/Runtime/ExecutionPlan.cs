using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Inference;

/// <summary>Operation of one planned step (Concatenate, Flatten, Dropout and Sigmoid get none).</summary>
internal enum StepKind
{
    Input,
    Conv2D,
    MaxPool2D,
    GlobalAveragePool,
    Dense,
    /// <summary>Copies the previous step's output aside for a later Add or Branch (the chain goes on from the same output).</summary>
    Keep,
    /// <summary>Copies a kept output into the chain: the next step reads it.</summary>
    Branch,
    Add,
    AveragePool2D,
    GeneralConv2D,
}

/// <summary>
/// Everything one float step needs, fixed at load and kept in the model's arena (so <see cref="Model.Verify"/> covers
/// it). Offsets are in floats: parameters into the arena, activations into the context's scratch. <see cref="Out"/>
/// is what the step writes (pooled when <see cref="Pool"/> is 1); <see cref="ConvOut"/> is a convolution's full
/// resolution shape. Flags are int 0/1 so the struct has no padding bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PlanStep
{
    public StepKind Kind;
    public KernelAlgorithm Algorithm;
    public KernelLanes Lanes;
    public int LayerIndex;
    public TensorShape In;
    public TensorShape Out;
    public TensorShape ConvOut;
    public int KernelSize;
    public int Pad;
    public int Relu;
    public int Pool;
    public int WeightOffset;
    public int BiasOffset;
    public int TransformedWeights;
    public int Source;
    public int PaddedInput;
    public int CopyToPadded;
    public int Destination;
    public int DestinationRowStride;
    /// <summary>Convolution stride (general convolutions; 1 elsewhere).</summary>
    public int Stride;
    /// <summary>Add: scratch offset of the kept operand; -1 for the other steps (a layer index while planning).</summary>
    public int Residual;
    /// <summary>Convolutions: vectors of output channels in the register tile (the selector's <see cref="KernelTarget.FloatTileVectors"/>).</summary>
    public int TileVectors;
}

/// <summary>The float plan's constants, at the start of its plan region.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FloatPlanHeader
{
    public float DecisionThreshold;
    public float NormalizationScale;
    public float NormalizationOffset;
    public int ScratchFloats;
    public int OutputOffset;
    public int OutputLength;
    /// <summary>Scratch offset of the Winograd workspace (shared by every Winograd convolution), or -1.</summary>
    public int WorkspaceOffset;
    public int StepCount;
    public int StepsOffset;
}

/// <summary>
/// The float plan built at load (TFLM's Prepare): layer order, the selector's algorithm per step, parameter placement
/// and scratch layout. Scratch holds two ping-pong activation regions plus, for SIMD convolutions with padding, a
/// zero-bordered input region: its producer (the input stage or the previous convolution) writes straight into the
/// interior, the border is zeroed once when a context is created, so no kernel tests for borders.
/// </summary>
internal static class ExecutionPlan
{
    /// <param name="network">The checked description.</param>
    /// <param name="target">The selector's target (path, algorithms, fusion).</param>
    /// <param name="tensorOffsets">Each required tensor's place in the arena (floats).</param>
    /// <param name="arena">Where transformed weights are reserved.</param>
    /// <param name="header">The scratch layout.</param>
    public static PlanStep[] Build(NetworkDescription network, KernelTarget target, IReadOnlyList<int> tensorOffsets, ArenaBuilder arena,
        out FloatPlanHeader header)
    {
        List<PlanStep> ops = Operations(network, target, tensorOffsets, arena);

        int region = AlignedBuffer.AlignUp(checked((int)network.MaxActivationSize));
        int scratch = 2 * region;
        var padded = new int[ops.Count];
        int workspace = 0;
        for (int i = 0; i < ops.Count; i++)
        {
            padded[i] = -1;
            PlanStep op = ops[i];
            if (op.Kind == StepKind.Conv2D && op.Algorithm != KernelAlgorithm.ReferenceConv2D && op.Pad > 0)
            {
                padded[i] = scratch;
                long size = (long)(op.In.Height + (2 * op.Pad)) * (op.In.Width + (2 * op.Pad)) * op.In.Channels;
                scratch = checked(scratch + AlignedBuffer.AlignUp(checked((int)size)));
            }
            if (op.Kind is StepKind.Conv2D or StepKind.Dense)
            {
                workspace = System.Math.Max(workspace, KernelSelector.WorkspaceElements(target, op.Algorithm, op.In.Channels, op.Out.Channels));
            }
        }
        var kept = new System.Collections.Generic.Dictionary<int, int>();
        foreach (PlanStep op in ops)
        {
            if (op.Kind == StepKind.Keep)
            {
                kept[op.LayerIndex] = scratch;
                long end = (long)scratch + AlignedBuffer.AlignUp(checked((int)op.Out.Size));
                scratch = end <= int.MaxValue / 2 ? (int)end : throw new ModelFormatException(ModelFormatError.ShapeMismatch,
                    $"layer {op.LayerIndex}: the outputs kept for later Add and Branch layers need more scratch than a model may have");
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
            PlanStep op = ops[i];
            if (op.Kind == StepKind.Keep)
            {
                // Off the chain: the previous output is copied aside and the next step still reads it where it is.
                op.Source = source;
                op.Destination = kept[op.LayerIndex];
                op.DestinationRowStride = op.Out.Width * op.Out.Channels;
                steps[i] = op;
                continue;
            }
            op.Source = op.Kind == StepKind.Branch ? kept[op.Residual] : source;
            op.Residual = op.Kind == StepKind.Add ? kept[op.Residual] : -1;
            op.PaddedInput = padded[i];
            op.CopyToPadded = padded[i] >= 0 && !intoPadded ? 1 : 0;
            bool nextPadded = i + 1 < ops.Count && padded[i + 1] >= 0 && op.Kind is StepKind.Input or StepKind.Conv2D;
            if (nextPadded)
            {
                PlanStep next = ops[i + 1];
                int paddedWidth = next.In.Width + (2 * next.Pad);
                int rowStride = paddedWidth * next.In.Channels;
                op.Destination = padded[i + 1] + (next.Pad * rowStride) + (next.Pad * next.In.Channels);
                op.DestinationRowStride = rowStride;
                source = -1;
            }
            else
            {
                ping = ping == 0 ? region : 0;
                if (op.Source == ping)
                {
                    ping = ping == 0 ? region : 0;
                }
                op.Destination = ping;
                op.DestinationRowStride = op.Out.Width * op.Out.Channels;
                source = ping;
            }
            intoPadded = nextPadded;
            steps[i] = op;
        }
        TensorShape output = network.LayerInfos[^1].Spec is SigmoidLayer
            ? network.LayerInfos[^1].InputShape
            : network.OutputShape;
        header = new FloatPlanHeader
        {
            ScratchFloats = scratch,
            OutputOffset = steps[^1].Destination,
            OutputLength = (int)output.Size,
            WorkspaceOffset = workspaceOffset,
            StepCount = steps.Length,
        };
        return steps;
    }

    /// <summary>The computing layers in order, each with the selector's algorithm; a fused max pool gets no step.</summary>
    private static List<PlanStep> Operations(NetworkDescription network, KernelTarget target, IReadOnlyList<int> tensorOffsets, ArenaBuilder arena)
    {
        var ops = new List<PlanStep>();
        IReadOnlyList<LayerInfo> layers = network.LayerInfos;
        int tensor = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerInfo info = layers[l];
            PlanStep op = new()
            {
                Kind = StepKind.Input,
                Algorithm = KernelAlgorithm.Input,
                Lanes = target.Lanes,
                LayerIndex = info.Index,
                In = info.InputShape,
                Out = info.OutputShape,
                ConvOut = info.OutputShape,
                Source = -1,
                PaddedInput = -1,
                TransformedWeights = -1,
                Stride = 1,
                Residual = -1,
                TileVectors = target.FloatTileVectors,
            };
            switch (info.Spec)
            {
                case InputLayer:
                    ops.Add(op);
                    break;
                case Conv2DLayer conv:
                {
                    int pad = conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0;
                    bool poolFollows = l + 1 < layers.Count && layers[l + 1].Spec is MaxPool2DLayer && !network.IsReadLater(l);
                    ConvolutionChoice choice = KernelSelector.Convolution(target, info.InputShape, info.OutputShape, conv.KernelSize, pad, poolFollows);
                    op.Kind = StepKind.Conv2D;
                    op.Algorithm = choice.Algorithm;
                    op.Out = choice.FusesPool ? layers[l + 1].OutputShape : info.OutputShape;
                    op.KernelSize = conv.KernelSize;
                    op.Pad = pad;
                    op.Relu = conv.Activation == Activation.Relu ? 1 : 0;
                    op.Pool = choice.FusesPool ? 1 : 0;
                    op.WeightOffset = tensorOffsets[tensor];
                    op.BiasOffset = tensorOffsets[tensor + 1];
                    if (choice.Algorithm is KernelAlgorithm.WinogradF2 or KernelAlgorithm.WinogradF4)
                    {
                        // Transformed weights live in the arena too, so Verify covers what the kernel actually reads.
                        int transformed = choice.Algorithm == KernelAlgorithm.WinogradF2
                            ? Winograd.TransformedSize(info.InputShape.Channels, conv.Filters)
                            : Winograd4.TransformedSize(info.InputShape.Channels, conv.Filters);
                        op.TransformedWeights = arena.Reserve(sizeof(float) * (long)transformed) / sizeof(float);
                    }
                    ops.Add(op);
                    tensor += 2;
                    l += choice.FusesPool ? 1 : 0;
                    break;
                }
                case DenseLayer dense:
                    op.Kind = StepKind.Dense;
                    op.Algorithm = KernelSelector.Dense(target);
                    op.Relu = dense.Activation == Activation.Relu ? 1 : 0;
                    op.WeightOffset = tensorOffsets[tensor];
                    op.BiasOffset = tensorOffsets[tensor + 1];
                    ops.Add(op);
                    tensor += 2;
                    break;
                case MaxPool2DLayer:
                    op.Kind = StepKind.MaxPool2D;
                    op.Algorithm = KernelSelector.MaxPool(target, fusedIntoPrevious: false);
                    ops.Add(op);
                    break;
                case GlobalAveragePoolLayer:
                    op.Kind = StepKind.GlobalAveragePool;
                    op.Algorithm = KernelSelector.GlobalAveragePool(target);
                    ops.Add(op);
                    break;
                case ConcatenateLayer or FlattenLayer or DropoutLayer or SigmoidLayer:
                    break;
                default:
                    if (!BranchPlanning.TryAdd(info, target, tensorOffsets, ref tensor, op, ops))
                    {
                        throw new ModelFormatException(ModelFormatError.UnknownLayer, $"layer {info.Index}: {info.Spec.Kind} has no kernel");
                    }
                    break;
            }
            if (network.IsReadLater(l))
            {
                ops.Add(BranchPlanning.Keep(layers[l], target, op));
            }
        }
        return ops;
    }
}
