using System;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Eclairs.Onboard.Inference.Tests.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Robustness;

/// <summary>
/// Single event upsets in a loaded model: every bit of its arena (the parameters in each kernel's layout and the plan:
/// header and steps, not a list of named fields) is flipped, one at a time, and Verify must report each flip, then pass
/// again once the bit is restored. The kernels read that same memory, so what is verified is what runs. (The shipped
/// models are flipped bit by bit through the C ABI by tests/native/fault_injection.c.)
/// </summary>
public class FaultInjectionTests
{
    public static TheoryData<KernelPath, bool> Int8Plans()
    {
        var data = new TheoryData<KernelPath, bool>();
        foreach (KernelPath p in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            data.Add(p, false);
            data.Add(p, true);
        }
        return data;
    }

    public static TheoryData<KernelPath> FloatPaths()
    {
        var data = new TheoryData<KernelPath>();
        foreach (KernelPath p in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Model.IsSupported))
        {
            data.Add(p);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Int8Plans))]
    public void Int8_verify_detects_every_single_bit_flip_of_the_arena_plan_included(KernelPath path, bool keepEveryStep)
    {
        Int8Model model = Int8Model.FromDocument(Int8TestModels.Quantized(ConcurrencyTests.Tiny(), 7).Int8,
            new ModelOptions { KernelPath = path, KeepEveryStep = keepEveryStep });
        ModelArena arena = model.Arena;
        Assert.True(arena.PlanRegion.Length >= (model.StepsCopy().Length * Marshal.SizeOf<Int8Step>()) + Marshal.SizeOf<Int8PlanHeader>());
        Assert.Equal(arena.Length, FlipEveryBit(arena.Bytes, model.Verify) / 8);
    }

    [Theory]
    [MemberData(nameof(FloatPaths))]
    public void Float_verify_detects_every_single_bit_flip_of_the_arena_plan_and_winograd_copies_included(KernelPath path)
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(ConcurrencyTests.Tiny(), 8, out _), new ModelOptions { KernelPath = path });
        Assert.True(path == KernelPath.Scalar || model.StepAlgorithms().Any(a => a is KernelAlgorithm.WinogradF2 or KernelAlgorithm.WinogradF4), "the arena should hold Winograd weights");
        Assert.True(model.Arena.PlanRegion.Length >= (model.StepAlgorithms().Length * Marshal.SizeOf<PlanStep>()) + Marshal.SizeOf<FloatPlanHeader>());
        Assert.Equal(model.Arena.Length, FlipEveryBit(model.Arena.Bytes, model.Verify) / 8);
    }

    [Fact]
    public void The_int8_decision_reads_the_verified_plan()
    {
        // The integer threshold lives in the arena's header, which Verify covers; the decision must come from there
        // (not from a copy outside it): lowering it to -128 makes every alert true.
        Int8Model model = Int8Model.FromDocument(Int8TestModels.Quantized(ConcurrencyTests.Tiny(), 7).Int8);
        Int8Context context = model.CreateContext();
        CalibrationInput a = Int8TestModels.Alerts(model.Network, 1, 3)[0];
        Int8ClassificationResult before = context.Classify(a.Snr, a.Mask);
        ref Int8PlanHeader header = ref model.Header;
        int kept = header.IntegerThreshold;
        header.IntegerThreshold = before.IsTrueAlert ? 128 : -128;
        Assert.False(model.Verify());
        Assert.NotEqual(before.IsTrueAlert, context.Classify(a.Snr, a.Mask).IsTrueAlert);
        header.IntegerThreshold = kept;
        Assert.True(model.Verify());
        Assert.Equal(before, context.Classify(a.Snr, a.Mask));
    }

    [Fact]
    public void The_float_decision_reads_the_verified_plan()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(ConcurrencyTests.Tiny(), 8, out _));
        InferenceContext context = model.CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(model.Network.InputHeight, model.Network.InputWidth, 5);
        ClassificationResult before = context.Classify(snr, mask);
        ref FloatPlanHeader header = ref model.Header;
        float kept = header.DecisionThreshold;
        header.DecisionThreshold = before.IsTrueAlert ? 2f : -1f;
        Assert.False(model.Verify());
        Assert.NotEqual(before.IsTrueAlert, context.Classify(snr, mask).IsTrueAlert);
        header.DecisionThreshold = kept;
        Assert.True(model.Verify());
    }

    /// <summary>Flips each bit of <paramref name="bytes"/> in turn; every flip must be detected and every restore pass. Returns the flips.</summary>
    private static long FlipEveryBit(Span<byte> bytes, Func<bool> verify)
    {
        Assert.True(verify());
        long flips = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                bytes[i] ^= (byte)(1 << bit);
                bool detected = !verify();
                bytes[i] ^= (byte)(1 << bit);
                Assert.True(detected, $"flip of bit {bit} of byte {i} of {bytes.Length} not detected");
                flips++;
            }
        }
        Assert.True(verify());
        return flips;
    }
}
