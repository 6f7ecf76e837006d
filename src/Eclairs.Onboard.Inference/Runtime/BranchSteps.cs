using System;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference;

/// <summary>Execution of the residual-network steps of the float plan (the algorithm stored in each step, then its lanes).</summary>
internal static unsafe class BranchSteps
{
    public static void Run(in PlanStep step, float* scratch, float* parameters)
    {
        float* src = scratch + step.Source;
        float* dst = scratch + step.Destination;
        int size = (int)step.Out.Size;
        switch (step.Algorithm)
        {
            case KernelAlgorithm.CopyActivation:
                new ReadOnlySpan<float>(src, size).CopyTo(new Span<float>(dst, size));
                break;
            case KernelAlgorithm.ReferenceAdd:
                GeneralReferenceKernels.Add(new ReadOnlySpan<float>(src, size), new ReadOnlySpan<float>(scratch + step.Residual, size), step.Relu != 0,
                    new Span<float>(dst, size));
                break;
            case KernelAlgorithm.Add:
                Add(step.Lanes, src, scratch + step.Residual, step.Relu != 0, dst, size);
                break;
            case KernelAlgorithm.ReferenceAveragePool:
                GeneralReferenceKernels.AveragePool2D(new ReadOnlySpan<float>(src, (int)step.In.Size), step.In, new Span<float>(dst, size), step.Out);
                break;
            case KernelAlgorithm.AveragePool:
                AveragePool(step.Lanes, src, step.In, dst, step.Out);
                break;
            case KernelAlgorithm.ReferenceGeneralConv2D:
                GeneralReferenceKernels.Conv2D(new ReadOnlySpan<float>(src, (int)step.In.Size), step.In,
                    new ReadOnlySpan<float>(parameters + step.WeightOffset, step.KernelSize * step.KernelSize * step.In.Channels * step.Out.Channels),
                    new ReadOnlySpan<float>(parameters + step.BiasOffset, step.Out.Channels),
                    step.KernelSize, step.Stride, step.Pad, step.Relu != 0, new Span<float>(dst, size), step.Out);
                break;
            case KernelAlgorithm.PointwiseConv2D:
                Pointwise(step.Lanes, src, step, parameters, dst);
                break;
            case KernelAlgorithm.StridedConv2D:
                Strided(step.Lanes, src, step, parameters, dst);
                break;
            default:
                throw new InvalidOperationException($"step of layer {step.LayerIndex}: algorithm {step.Algorithm} is not a float kernel");
        }
    }

    private static void Add(KernelLanes lanes, float* x, float* y, bool relu, float* dst, int size)
    {
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdBranchKernels<Ops512, Vector512<float>>.Add(x, y, relu, dst, size);
                break;
            case KernelLanes.Vector256:
                SimdBranchKernels<Ops256, Vector256<float>>.Add(x, y, relu, dst, size);
                break;
            default:
                SimdBranchKernels<Ops128, Vector128<float>>.Add(x, y, relu, dst, size);
                break;
        }
    }

    private static void AveragePool(KernelLanes lanes, float* src, TensorShape inShape, float* dst, TensorShape outShape)
    {
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdBranchKernels<Ops512, Vector512<float>>.AveragePool2D(src, inShape, dst, outShape);
                break;
            case KernelLanes.Vector256:
                SimdBranchKernels<Ops256, Vector256<float>>.AveragePool2D(src, inShape, dst, outShape);
                break;
            default:
                SimdBranchKernels<Ops128, Vector128<float>>.AveragePool2D(src, inShape, dst, outShape);
                break;
        }
    }

    private static void Strided(KernelLanes lanes, float* src, in PlanStep step, float* parameters, float* dst)
    {
        float* w = parameters + step.WeightOffset, b = parameters + step.BiasOffset;
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdBranchKernels<Ops512, Vector512<float>>.Strided(src, step.In, w, b, step.KernelSize, step.Stride, step.Pad, step.Relu != 0, dst, step.Out);
                break;
            case KernelLanes.Vector256:
                SimdBranchKernels<Ops256, Vector256<float>>.Strided(src, step.In, w, b, step.KernelSize, step.Stride, step.Pad, step.Relu != 0, dst, step.Out);
                break;
            default:
                SimdBranchKernels<Ops128, Vector128<float>>.Strided(src, step.In, w, b, step.KernelSize, step.Stride, step.Pad, step.Relu != 0, dst, step.Out);
                break;
        }
    }

    private static void Pointwise(KernelLanes lanes, float* src, in PlanStep step, float* parameters, float* dst)
    {
        float* w = parameters + step.WeightOffset, b = parameters + step.BiasOffset;
        switch (lanes)
        {
            case KernelLanes.Vector512:
                SimdBranchKernels<Ops512, Vector512<float>>.Pointwise(src, step.In, w, b, step.Stride, step.Relu != 0, dst, step.Out);
                break;
            case KernelLanes.Vector256:
                SimdBranchKernels<Ops256, Vector256<float>>.Pointwise(src, step.In, w, b, step.Stride, step.Relu != 0, dst, step.Out);
                break;
            default:
                SimdBranchKernels<Ops128, Vector128<float>>.Pointwise(src, step.In, w, b, step.Stride, step.Relu != 0, dst, step.Out);
                break;
        }
    }
}
