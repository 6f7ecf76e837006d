using System;
using Eclairs.Onboard.Native;
using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>
/// ecl_classify and ecl_trigger_process allocate nothing, on good input and on refused input alike, and the GC never
/// runs during a long series of calls. Measured through the same managed entry points the exports wrap.
/// </summary>
[Collection(SerialGroup.Name)]
public unsafe class NoAllocationTests
{
    private const int Pixels = 3136;

    [Fact]
    public void ClassifyAllocatesNothingAndNeverCollects()
    {
        void* model = TestModels.LoadCompact();
        void* context;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(model, &context));
        float[] snr = new float[Pixels];
        byte[] mask = new byte[Pixels];
        var rng = new Random(3);
        for (int i = 0; i < Pixels; i++)
        {
            snr[i] = (float)(rng.NextDouble() * 4 - 2);
            mask[i] = 1;
        }

        mask[28 * 56 + 28] = 3;
        EclResult result;
        fixed (float* s = snr)
        fixed (byte* m = mask)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.Classify(context, s, m, &result));
            // Earlier tests' garbage, collected now: its clean-up was seen to add a one-off count to this thread under load.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            int failures = 0;
            for (int i = 0; i < 2000; i++)
            {
                failures += ClassifierApi.Classify(context, s, m, &result) == EclStatus.Ok ? 0 : 1;
            }

            m[5] = 9;
            EclStatus badMask = ClassifierApi.Classify(context, s, m, &result);
            m[5] = 1;
            s[6] = float.NaN;
            EclStatus badSnr = ClassifierApi.Classify(context, s, m, &result);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.Equal(0, failures);
            Assert.Equal(EclStatus.InputMask, badMask);
            Assert.Equal(EclStatus.InputNonFinite, badSnr);
            Assert.Equal(collections, GC.CollectionCount(0));
        }

        ClassifierApi.ContextFree(context);
        ClassifierApi.ModelFree(model);
    }

    [Fact]
    public void TriggerProcessAllocatesNothing()
    {
        void* trigger;
        var source = new EclKnownSource { Y = 130, Z = 70, CountsPerSecond = 20, ExclusionRadius = 5 };
        Assert.Equal(EclStatus.Ok, TriggerApi.Create(null, &source, 1, &trigger));
        uint[] counts = new uint[6400];
        var rng = new Random(5);
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = (uint)rng.Next(10, 30);
        }

        EclAlert* alert = (EclAlert*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)sizeof(EclAlert));
        fixed (uint* c = counts)
        {
            Assert.Equal(EclStatus.Ok, TriggerApi.Process(trigger, c, 20f, alert));
            long before = GC.GetAllocatedBytesForCurrentThread();
            int failures = 0;
            for (int i = 0; i < 50; i++)
            {
                failures += TriggerApi.Process(trigger, c, 20f, alert) == EclStatus.Ok ? 0 : 1;
            }

            EclStatus badExposure = TriggerApi.Process(trigger, c, float.NaN, alert);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(0, failures);
            Assert.Equal(EclStatus.InputRange, badExposure);
        }

        Assert.Equal(3, alert->SubimageMask[28 * 56 + 28]);
        System.Runtime.InteropServices.NativeMemory.Free(alert);
        TriggerApi.Free(trigger);
    }

    [Fact]
    public void Int8ClassifyAllocatesNothing()
    {
        byte[] file = System.IO.File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "compact-random.int8.eclw"));
        void* model;
        void* context;
        fixed (byte* f = file)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoad(f, (nuint)file.Length, &model));
        }

        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(model, &context));
        float[] snr = new float[Pixels];
        byte[] mask = new byte[Pixels];
        Array.Fill(mask, (byte)1);
        EclResult result;
        fixed (float* s = snr)
        fixed (byte* m = mask)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.Classify(context, s, m, &result));
            long before = GC.GetAllocatedBytesForCurrentThread();
            int failures = 0;
            for (int i = 0; i < 200; i++)
            {
                failures += ClassifierApi.Classify(context, s, m, &result) == EclStatus.Ok ? 0 : 1;
            }

            m[9] = 5;
            EclStatus refused = ClassifierApi.Classify(context, s, m, &result);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(0, failures);
            Assert.Equal(EclStatus.InputMask, refused);
        }

        ClassifierApi.ContextFree(context);
        ClassifierApi.ModelFree(model);
    }
}
