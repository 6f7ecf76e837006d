using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Onboard.Inference;

/// <summary>The selector's answer for one convolution: the algorithm, and whether the 2x2 max pool after it is fused.</summary>
/// <param name="Algorithm">What runs.</param>
/// <param name="FusesPool">The convolution writes only the pooled output (the pooling step then runs <see cref="KernelAlgorithm.None"/>).</param>
/// <param name="MaxOfAccumulators">The fused pool requantizes the largest accumulator of each window (exact only where
/// <see cref="KernelSelector.PoolFusionIsExact"/>), rather than taking the max of the four requantized outputs (always exact).</param>
public readonly record struct ConvolutionChoice(KernelAlgorithm Algorithm, bool FusesPool, bool MaxOfAccumulators = false)
{
    /// <summary>Output tile side of a Winograd algorithm (2 or 4), 0 for the others.</summary>
    public int WinogradTile => Algorithm switch
    {
        KernelAlgorithm.WinogradF2 or KernelAlgorithm.PairWinogradF2 => 2,
        KernelAlgorithm.WinogradF4 => 4,
        _ => 0,
    };
}

/// <summary>
/// What a plan is made for: the number format, the vector width and the algorithms that target has (a managed path,
/// or a variant of the generated C), and the fusion rule. Built by <see cref="ForManaged"/> or <see cref="ForC"/>.
/// </summary>
public sealed record KernelTarget
{
    private KernelTarget(NumberFormat format, KernelPath path, KernelLanes lanes, IReadOnlySet<KernelAlgorithm> algorithms, bool fusePooling, bool poolAfterRequantize,
        bool generatedC = false)
    {
        GeneratedC = generatedC;
        NumberFormat = format;
        Path = path;
        Lanes = lanes;
        Algorithms = algorithms;
        FusePooling = fusePooling;
        PoolAfterRequantize = poolAfterRequantize;
    }

    /// <summary>Arithmetic of the model.</summary>
    public NumberFormat NumberFormat { get; }

    /// <summary>The resolved vector width (never Auto); <see cref="KernelPath.Scalar"/> for the generated C.</summary>
    public KernelPath Path { get; }

    /// <summary>The algorithms this target has.</summary>
    public IReadOnlySet<KernelAlgorithm> Algorithms { get; }

    /// <summary>False: every step's output is written (keep-every-step plans); no pool is fused.</summary>
    public bool FusePooling { get; }

    /// <summary>
    /// The target's fused pool takes the max of requantized outputs (always exact: the generated C) rather than
    /// requantizing the largest accumulator (the managed int8 kernels: exact only where requantization is monotone,
    /// <see cref="KernelSelector.PoolFusionIsExact"/>).
    /// </summary>
    public bool PoolAfterRequantize { get; }

    internal KernelLanes Lanes { get; }

    /// <summary>Float: vectors of output channels in the direct and Winograd register tiles (<see cref="KernelSelector.FloatTileVectors"/>).</summary>
    internal int FloatTileVectors { get; private init; } = 1;

    /// <summary>The generated portable C: its kernels have their own applicability (<see cref="KernelSelector.AppliesInGeneratedC"/>).</summary>
    public bool GeneratedC { get; }

    /// <summary>True when the target has <paramref name="algorithm"/>.</summary>
    public bool Offers(KernelAlgorithm algorithm) => Algorithms.Contains(algorithm);

    /// <summary>A managed path of this CPU; <paramref name="path"/> must be resolved (<see cref="KernelSelector.Resolve"/>).</summary>
    public static KernelTarget ForManaged(NumberFormat format, KernelPath path, ModelOptions? options = null)
    {
        if (path == KernelPath.Auto || !Enum.IsDefined(path))
        {
            throw new ArgumentOutOfRangeException(nameof(path), path, "resolve the path first");
        }
        options ??= new ModelOptions();
        KernelLanes lanes = KernelSelector.Lanes(path, format);
        var set = new HashSet<KernelAlgorithm> { KernelAlgorithm.Input };
        if (path == KernelPath.Scalar)
        {
            set.UnionWith([KernelAlgorithm.ReferenceConv2D, KernelAlgorithm.ReferenceMaxPool, KernelAlgorithm.ReferenceGlobalAveragePool, KernelAlgorithm.ReferenceDense]);
            set.UnionWith(format == NumberFormat.Float32 ? KernelSelector.GeneralLayerAlgorithms(vector: false) : KernelSelector.Int8GeneralLayerAlgorithms(lanes));
        }
        else if (format == NumberFormat.Float32)
        {
            set.UnionWith([KernelAlgorithm.DirectConv2D, KernelAlgorithm.MaxPool, KernelAlgorithm.GlobalAveragePool, KernelAlgorithm.Dense]);
            set.UnionWith(KernelSelector.GeneralLayerAlgorithms(vector: true));
            if (options.MaxWinogradTile >= 2)
            {
                set.Add(KernelAlgorithm.WinogradF2);
            }
            if (options.MaxWinogradTile >= 4)
            {
                set.Add(KernelAlgorithm.WinogradF4);
            }
        }
        else
        {
            // int8 has no vector global average pool (one small layer).
            set.UnionWith([KernelAlgorithm.DirectConv2D, KernelAlgorithm.MaxPool, KernelAlgorithm.ReferenceGlobalAveragePool, KernelAlgorithm.Dense]);
            set.UnionWith(KernelSelector.Int8GeneralLayerAlgorithms(lanes));
            if (options.MaxWinogradTile >= 2)
            {
                set.UnionWith([KernelAlgorithm.WinogradF2, KernelAlgorithm.PairWinogradF2]);
            }
            if (options.MaxWinogradTile >= 4)
            {
                set.Add(KernelAlgorithm.WinogradF4);
            }
            if (options.DotProductDense ?? (lanes == KernelLanes.AdvSimd128 && Int8DotDense.IsSupported))
            {
                set.Add(Int8DotDense.IsSupported ? KernelAlgorithm.DotProductDense : KernelAlgorithm.DotProductDenseModel);
            }
        }
        int tile = options.FloatTileVectors ?? KernelSelector.FloatTileVectors(lanes);
        if (tile is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(options), tile, "a float tile is 1, 2 or 4 vectors wide");
        }
        return new KernelTarget(format, path, lanes, set, fusePooling: !options.KeepEveryStep, poolAfterRequantize: false) { FloatTileVectors = tile };
    }

    /// <summary>
    /// A variant of the generated portable C (int8, tools/Eclairs.CodeGen/c). Its kernels can requantize before the
    /// fused max pool, so fusion is always exact. Small: the direct kernels. Fast: also integer Winograd F(4x4) and
    /// F(2x2) and the paired dense (ecl_int8_fast.c).
    /// </summary>
    public static KernelTarget ForC(CTarget target)
    {
        HashSet<KernelAlgorithm> set = target switch
        {
            CTarget.Small =>
                [KernelAlgorithm.Input, KernelAlgorithm.DirectConv2D, KernelAlgorithm.MaxPool, KernelAlgorithm.GlobalAveragePool, KernelAlgorithm.Dense],
            CTarget.Fast =>
                [KernelAlgorithm.Input, KernelAlgorithm.WinogradF4, KernelAlgorithm.WinogradF2, KernelAlgorithm.DirectConv2D, KernelAlgorithm.MaxPool,
                 KernelAlgorithm.GlobalAveragePool, KernelAlgorithm.PairedDense, KernelAlgorithm.Dense],
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "unknown C target"),
        };
        return new KernelTarget(NumberFormat.Int8, KernelPath.Scalar, KernelLanes.Scalar, set, fusePooling: true, poolAfterRequantize: true, generatedC: true);
    }

    /// <summary>This target with <paramref name="algorithms"/> as its kernel set (a C variant that gains kernels).</summary>
    public KernelTarget WithAlgorithms(IEnumerable<KernelAlgorithm> algorithms) =>
        new(NumberFormat, Path, Lanes, new HashSet<KernelAlgorithm>(algorithms), FusePooling, PoolAfterRequantize, GeneratedC) { FloatTileVectors = FloatTileVectors };
}

/// <summary>
/// The one kernel selector, for float32, int8 and the generated C: which vector width runs on this CPU, which
/// algorithm each layer runs (with every algorithm's applicability rule), which max pools are fused into the
/// convolution before them, and the workspace each algorithm needs. Planners ask it once at load and store the
/// answers in their steps; nothing is chosen again at run time.
/// </summary>
public static partial class KernelSelector
{
    /// <summary>Convolution algorithms from the fewest products to the plain definition: the first that applies wins.</summary>
    private static readonly KernelAlgorithm[] ConvolutionPreference =
    [
        KernelAlgorithm.WinogradF4, KernelAlgorithm.WinogradF2, KernelAlgorithm.PairWinogradF2, KernelAlgorithm.DirectConv2D, KernelAlgorithm.ReferenceConv2D,
    ];

    private static readonly KernelAlgorithm[] DensePreference =
    [
        KernelAlgorithm.DotProductDense, KernelAlgorithm.DotProductDenseModel, KernelAlgorithm.PairedDense, KernelAlgorithm.Dense, KernelAlgorithm.ReferenceDense,
    ];

    /// <summary>
    /// The generated C's F(2x2) recovers Y from 4Y mod 2^32: |4Y| &lt;= 4·9·cin·127·128 &lt; 2^31 (raw int8 codes,
    /// |x| &lt;= 128, |w| &lt;= 127, the zero point folded into the bias).
    /// </summary>
    public const int GeneratedCWinogradF2MaxInputChannels = 3669;

    /// <summary>The generated C's F(4x4) recovers Y from 2^k·Y mod 2^32 (k &lt;= 6): |Y| &lt;= 9·cin·127·128 &lt; 2^25.</summary>
    public const int GeneratedCWinogradF4MaxInputChannels = 229;

    /// <summary>True when <paramref name="path"/> can run models of <paramref name="format"/> on this CPU (Auto and Scalar always can).</summary>
    public static bool IsSupported(KernelPath path, NumberFormat format) => path switch
    {
        KernelPath.Auto or KernelPath.Scalar => true,
        KernelPath.Vector128 => format == NumberFormat.Int8 ? Int8Simd.IsSupported : Vector128.IsHardwareAccelerated,
        KernelPath.Vector256 => format == NumberFormat.Int8 ? Int8Simd.IsSupported256 : Vector256.IsHardwareAccelerated,
        KernelPath.Vector512 => format == NumberFormat.Int8 ? Int8Simd.IsSupported512 : Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>The widest path this CPU accelerates for <paramref name="format"/>.</summary>
    public static KernelPath BestPath(NumberFormat format) =>
        IsSupported(KernelPath.Vector512, format) ? KernelPath.Vector512
        : IsSupported(KernelPath.Vector256, format) ? KernelPath.Vector256
        : IsSupported(KernelPath.Vector128, format) ? KernelPath.Vector128
        : KernelPath.Scalar;

    /// <summary>
    /// The path a model runs: the requested one, or for Auto the widest this CPU has, except that int8 takes 256 bits
    /// instead of 512 when some layer's output channels are not a multiple of 32 (AVX-512 blocks are 32 channels;
    /// 16-channel blocks then waste less: the compact network).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined path.</exception>
    /// <exception cref="PlatformNotSupportedException">The CPU does not accelerate the requested path.</exception>
    public static KernelPath Resolve(KernelPath requested, NumberFormat format, NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!Enum.IsDefined(requested))
        {
            throw new ArgumentOutOfRangeException(nameof(requested), requested, $"unknown kernel path {requested}");
        }
        if (!IsSupported(requested, format))
        {
            throw new PlatformNotSupportedException($"{format} kernel path {requested} is not hardware-accelerated on this CPU");
        }
        if (requested != KernelPath.Auto)
        {
            return requested;
        }
        KernelPath best = BestPath(format);
        if (format == NumberFormat.Int8 && best == KernelPath.Vector512)
        {
            foreach (LayerInfo info in network.LayerInfos)
            {
                if (info.Spec is Conv2DLayer or DenseLayer && info.OutputShape.Channels > 1 && info.OutputShape.Channels % 32 != 0)
                {
                    return KernelPath.Vector256;
                }
            }
        }
        return best;
    }

    /// <summary>The lanes a path's kernels are instantiated with on this CPU.</summary>
    internal static KernelLanes Lanes(KernelPath path, NumberFormat format) => path switch
    {
        KernelPath.Scalar => KernelLanes.Scalar,
        KernelPath.Vector128 => format == NumberFormat.Int8 && Int8Simd.IsSupportedArm64 ? KernelLanes.AdvSimd128 : KernelLanes.Vector128,
        KernelPath.Vector256 => KernelLanes.Vector256,
        KernelPath.Vector512 => KernelLanes.Vector512,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "resolve the path first"),
    };

    /// <summary>
    /// Vectors of output channels in the register tile of the float direct and Winograd kernels (4 pixels by this
    /// many vectors): 4 where the ISA has 32 vector registers (AVX-512, which the JIT and the x86-64-v4 build use at
    /// every width; arm64), 2 where it has 16 (SSE, AVX2). With 16 registers the 4-vector tile (16 accumulators, 4
    /// weights, 4 broadcasts) spills accumulators in every inner iteration; the 2-vector tile (8 + 2 + 4) does not
    /// (docs/native-paths.md has the listings and the A/B).
    /// </summary>
    internal static int FloatTileVectors(KernelLanes lanes) => lanes switch
    {
        KernelLanes.Scalar => 1,
        KernelLanes.Vector512 => 4,
        _ => VectorRegisters >= 32 ? 4 : 2,
    };

    /// <summary>Vector registers the compiled code can allocate: 32 with AVX-512 (EVEX) or on arm64, else 16.</summary>
    internal static int VectorRegisters => Avx512F.VL.IsSupported || AdvSimd.Arm64.IsSupported ? 32 : 16;

    /// <summary>
    /// The algorithm of a convolution (<paramref name="kernel"/> x <paramref name="kernel"/>, stride 1) and whether
    /// the 2x2 max pool after it (<paramref name="poolFollows"/>) is fused into it.
    /// </summary>
    /// <param name="target">The plan's target.</param>
    /// <param name="input">Input shape.</param>
    /// <param name="output">The convolution's own output shape (before any pooling).</param>
    /// <param name="kernel">Kernel side.</param>
    /// <param name="pad">0 'valid', (k - 1) / 2 'same'.</param>
    /// <param name="poolFollows">The next layer is a 2x2 max pool.</param>
    /// <param name="quantization">int8: the layer's parameters (the managed fusion needs them), else null.</param>
    public static ConvolutionChoice Convolution(KernelTarget target, TensorShape input, TensorShape output, int kernel, int pad, bool poolFollows,
        Int8LayerParameters? quantization = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        bool poolable = poolFollows && target.FusePooling
            && (target.NumberFormat == NumberFormat.Float32 || target.PoolAfterRequantize
                || (quantization is not null && PoolFusionIsExact(kernel, input.Channels, quantization)));
        foreach (KernelAlgorithm a in ConvolutionPreference)
        {
            bool applies = target.GeneratedC ? AppliesInGeneratedC(a, kernel, input) : Applies(a, target.NumberFormat, kernel, pad, input, output);
            if (!target.Offers(a) || !applies || (a == KernelAlgorithm.PairWinogradF2 && !poolable))
            {
                continue;
            }
            bool fuses = poolable && a != KernelAlgorithm.ReferenceConv2D;
            // The managed kernels fuse only where the max of the accumulators is exact; the C's direct kernel always
            // pools requantized outputs, its Winograd kernels the accumulators where that is exact.
            bool accumulators = fuses && (!target.GeneratedC
                || (a is KernelAlgorithm.WinogradF2 or KernelAlgorithm.WinogradF4 && quantization is not null && PoolFusionIsExact(kernel, input.Channels, quantization)));
            return new ConvolutionChoice(a, fuses, accumulators);
        }
        throw new ModelFormatException(ModelFormatError.UnknownLayer, string.Create(CultureInfo.InvariantCulture,
            $"no convolution kernel of this target takes {kernel}x{kernel} on {input}"));
    }

    /// <summary>The algorithm of a fully connected layer.</summary>
    public static KernelAlgorithm Dense(KernelTarget target) => First(target, DensePreference, "fully connected");

    /// <summary>
    /// The generated C's paired dense keeps each pair of int8 weights in an int32 word, twice the memory of the int8
    /// weights: it is planned only where that adds at most 64 KiB (inputs x units &lt;= this; the compact network's dense
    /// layers, not the deck's 12544 x 128, where it would add 1.6 MB to save 4 % of the LEON3 instructions).
    /// </summary>
    public const int GeneratedCPairedDenseMaxWeights = 65536;

    /// <summary>The algorithm of a fully connected layer of <paramref name="inputs"/> x <paramref name="units"/> weights.</summary>
    public static KernelAlgorithm Dense(KernelTarget target, long inputs, int units)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (KernelAlgorithm a in DensePreference)
        {
            if (target.Offers(a) && (a != KernelAlgorithm.PairedDense || inputs * units <= GeneratedCPairedDenseMaxWeights))
            {
                return a;
            }
        }
        return Dense(target);
    }

    /// <summary>The algorithm of a 2x2 max pool: none when the convolution before it computes it.</summary>
    public static KernelAlgorithm MaxPool(KernelTarget target, bool fusedIntoPrevious) =>
        fusedIntoPrevious ? KernelAlgorithm.None : First(target, [KernelAlgorithm.MaxPool, KernelAlgorithm.ReferenceMaxPool], "max pooling");

    /// <summary>The algorithm of a global average pool.</summary>
    public static KernelAlgorithm GlobalAveragePool(KernelTarget target) =>
        First(target, [KernelAlgorithm.GlobalAveragePool, KernelAlgorithm.ReferenceGlobalAveragePool], "global average pooling");

    /// <summary>
    /// Whether <paramref name="algorithm"/> computes this convolution exactly (as its reference) for the number format:
    /// every kernel's applicability rule is here.
    /// </summary>
    public static bool Applies(KernelAlgorithm algorithm, NumberFormat format, int kernel, int pad, TensorShape input, TensorShape output)
    {
        bool sameSize = output.Height == input.Height && output.Width == input.Width;
        return algorithm switch
        {
            KernelAlgorithm.ReferenceConv2D or KernelAlgorithm.DirectConv2D => true,
            // Float: the transforms pay from 8 input channels; tiles sticking out of an odd output are staged
            // (WinogradEdgeTiles), so any size that wastes less than a third of the tiles' outputs.
            KernelAlgorithm.WinogradF2 when format == NumberFormat.Float32 =>
                kernel == 3 && input.Channels >= Winograd.MinInputChannels && TilesWasteLittle(output, 2),
            // int8: 'same' padding (the widened region's zero border), channels in eights, 4·|Y| within int32; edge
            // tiles staged as in float (Int8WinogradEdgeTiles).
            KernelAlgorithm.WinogradF2 =>
                kernel == 3 && pad == 1 && sameSize && input.Channels % 8 == 0 && input.Channels <= Int8Winograd.MaxInputChannels
                && TilesWasteLittle(output, 2),
            // Float F(4x4): as F(2x2), with 4x4 tiles.
            KernelAlgorithm.WinogradF4 when format == NumberFormat.Float32 =>
                kernel == 3 && input.Channels >= Winograd.MinInputChannels && TilesWasteLittle(output, 4),
            // int8 F(4x4): the modular recovery needs |Y| < 2^25, which bounds cin (Int8Winograd4.MaxInputChannels).
            KernelAlgorithm.WinogradF4 =>
                format == NumberFormat.Int8 && kernel == 3 && pad == 1 && sameSize && input.Channels % 8 == 0
                && input.Channels <= Int8Winograd4.MaxInputChannels && TilesWasteLittle(output, 4),
            // One int16 channel pair per pixel (cin <= 2), 'same'; the tiles are the pooling windows.
            KernelAlgorithm.PairWinogradF2 => format == NumberFormat.Int8 && kernel == 3 && pad == 1 && Int8Packing.Pairs(input.Channels) == 1,
            _ => false,
        };
    }

    /// <summary>
    /// Whether tiles of side <paramref name="tile"/> covering <paramref name="output"/> (rounded up) compute at least
    /// two thirds useful outputs: compact-v1's 14x14 takes F(4x4) (196 of 256), its 7x7 F(4x4) (49 of 64), a 5x5 F(2x2)
    /// (25 of 36) but not F(4x4) (25 of 64).
    /// </summary>
    private static bool TilesWasteLittle(TensorShape output, int tile)
    {
        long covered = (long)((output.Height + tile - 1) / tile * tile) * ((output.Width + tile - 1) / tile * tile);
        return 3L * output.Height * output.Width >= 2 * covered;
    }

    /// <summary>
    /// Whether the generated C's kernel for <paramref name="algorithm"/> computes this convolution exactly: its
    /// Winograd kernels take any stride-1 3x3 convolution, 'same' or 'valid', of any size (tiles overhanging the
    /// output are computed on zero-point padding and not stored) within their input-channel bounds.
    /// </summary>
    public static bool AppliesInGeneratedC(KernelAlgorithm algorithm, int kernel, TensorShape input) => algorithm switch
    {
        KernelAlgorithm.DirectConv2D => true,
        KernelAlgorithm.WinogradF2 => kernel == 3 && input.Channels <= GeneratedCWinogradF2MaxInputChannels,
        KernelAlgorithm.WinogradF4 => kernel == 3 && input.Channels <= GeneratedCWinogradF4MaxInputChannels,
        _ => false,
    };

    /// <summary>
    /// maxpool(requantize(acc)) equals requantize(max(acc)) when requantization is monotone non-decreasing in the
    /// accumulator: true for MBQM with a multiplier >= 0 (the loader allows 0 or [2^30, 2^31)), zero point and clamp,
    /// unless an int32 wraps on the way. So the managed int8 fusion is planned only when no channel has a left shift
    /// (x · 2^left wraps) and bias + the largest possible sum, k²·cin·127·255, cannot leave int32.
    /// </summary>
    public static bool PoolFusionIsExact(int kernelSize, int inputChannels, Int8LayerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        long bound = (long)kernelSize * kernelSize * inputChannels * 127 * 255;
        for (int c = 0; c < parameters.Shift.Length; c++)
        {
            if (parameters.Shift[c] > 0 || parameters.Multiplier[c] < 0 || Math.Abs((long)parameters.Bias[c]) + bound > int.MaxValue)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Scratch elements an algorithm needs besides its input and output: floats (float32) or int32 words (int8) of the
    /// Winograd workspace, shared by every Winograd step of a plan, or the dense kernels' list of non-zero input rows
    /// (float: one per input; int8: one per input pair); 0 for the others.
    /// </summary>
    internal static int WorkspaceElements(KernelTarget target, KernelAlgorithm algorithm, int inputChannels, int outputChannels)
    {
        if (target.NumberFormat == NumberFormat.Float32)
        {
            return algorithm switch
            {
                KernelAlgorithm.WinogradF2 => Winograd.WorkspaceSize(inputChannels, outputChannels),
                KernelAlgorithm.WinogradF4 => Winograd4.WorkspaceSize(inputChannels, outputChannels),
                KernelAlgorithm.Dense => NonZeroRows.WorkspaceElements(inputChannels),
                _ => 0,
            };
        }
        int pairs = Int8Packing.Pairs(inputChannels), coutPad = Int8Packing.PadChannels(outputChannels, Int8Packing.ChannelBlock(target.Lanes));
        return algorithm switch
        {
            KernelAlgorithm.WinogradF2 => Int8Winograd.WorkspaceInts(pairs, coutPad),
            KernelAlgorithm.WinogradF4 => Int8Winograd4.WorkspaceInts(pairs, coutPad),
            KernelAlgorithm.Dense => NonZeroRows.WorkspaceElements(pairs),
            KernelAlgorithm.DotProductDense or KernelAlgorithm.DotProductDenseModel => NonZeroRows.WorkspaceElements(Int8DotDense.Quads(inputChannels)),
            _ => 0,
        };
    }

    private static KernelAlgorithm First(KernelTarget target, ReadOnlySpan<KernelAlgorithm> preference, string what)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (KernelAlgorithm a in preference)
        {
            if (target.Offers(a))
            {
                return a;
            }
        }
        throw new ModelFormatException(ModelFormatError.UnknownLayer, $"this target has no {what} kernel");
    }
}
