using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// The int8 engine's residual-network kernels on each lane set. The same selector methods as float choose among them
/// (<see cref="GeneralConvolution"/>, <see cref="ResidualAdd"/>, <see cref="AveragePool"/>); on the scalar path the
/// reference kernels (no activation copy: int8 branches need none).
/// </summary>
public static partial class KernelSelector
{
    /// <summary>
    /// Vectorised average pool and strided convolution (pair-packed weights over a widened region, any kernel and
    /// stride) on every SIMD lane set; the vectorised Add uses the x64 MBQM lanes, so arm64 runs the reference Add
    /// (the layer is a few thousand elements, memory-bound).
    /// </summary>
    internal static IEnumerable<KernelAlgorithm> Int8GeneralLayerAlgorithms(KernelLanes lanes) => lanes switch
    {
        KernelLanes.Scalar => [KernelAlgorithm.ReferenceAdd, KernelAlgorithm.ReferenceAveragePool, KernelAlgorithm.ReferenceGeneralConv2D],
        KernelLanes.AdvSimd128 => [KernelAlgorithm.ReferenceAdd, KernelAlgorithm.AveragePool, KernelAlgorithm.StridedConv2D],
        _ => [KernelAlgorithm.Add, KernelAlgorithm.AveragePool, KernelAlgorithm.StridedConv2D],
    };
}
