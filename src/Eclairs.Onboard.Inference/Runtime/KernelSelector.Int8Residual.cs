using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// The int8 engine's residual-network kernels on a SIMD path. The same selector methods as float choose among them
/// (<see cref="GeneralConvolution"/>, <see cref="ResidualAdd"/>, <see cref="AveragePool"/>); on the scalar path the
/// int8 target offers the reference kernels, as float's.
/// </summary>
public static partial class KernelSelector
{
    /// <summary>
    /// Vectorised average pool and strided convolution (pair-packed weights over a widened region, any kernel and
    /// stride) on every SIMD lane set; the vectorised Add uses the x64 MBQM lanes, so arm64 runs the reference Add
    /// (the layer is a few thousand elements, memory-bound).
    /// </summary>
    internal static IEnumerable<KernelAlgorithm> Int8GeneralLayerAlgorithms(KernelLanes lanes) => lanes == KernelLanes.AdvSimd128
        ? [KernelAlgorithm.ReferenceAdd, KernelAlgorithm.AveragePool, KernelAlgorithm.StridedConv2D]
        : [KernelAlgorithm.Add, KernelAlgorithm.AveragePool, KernelAlgorithm.StridedConv2D];
}
