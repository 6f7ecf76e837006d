using System;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onboard.Inference.Tests.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>
/// The one selector: what it plans for the deck and compact networks on every target (float, int8, the C variants),
/// its applicability rules at their edges, and that the stored answer is what runs (the plans' steps carry it).
/// </summary>
public class KernelSelectorTests
{
    private static readonly KernelAlgorithm[] ReferenceOnly =
        [KernelAlgorithm.Input, KernelAlgorithm.ReferenceConv2D, KernelAlgorithm.ReferenceMaxPool, KernelAlgorithm.ReferenceGlobalAveragePool, KernelAlgorithm.ReferenceDense];

    [Fact]
    public void Float_deck_plan_runs_conv1_direct_conv2_winograd_f4_or_f2_with_pools_fused_and_the_scalar_plan_runs_references()
    {
        ModelDocument deck = TestModels.RandomDocument(Architectures.CnnV1(), 3, out _);
        foreach (KernelPath path in TestModels.SupportedPaths())
        {
            KernelAlgorithm[] planned = Model.FromDocument(deck, new ModelOptions { KernelPath = path }).StepAlgorithms();
            if (path == KernelPath.Scalar)
            {
                Assert.Equal([KernelAlgorithm.Input, KernelAlgorithm.ReferenceConv2D, KernelAlgorithm.ReferenceMaxPool, KernelAlgorithm.ReferenceConv2D,
                    KernelAlgorithm.ReferenceMaxPool, KernelAlgorithm.ReferenceDense, KernelAlgorithm.ReferenceDense], planned);
            }
            else
            {
                // The pools vanish into the convolutions: no step of their own.
                Assert.Equal([KernelAlgorithm.Input, KernelAlgorithm.DirectConv2D, KernelAlgorithm.WinogradF4, KernelAlgorithm.Dense, KernelAlgorithm.Dense], planned);
                Assert.Equal([KernelAlgorithm.Input, KernelAlgorithm.DirectConv2D, KernelAlgorithm.WinogradF2, KernelAlgorithm.Dense, KernelAlgorithm.Dense],
                    Model.FromDocument(deck, new ModelOptions { KernelPath = path, MaxWinogradTile = 2 }).StepAlgorithms());
            }
        }
        if (KernelSelector.BestPath(NumberFormat.Float32) != KernelPath.Scalar)
        {
            Assert.Equal([KernelAlgorithm.Input, KernelAlgorithm.DirectConv2D, KernelAlgorithm.DirectConv2D, KernelAlgorithm.Dense, KernelAlgorithm.Dense],
                Model.FromDocument(deck, new ModelOptions { MaxWinogradTile = 0 }).StepAlgorithms());
        }
    }

    [Fact]
    public void The_float_register_tile_is_four_vectors_with_32_registers_and_two_with_16_and_every_convolution_step_carries_it()
    {
        bool wideRegisterFile = System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported;
        Assert.Equal(wideRegisterFile ? 32 : 16, KernelSelector.VectorRegisters);
        Assert.Equal(1, KernelSelector.FloatTileVectors(KernelLanes.Scalar));
        Assert.Equal(4, KernelSelector.FloatTileVectors(KernelLanes.Vector512));
        Assert.Equal(wideRegisterFile ? 4 : 2, KernelSelector.FloatTileVectors(KernelLanes.Vector256));
        Assert.Equal(wideRegisterFile ? 4 : 2, KernelSelector.FloatTileVectors(KernelLanes.Vector128));

        ModelDocument deck = TestModels.RandomDocument(Architectures.CnnV1(), 3, out _);
        foreach (KernelPath path in TestModels.SupportedPaths())
        {
            Model model = Model.FromDocument(deck, new ModelOptions { KernelPath = path });
            int expected = KernelSelector.FloatTileVectors(KernelSelector.Lanes(path, NumberFormat.Float32));
            foreach (PlanStep step in model.Steps)
            {
                Assert.Equal(expected, step.TileVectors);
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.FromDocument(deck, new ModelOptions { KernelPath = KernelPath.Scalar, FloatTileVectors = 3 }));
    }

    [Fact]
    public void Int8_deck_plan_fuses_both_pools_one_pair_winograd_then_f4_and_keep_every_step_plans_no_fusion()
    {
        ModelDocument deck = Int8TestModels.ExtremeRandom(Architectures.CnnV1(), 2, leftShifts: false);
        foreach (KernelPath path in new[] { KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            Assert.Equal([KernelAlgorithm.Input, KernelAlgorithm.PairWinogradF2, KernelAlgorithm.None, KernelAlgorithm.WinogradF4, KernelAlgorithm.None,
                KernelAlgorithm.Dense, KernelAlgorithm.Dense], Int8Model.FromDocument(deck, path).StepAlgorithms());
            Int8Model every = Int8Model.FromDocument(deck, new ModelOptions { KernelPath = path, KeepEveryStep = true });
            Assert.Equal([KernelAlgorithm.Input, KernelAlgorithm.DirectConv2D, KernelAlgorithm.MaxPool, KernelAlgorithm.WinogradF4, KernelAlgorithm.MaxPool,
                KernelAlgorithm.Dense, KernelAlgorithm.Dense], every.StepAlgorithms());
            Assert.True(every.KeepsEveryStep);
            Assert.All(every.StepsCopy(), s => Assert.Equal(KernelSelector.Lanes(path, NumberFormat.Int8), s.Lanes)); // the lanes are stored too
        }
        Assert.Equal([KernelAlgorithm.Input, KernelAlgorithm.ReferenceConv2D, KernelAlgorithm.ReferenceMaxPool, KernelAlgorithm.ReferenceConv2D,
            KernelAlgorithm.ReferenceMaxPool, KernelAlgorithm.ReferenceDense, KernelAlgorithm.ReferenceDense], Int8Model.FromDocument(deck, KernelPath.Scalar).StepAlgorithms());
    }

    [Fact]
    public void The_C_target_fuses_every_pool_after_requantization_and_takes_the_kernels_its_variant_lists()
    {
        KernelTarget small = KernelTarget.ForC(CTarget.Small);
        var conv2In = new TensorShape(28, 28, 32);
        var conv2Out = new TensorShape(28, 28, 64);
        // Left shifts everywhere would forbid the managed fusion; the C kernels requantize before the max, so they fuse.
        Int8LayerParameters shifting = new(0, new sbyte[9 * 32 * 64], new int[64], new float[64], Enumerable.Repeat(1 << 30, 64).ToArray(),
            Enumerable.Repeat(3, 64).ToArray(), 1f, 0);
        Assert.Equal(new ConvolutionChoice(KernelAlgorithm.DirectConv2D, true), KernelSelector.Convolution(small, conv2In, conv2Out, 3, 1, poolFollows: true, shifting));
        Assert.Equal(new ConvolutionChoice(KernelAlgorithm.DirectConv2D, false), KernelSelector.Convolution(small, conv2In, conv2Out, 3, 1, poolFollows: false));
        Assert.Equal(KernelAlgorithm.Dense, KernelSelector.Dense(small));
        Assert.Equal(KernelAlgorithm.GlobalAveragePool, KernelSelector.GlobalAveragePool(small));
        // The fast C (ecl_int8_fast.c): F(4x4) for every 3x3 layer within its cin bound, whatever the size and padding,
        // then F(2x2), then direct; its Winograd kernels pool the accumulators only where that is exact.
        KernelTarget fast = KernelTarget.ForC(CTarget.Fast);
        Int8LayerParameters exact = shifting with { Shift = Enumerable.Repeat(-5, 64).ToArray() };
        Assert.Equal(new ConvolutionChoice(KernelAlgorithm.WinogradF4, true, false), KernelSelector.Convolution(fast, conv2In, conv2Out, 3, 1, poolFollows: true, shifting));
        Assert.Equal(new ConvolutionChoice(KernelAlgorithm.WinogradF4, true, true), KernelSelector.Convolution(fast, conv2In, conv2Out, 3, 1, poolFollows: true, exact));
        Assert.Equal(KernelAlgorithm.WinogradF4, KernelSelector.Convolution(fast, new TensorShape(7, 9, 2), new TensorShape(5, 7, 32), 3, 0, false).Algorithm);
        Assert.Equal(KernelAlgorithm.WinogradF2, KernelSelector.Convolution(fast, new TensorShape(8, 8, KernelSelector.GeneratedCWinogradF4MaxInputChannels + 1), conv2Out, 3, 1, false).Algorithm);
        Assert.Equal(KernelAlgorithm.DirectConv2D, KernelSelector.Convolution(fast, new TensorShape(8, 8, KernelSelector.GeneratedCWinogradF2MaxInputChannels + 1), conv2Out, 3, 1, false).Algorithm);
        Assert.Equal(KernelAlgorithm.DirectConv2D, KernelSelector.Convolution(fast, conv2In, conv2Out, 5, 2, false).Algorithm);
        Assert.Equal(KernelAlgorithm.PairedDense, KernelSelector.Dense(fast));
        Assert.Equal(KernelAlgorithm.PairedDense, KernelSelector.Dense(fast, 48, 32));
        Assert.Equal(KernelAlgorithm.PairedDense, KernelSelector.Dense(fast, KernelSelector.GeneratedCPairedDenseMaxWeights, 1));
        Assert.Equal(KernelAlgorithm.Dense, KernelSelector.Dense(fast, 12544, 128)); // twice 1.6 MB of weights: not worth 4 %
        Assert.Equal(KernelAlgorithm.Dense, KernelSelector.Dense(small, 48, 32));
        // A variant that loses a kernel is answered without it.
        KernelTarget noF4 = fast.WithAlgorithms(fast.Algorithms.Where(a => a != KernelAlgorithm.WinogradF4));
        Assert.Equal(new ConvolutionChoice(KernelAlgorithm.WinogradF2, true), KernelSelector.Convolution(noF4, conv2In, conv2Out, 3, 1, poolFollows: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelTarget.ForC((CTarget)9));
    }

    [Fact]
    public void Applicability_rules_hold_at_their_edges()
    {
        static bool F4(int cin, int size, int pad = 1) => KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Int8, 3, pad,
            new TensorShape(size, size, cin), new TensorShape(size, size, 8));
        Assert.True(F4(112, 28));
        Assert.False(F4(120, 28));             // |Y| < 2^25 bounds cin at 115 (in eights: 112)
        Assert.False(F4(36, 28));              // channels in eights
        Assert.True(F4(32, 14));               // 4x4 tiles with edge tiles: 196 of 256 outputs used
        Assert.False(F4(32, 5));               // 25 of 64: too few
        Assert.False(F4(32, 28, pad: 0));      // 'same' only
        // Float F(4x4): from 8 input channels, 'same' or 'valid', any output whose 4x4 tiles are at least two thirds useful.
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Float32, 3, 1, new TensorShape(28, 28, 32), new TensorShape(28, 28, 64)));
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Float32, 3, 0, new TensorShape(10, 14, 8), new TensorShape(8, 12, 4)));
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Float32, 3, 1, new TensorShape(14, 14, 32), new TensorShape(14, 14, 64)));  // 196 of 256
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Float32, 3, 1, new TensorShape(7, 7, 48), new TensorShape(7, 7, 48)));     // 49 of 64
        Assert.False(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Float32, 3, 1, new TensorShape(5, 5, 48), new TensorShape(5, 5, 48)));    // 25 of 64
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF2, NumberFormat.Float32, 3, 1, new TensorShape(5, 5, 48), new TensorShape(5, 5, 48)));     // 25 of 36
        Assert.False(KernelSelector.Applies(KernelAlgorithm.WinogradF2, NumberFormat.Float32, 3, 0, new TensorShape(3, 6, 48), new TensorShape(1, 4, 48)));    // 4 of 8
        Assert.False(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Float32, 3, 1, new TensorShape(28, 28, 7), new TensorShape(28, 28, 64)));
        Assert.False(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Float32, 5, 2, new TensorShape(28, 28, 32), new TensorShape(28, 28, 64)));
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF2, NumberFormat.Int8, 3, 1, new TensorShape(14, 14, 32), new TensorShape(14, 14, 48)));
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF2, NumberFormat.Int8, 3, 1, new TensorShape(7, 7, 48), new TensorShape(7, 7, 48)));   // edge tiles
        Assert.False(KernelSelector.Applies(KernelAlgorithm.WinogradF2, NumberFormat.Int8, 3, 1, new TensorShape(1, 4, 48), new TensorShape(1, 4, 48)));  // 4 of 8
        // Float F(2x2) from 8 input channels, 'valid' allowed.
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF2, NumberFormat.Float32, 3, 0, new TensorShape(10, 10, 8), new TensorShape(8, 8, 4)));
        Assert.False(KernelSelector.Applies(KernelAlgorithm.WinogradF2, NumberFormat.Float32, 3, 1, new TensorShape(28, 28, 7), new TensorShape(28, 28, 4)));
        Assert.True(KernelSelector.Applies(KernelAlgorithm.PairWinogradF2, NumberFormat.Int8, 3, 1, new TensorShape(56, 56, 2), new TensorShape(56, 56, 32)));
        Assert.False(KernelSelector.Applies(KernelAlgorithm.PairWinogradF2, NumberFormat.Int8, 3, 1, new TensorShape(56, 56, 3), new TensorShape(56, 56, 32)));
    }

    [Fact]
    public void Auto_takes_256_bits_for_int8_when_a_layer_is_not_a_multiple_of_32_channels()
    {
        KernelPath best = KernelSelector.BestPath(NumberFormat.Int8);
        KernelPath compact = KernelSelector.Resolve(KernelPath.Auto, NumberFormat.Int8, Architectures.CompactV1());
        Assert.Equal(best == KernelPath.Vector512 ? KernelPath.Vector256 : best, compact);
        Assert.Equal(best, KernelSelector.Resolve(KernelPath.Auto, NumberFormat.Int8, Architectures.CnnV1()));
        Assert.Equal(KernelSelector.BestPath(NumberFormat.Float32), KernelSelector.Resolve(KernelPath.Auto, NumberFormat.Float32, Architectures.CompactV1()));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelSelector.Resolve((KernelPath)42, NumberFormat.Int8, Architectures.CnnV1()));
    }

    [Fact]
    public void A_reference_target_offers_only_reference_kernels()
    {
        foreach (NumberFormat format in new[] { NumberFormat.Float32, NumberFormat.Int8 })
        {
            KernelTarget scalar = KernelTarget.ForManaged(format, KernelPath.Scalar);
            // Both have the residual-network layers' plain kernels; float also the copy of a kept activation (int8 keeps every output).
            KernelAlgorithm[] expected = format == NumberFormat.Float32
                ? [.. ReferenceOnly, KernelAlgorithm.CopyActivation, KernelAlgorithm.ReferenceAdd, KernelAlgorithm.ReferenceAveragePool, KernelAlgorithm.ReferenceGeneralConv2D]
                : [.. ReferenceOnly, KernelAlgorithm.ReferenceAdd, KernelAlgorithm.ReferenceAveragePool, KernelAlgorithm.ReferenceGeneralConv2D];
            Assert.Equal(expected.Order(), scalar.Algorithms.Order());
            Assert.False(KernelSelector.Convolution(scalar, new TensorShape(28, 28, 32), new TensorShape(28, 28, 64), 3, 1, poolFollows: true).FusesPool);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelTarget.ForManaged(NumberFormat.Int8, KernelPath.Auto));
    }
}
