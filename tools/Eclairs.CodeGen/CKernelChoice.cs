using System;
using Eclairs.Onboard.Inference.Quantized;

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
}

/// <summary>The pooling a Winograd step does (ECL_I8_POOL_* of ecl_int8_kernels.h).</summary>
public enum CPool
{
    /// <summary>No pooling.</summary>
    None = 0,
    /// <summary>2x2 max of the four sums, requantized once: exact only where MBQM is monotone and no int32 wraps.</summary>
    MaxOfSums = 1,
    /// <summary>2x2 max of the four requantized outputs: always exact.</summary>
    MaxOfOutputs = 2,
}

/// <summary>Helpers of <see cref="CKernel"/>.</summary>
public static class CKernelNames
{
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
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "unknown kernel"),
    };

    /// <summary>The small (direct) kernel of an operation: every step's kernel before <see cref="CKernelChoice"/>.</summary>
    public static CKernel Direct(COperation operation) => operation switch
    {
        COperation.Conv2D => CKernel.Conv2D,
        COperation.Conv2DMaxPool => CKernel.Conv2DMaxPool,
        COperation.MaxPool => CKernel.MaxPool,
        COperation.GlobalAveragePool => CKernel.GlobalAveragePool,
        COperation.Dense => CKernel.Dense,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
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

/// <summary>
/// The one place where the generator chooses a C kernel for a step (to move behind the engine's kernel selector,
/// issue 21). Small: the direct kernels. Fast: Winograd F(2x2) for every 3x3 convolution whose sums it keeps exact in
/// int32 (cin &lt;= <see cref="WinogradMaxInputChannels"/>), the paired dense for every dense layer; the rest direct.
/// </summary>
public static class CKernelChoice
{
    /// <summary>Tiles per Winograd GEMM block (ECL_I8_WT).</summary>
    public const int WinogradTiles = 2;

    /// <summary>Output channels per Winograd GEMM block (ECL_I8_WC).</summary>
    public const int WinogradChannels = 8;

    /// <summary>Output channels per paired-dense pass (2 x ECL_I8_PAIRS).</summary>
    public const int DensePassChannels = 16;

    /// <summary>
    /// The largest cin for which the F(2x2) kernel recovers Y from 4Y mod 2^32: |4Y| &lt;= 4 * 9 * cin * 127 * 128 &lt; 2^31
    /// (raw int8 codes, |x| &lt;= 128, |w| &lt;= 127).
    /// </summary>
    public const int Winograd2MaxInputChannels = 3669;

    /// <summary>The largest cin for which the F(4x4) kernel recovers Y from 2^k Y mod 2^32 (k &lt;= 6): |Y| &lt;= 9 * cin * 127 * 128 &lt; 2^25.</summary>
    public const int Winograd4MaxInputChannels = 229;

    /// <summary>The step with its kernel (and pooling) chosen.</summary>
    public static CStep Choose(CStep step, CKernelSet kernels)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (kernels == CKernelSet.Small)
        {
            return step;
        }
        switch (step.Operation)
        {
            case COperation.Conv2D or COperation.Conv2DMaxPool
                when step.KernelSize == 3 && step.In.Channels <= Winograd2MaxInputChannels:
            {
                CPool pool = step.Operation == COperation.Conv2D ? CPool.None
                    : MaxOfSumsIsExact(step.Parameters!, step.In.Channels) ? CPool.MaxOfSums : CPool.MaxOfOutputs;
                // F(4x4) wherever its bound holds: on LEON3 it beats F(2x2) on every layer of both shipped networks
                // (docs/leon3.md, "Kernel choice"), tile overhang included.
                CKernel kernel = step.In.Channels <= Winograd4MaxInputChannels ? CKernel.Winograd4 : CKernel.Winograd2;
                return step with { Kernel = kernel, Pool = pool };
            }
            case COperation.Dense:
                return step with { Kernel = CKernel.DensePairs };
            default:
                return step;
        }
    }

    /// <summary>
    /// requantize(bias + max of four sums) equals the max of the four requantized outputs where MBQM is monotone
    /// non-decreasing (multiplier &gt;= 0, which the loader guarantees, and no left shift, whose int32 multiply wraps)
    /// and no accumulator wraps: |bias| + 9 * cin * 127 * 255 &lt;= 2^31 - 1 (the engine's PoolFusionIsExact).
    /// </summary>
    public static bool MaxOfSumsIsExact(Int8LayerParameters p, int inputChannels)
    {
        ArgumentNullException.ThrowIfNull(p);
        long bound = 9L * inputChannels * 127 * 255;
        for (int c = 0; c < p.Shift.Length; c++)
        {
            if (p.Shift[c] > 0 || p.Multiplier[c] < 0 || Math.Abs((long)p.Bias[c]) + bound > int.MaxValue)
            {
                return false;
            }
        }
        return true;
    }
}
