using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Planning of the residual-network layers in the float plan: the general convolution, 2x2 average pooling, the
/// residual Add, the Branch that restarts from a kept output, and the Keep copy placed after every layer a later Add
/// or Branch reads (its own scratch region, so the ping-pong regions stay free). Each algorithm comes from the selector.
/// </summary>
internal static class BranchPlanning
{
    /// <summary>Adds the step of a residual-network layer; false for any other layer.</summary>
    public static bool TryAdd(LayerInfo info, KernelTarget target, IReadOnlyList<int> tensorOffsets, ref int tensor, PlanStep op, List<PlanStep> ops)
    {
        switch (info.Spec)
        {
            case GeneralConv2DLayer conv:
                op.Kind = StepKind.GeneralConv2D;
                op.Algorithm = KernelSelector.GeneralConvolution(target, conv.KernelSize, conv.Stride);
                op.KernelSize = conv.KernelSize;
                op.Pad = conv.Pad;
                op.Stride = conv.Stride;
                op.Relu = conv.Activation == Activation.Relu ? 1 : 0;
                op.WeightOffset = tensorOffsets[tensor];
                op.BiasOffset = tensorOffsets[tensor + 1];
                tensor += 2;
                break;
            case AveragePool2DLayer:
                op.Kind = StepKind.AveragePool2D;
                op.Algorithm = KernelSelector.AveragePool(target);
                break;
            case AddLayer add:
                op.Kind = StepKind.Add;
                op.Algorithm = KernelSelector.ResidualAdd(target);
                op.Relu = add.Activation == Activation.Relu ? 1 : 0;
                op.Residual = add.Source;   // a layer index until the scratch layout resolves it
                break;
            case BranchLayer branch:
                op.Kind = StepKind.Branch;
                op.Algorithm = KernelSelector.CopyActivation(target);
                op.Residual = branch.Source;
                break;
            default:
                return false;
        }
        ops.Add(op);
        return true;
    }

    /// <summary>The copy that keeps <paramref name="layer"/>'s output for a later Add or Branch.</summary>
    public static PlanStep Keep(LayerInfo layer, KernelTarget target, PlanStep template)
    {
        PlanStep keep = template;
        keep.Kind = StepKind.Keep;
        keep.Algorithm = KernelSelector.CopyActivation(target);
        keep.LayerIndex = layer.Index;
        keep.In = layer.OutputShape;
        keep.Out = layer.OutputShape;
        keep.ConvOut = layer.OutputShape;
        keep.Relu = 0;
        keep.Pool = 0;
        keep.Residual = -1;
        return keep;
    }
}
