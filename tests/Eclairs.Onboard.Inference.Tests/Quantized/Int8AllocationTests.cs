using System;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// The int8 hot path allocates nothing, on the fast (pool-fused) context and on one keeping every step. In the
/// allocation collection: run alone, after the heap is settled (see <see cref="AllocationTests"/>).
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class Int8AllocationTests
{
    [Theory]
    [InlineData("CompactV1", false)]
    [InlineData("CompactV1", true)]
    [InlineData("CnnV1", false)]
    [InlineData("Residual", false)]
    [InlineData("Residual", true)]
    public void ClassifyAllocatesNothing(string architecture, bool keepEveryStep)
    {
        NetworkDescription network = architecture switch
        {
            "CnnV1" => Architectures.CnnV1(),
            "Residual" => BranchLayerTests.Residual(), // Add, Branch, average pool, 1x1 and stride-2 convolutions
            _ => Architectures.CompactV1(),
        };
        ModelDocument q = Int8TestModels.ExtremeRandom(network, 4, leftShifts: false);
        CalibrationInput a = Int8TestModels.Alerts(network, 1, 42)[0];
        foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            Int8Context context = Int8Model.FromDocument(q, new ModelOptions { KernelPath = path, KeepEveryStep = keepEveryStep }).CreateContext();
            for (int i = 0; i < 10; i++)
            {
                context.Classify(a.Snr, a.Mask);
            }
            AllocationTests.SettleHeap();
            long before = GC.GetAllocatedBytesForCurrentThread();
            int calls = path == KernelPath.Scalar ? 20 : 1000; // the scalar reference is slow; a few calls prove the same
            for (int i = 0; i < calls; i++)
            {
                context.Classify(a.Snr, a.Mask);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
