using System;
using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>The selector's rules for the float32 residual-network layers; the int8 ones (which the generated C's CStepPlan also asks for) are in KernelSelector.Int8Residual.cs.</summary>
public static partial class KernelSelector
{
    /// <summary>
    /// The algorithm of a <see cref="GeneralConv2DLayer"/>: 1x1 (any stride) as per-pixel dense products, the others
    /// the vectorised strided kernel; plain loops on the scalar path.
    /// </summary>
    public static KernelAlgorithm GeneralConvolution(KernelTarget target, int kernel, int stride)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        return kernel == 1 && target.Offers(KernelAlgorithm.PointwiseConv2D)
            ? KernelAlgorithm.PointwiseConv2D
            : First(target, [KernelAlgorithm.StridedConv2D, KernelAlgorithm.ReferenceGeneralConv2D], $"{kernel}x{kernel} stride-{stride} convolution");
    }

    /// <summary>The algorithm of a residual Add.</summary>
    public static KernelAlgorithm ResidualAdd(KernelTarget target) =>
        First(target, [KernelAlgorithm.Add, KernelAlgorithm.ReferenceAdd], "residual Add");

    /// <summary>The algorithm of a 2x2 average pool.</summary>
    public static KernelAlgorithm AveragePool(KernelTarget target) =>
        First(target, [KernelAlgorithm.AveragePool, KernelAlgorithm.ReferenceAveragePool], "average pooling");

    /// <summary>The copy that keeps an output a later layer reads, or starts a branch from it.</summary>
    public static KernelAlgorithm CopyActivation(KernelTarget target) =>
        First(target, [KernelAlgorithm.CopyActivation], "activation copy (branches)");

    internal static IEnumerable<KernelAlgorithm> GeneralLayerAlgorithms(bool vector) => vector
        ? [KernelAlgorithm.CopyActivation, KernelAlgorithm.Add, KernelAlgorithm.AveragePool, KernelAlgorithm.PointwiseConv2D, KernelAlgorithm.StridedConv2D]
        : [KernelAlgorithm.CopyActivation, KernelAlgorithm.ReferenceAdd, KernelAlgorithm.ReferenceAveragePool, KernelAlgorithm.ReferenceGeneralConv2D];
}
