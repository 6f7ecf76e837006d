using System;
using Eclairs.Onboard.Inference;

namespace Eclairs.CodeGen;

/// <summary>The C kernels a step can call (functions of ecl_int8_kernels.c and ecl_int8_fast.c).</summary>
public enum CKernel
{
    /// <summary>Direct convolution, output channels in blocks of 8 (small).</summary>
    Conv2D,
    /// <summary>Direct convolution with the 2x2 max pool fused: max of four requantized outputs (small).</summary>
    Conv2DMaxPool,
    /// <summary>2x2 max pooling.</summary>
    MaxPool,
    /// <summary>Global average pooling.</summary>
    GlobalAveragePool,
    /// <summary>Dense, output channels in blocks of 8 (small).</summary>
    Dense,
    /// <summary>Integer Winograd F(2x2, 3x3), pooled or not (fast).</summary>
    Winograd2,
    /// <summary>Integer Winograd F(4x4, 3x3), pooled or not (fast).</summary>
    Winograd4,
    /// <summary>Dense with two products per 32 x 32 -> 64-bit multiply (fast).</summary>
    DensePairs,
    /// <summary>Convolution of any kernel side and stride, output channels in blocks of 8 (1x1, stride 2).</summary>
    StridedConv2D,
    /// <summary>2x2 average pooling.</summary>
    AveragePool,
    /// <summary>Residual Add (TFLM's int8 ADD).</summary>
    Add,
}

/// <summary>The pooling a Winograd step does (ECL_I8_POOL_* of ecl_int8_kernels.h).</summary>
public enum CPool
{
    /// <summary>No pooling (or the direct kernel's own fused pool).</summary>
    None = 0,
    /// <summary>2x2 max of the four sums, requantized once: exact only where MBQM is monotone and no int32 wraps.</summary>
    MaxOfSums = 1,
    /// <summary>2x2 max of the four requantized outputs: always exact.</summary>
    MaxOfOutputs = 2,
}

/// <summary>
/// The C side of the kernel choice: which function implements the algorithm <see cref="KernelSelector"/> chose for
/// a step (the selector decides, for the C target as for the managed engine; nothing is chosen here), and the
/// blocking constants the generator lays the fast kernels' parameters out for.
/// </summary>
public static class CKernels
{
    /// <summary>Tiles per Winograd GEMM block (ECL_I8_WT).</summary>
    public const int WinogradTiles = 2;

    /// <summary>Output channels per Winograd GEMM block (ECL_I8_WC).</summary>
    public const int WinogradChannels = 8;

    /// <summary>Output channels per paired-dense pass (2 x ECL_I8_PAIRS).</summary>
    public const int DensePassChannels = 8;

    /// <summary>The kernel of an operation run with <paramref name="algorithm"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The C has no kernel for the pair (the C targets never offer it).</exception>
    public static CKernel Of(COperation operation, KernelAlgorithm algorithm) => (operation, algorithm) switch
    {
        (COperation.Conv2D, KernelAlgorithm.DirectConv2D) => CKernel.Conv2D,
        (COperation.Conv2DMaxPool, KernelAlgorithm.DirectConv2D) => CKernel.Conv2DMaxPool,
        (COperation.Conv2D or COperation.Conv2DMaxPool, KernelAlgorithm.WinogradF2) => CKernel.Winograd2,
        (COperation.Conv2D or COperation.Conv2DMaxPool, KernelAlgorithm.WinogradF4) => CKernel.Winograd4,
        (COperation.MaxPool, KernelAlgorithm.MaxPool) => CKernel.MaxPool,
        (COperation.GlobalAveragePool, KernelAlgorithm.GlobalAveragePool) => CKernel.GlobalAveragePool,
        (COperation.Dense, KernelAlgorithm.Dense) => CKernel.Dense,
        (COperation.Dense, KernelAlgorithm.PairedDense) => CKernel.DensePairs,
        (COperation.GeneralConv2D, KernelAlgorithm.ReferenceGeneralConv2D) => CKernel.StridedConv2D,
        (COperation.AveragePool, KernelAlgorithm.ReferenceAveragePool) => CKernel.AveragePool,
        (COperation.Add, KernelAlgorithm.ReferenceAdd) => CKernel.Add,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, $"the generated C has no {algorithm} kernel for {operation}"),
    };

    /// <summary>The C function of a kernel.</summary>
    public static string Function(this CKernel kernel) => kernel switch
    {
        CKernel.Conv2D => "ecl_i8_conv2d",
        CKernel.Conv2DMaxPool => "ecl_i8_conv2d_maxpool",
        CKernel.MaxPool => "ecl_i8_maxpool",
        CKernel.GlobalAveragePool => "ecl_i8_global_average_pool",
        CKernel.Dense => "ecl_i8_dense",
        CKernel.Winograd2 => "ecl_i8_conv2d_winograd2",
        CKernel.Winograd4 => "ecl_i8_conv2d_winograd4",
        CKernel.DensePairs => "ecl_i8_dense_pairs",
        CKernel.StridedConv2D => "ecl_i8_conv2d_strided",
        CKernel.AveragePool => "ecl_i8_average_pool",
        CKernel.Add => "ecl_i8_add",
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "unknown kernel"),
    };

    /// <summary>Whether the kernel takes the workspace argument.</summary>
    public static bool NeedsWorkspace(this CKernel kernel) => kernel.WinogradTile() > 0;

    /// <summary>The output tile of a Winograd kernel (2 or 4), else 0.</summary>
    public static int WinogradTile(this CKernel kernel) => kernel switch
    {
        CKernel.Winograd2 => 2,
        CKernel.Winograd4 => 4,
        _ => 0,
    };

    /// <summary>Whether the kernel reads its bias with the input zero point folded in (bias - zp * sum(w)).</summary>
    public static bool FoldsZeroPoint(this CKernel kernel) => kernel is CKernel.Winograd2 or CKernel.Winograd4 or CKernel.DensePairs;
}
