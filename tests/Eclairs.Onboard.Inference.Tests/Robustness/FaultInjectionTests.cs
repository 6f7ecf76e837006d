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
            Assert.Contains(model.ParameterArrays, a => ReferenceEquals(a, path == Int8KernelPath.Scalar ? s.Weights : s.Packed));
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
}
