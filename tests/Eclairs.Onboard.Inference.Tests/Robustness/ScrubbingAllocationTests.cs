using System;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onboard.Inference.Tests.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Robustness;

/// <summary>
/// Scrubbing (Verify of both plans) is on the flight software's periodic path, so it allocates nothing. In the
/// allocation collection, after the heap is settled: run beside the bit-flip tests, the runtime's clean-up of their
/// garbage was seen to land on this thread's counter under load.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class ScrubbingAllocationTests
{
    [Fact]
    public void Scrubbing_allocates_nothing()
    {
        Model f = Model.FromDocument(TestModels.RandomDocument(ConcurrencyTests.Tiny(), 8, out _));
        Int8Model q = Int8Model.FromDocument(Int8TestModels.Quantized(ConcurrencyTests.Tiny(), 7).Int8);
        Assert.True(f.Verify() && q.Verify());
        AllocationTests.SettleHeap();
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 1000; i++)
        {
            all &= f.Verify() & q.Verify();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(all);
    }
}
