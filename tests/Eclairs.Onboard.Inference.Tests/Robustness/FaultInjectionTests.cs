using System;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onboard.Inference.Tests.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Robustness;

/// <summary>
/// Single event upsets in the parameter memory: every bit of every array the kernels read is flipped, one at a time,
/// and Verify must report each flip, then pass again once the bit is restored. (The shipped models are flipped bit by
/// bit through the C ABI by tests/native/fault_injection.c.)
/// </summary>
public class FaultInjectionTests
{
    public static TheoryData<Int8KernelPath> Int8Paths()
    {
        var data = new TheoryData<Int8KernelPath>();
        foreach (Int8KernelPath p in new[] { Int8KernelPath.Scalar, Int8KernelPath.Vector128, Int8KernelPath.Vector256, Int8KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            data.Add(p);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Int8Paths))]
    public void Int8_verify_detects_every_single_bit_flip_in_every_planned_array(Int8KernelPath path)
    {
        Int8Model model = Int8Model.FromDocument(Int8TestModels.Quantized(ConcurrencyTests.Tiny(), 7).Int8, path);
        Assert.True(model.Verify());
        // The arrays are those of the plan the kernels run: weights in the layout of this path and both shift forms.
        Assert.Contains(model.ParameterArrays, a => ReferenceEquals(a, model.Steps.First(s => s.Kind == Int8StepKind.Conv2D).Bias));
        Assert.All(model.Steps.Where(s => s.Kind is Int8StepKind.Conv2D or Int8StepKind.Dense), s =>
        {
            Assert.Contains(model.ParameterArrays, a => ReferenceEquals(a, path == Int8KernelPath.Scalar ? s.Weights : s.Transformed.Length > 0 ? s.Transformed : s.Packed));
            Assert.Contains(model.ParameterArrays, a => ReferenceEquals(a, s.LeftMultiplier));
            Assert.Contains(model.ParameterArrays, a => ReferenceEquals(a, s.RightShift));
        });
        long flips = 0;
        foreach (Array array in model.ParameterArrays)
        {
            Span<byte> bytes = Int8Model.Bytes(array);
            for (int i = 0; i < bytes.Length; i++)
            {
                for (int bit = 0; bit < 8; bit++)
                {
                    bytes[i] ^= (byte)(1 << bit);
                    bool detected = !model.Verify();
                    bytes[i] ^= (byte)(1 << bit);
                    Assert.True(detected, $"flip of bit {bit} of byte {i} of a {array.GetType().Name}[{array.Length}] not detected");
                    flips++;
                }
            }
        }
        Assert.True(model.Verify());
        Assert.Equal(8 * model.ParameterArrays.Sum(a => (long)Int8Model.Bytes(a).Length), flips);
    }

    [Fact]
    public void Float_verify_detects_every_single_bit_flip_of_the_block_winograd_copies_included()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(ConcurrencyTests.Tiny(), 8, out _));
        Span<byte> block = MemoryMarshal.AsBytes(model.ParameterBlock);
        Assert.True(model.KernelPath == KernelPath.Scalar || model.Plan.Steps.Any(s => s.TransformedWeights >= 0), "the block should hold Winograd weights");
        Assert.True(model.Verify());
        for (int i = 0; i < block.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                block[i] ^= (byte)(1 << bit);
                bool detected = !model.Verify();
                block[i] ^= (byte)(1 << bit);
                Assert.True(detected, $"flip of bit {bit} of byte {i} of the parameter block not detected");
            }
        }
        Assert.True(model.Verify());
    }

    [Fact]
    public void Float_verify_covers_the_threshold_the_normalisation_and_the_plan()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(ConcurrencyTests.Tiny(), 8, out _) with { Normalization = new InputNormalization(0.5f, 0.25f) });
        FlipEveryBit(model, BackingField(typeof(Model), nameof(Model.DecisionThreshold)), model.Verify);
        FlipEveryBit(model, BackingField(typeof(Model), nameof(Model.Normalization)), model.Verify);
        Span<byte> plan = MemoryMarshal.AsBytes(model.Plan.Steps.AsSpan());
        for (int i = 0; i < plan.Length; i++)
        {
            plan[i] ^= 0x40;
            bool detected = !model.Verify();
            plan[i] ^= 0x40;
            Assert.True(detected, $"flip in byte {i} of the plan not detected");
        }
        Assert.True(model.Verify());
    }

    [Fact]
    public void Int8_verify_covers_the_integer_threshold_and_each_steps_zero_points_and_offsets()
    {
        Int8Model model = Int8Model.FromDocument(Int8TestModels.Quantized(ConcurrencyTests.Tiny(), 7).Int8);
        FlipEveryBit(model.Parameters, BackingField(typeof(Int8Parameters), nameof(Int8Parameters.DecisionThreshold)), model.Verify);
        FlipEveryBit(model, BackingField(typeof(Int8Model), nameof(Int8Model.OutputZeroPoint)), model.Verify);
        foreach (Int8LayerPlan step in model.Steps)
        {
            foreach (string field in new[] { nameof(Int8LayerPlan.OutputZeroPoint), nameof(Int8LayerPlan.Destination), nameof(Int8LayerPlan.ActivationMin) })
            {
                FlipEveryBit(step, BackingField(typeof(Int8LayerPlan), field), model.Verify);
            }
        }
    }

    [Fact]
    public void Scrubbing_allocates_nothing()
    {
        Model f = Model.FromDocument(TestModels.RandomDocument(ConcurrencyTests.Tiny(), 8, out _));
        Int8Model q = Int8Model.FromDocument(Int8TestModels.Quantized(ConcurrencyTests.Tiny(), 7).Int8);
        Assert.True(f.Verify() && q.Verify());
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 1000; i++)
        {
            all &= f.Verify() & q.Verify();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(all);
    }

    private static System.Reflection.FieldInfo BackingField(Type type, string property) =>
        type.GetField($"<{property}>k__BackingField", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
        ?? throw new InvalidOperationException($"no backing field for {type.Name}.{property}");

    /// <summary>Flips each bit of a 32-bit field (or of each float of a struct of floats) through reflection.</summary>
    private static void FlipEveryBit(object owner, System.Reflection.FieldInfo field, Func<bool> verify)
    {
        object original = field.GetValue(owner)!;
        int words = original is InputNormalization ? 2 : 1;
        for (int w = 0; w < words; w++)
        {
            for (int bit = 0; bit < 32; bit++)
            {
                field.SetValue(owner, Flip(original, w, bit));
                bool detected = !verify();
                field.SetValue(owner, original);
                Assert.True(detected, $"flip of bit {bit} of {field.Name} (word {w}) not detected");
            }
        }
        Assert.True(verify());
    }

    private static object Flip(object value, int word, int bit) => value switch
    {
        int i => i ^ (1 << bit),
        float f => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(f) ^ (1 << bit)),
        InputNormalization n when word == 0 => n with { Scale = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(n.Scale) ^ (1 << bit)) },
        InputNormalization n => n with { Offset = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(n.Offset) ^ (1 << bit)) },
        _ => throw new InvalidOperationException($"cannot flip a {value.GetType()}"),
    };
}
