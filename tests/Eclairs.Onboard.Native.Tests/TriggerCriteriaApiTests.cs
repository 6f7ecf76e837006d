using System;
using Eclairs.Onboard.Native;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>The trigger criteria and alert detail added to ABI version 1 (ecl_trigger_create_with_criteria, ecl_trigger_last_detail).</summary>
[Collection(SerialGroup.Name)]
public unsafe class TriggerCriteriaApiTests
{
    private static readonly InstrumentGeometry G = InstrumentGeometry.Nominal;
    private static readonly ShadowgramModel Model = new(G, CodedMask.Generate(G));

    // A catalogued source at (70, 125) shining at amplitude 4 per open pixel for 20 s, and its rate at amplitude 2.
    private static (uint[] Counts, EclKnownSource Source) Flaring()
    {
        var expected = new float[6400];
        Model.AddBackground(expected, 60);
        Model.AddPointSourceAtSkyPixel(expected, 70, 125, 4.0);
        var counts = new uint[6400];
        new PoissonSampler(21).Sample(expected, counts);
        var unit = new float[6400];
        Model.AddPointSourceAtSkyPixel(unit, 70, 125, 1.0);
        double open = 0;
        foreach (float f in unit)
        {
            open += f;
        }

        return (counts, new EclKnownSource { Y = 70, Z = 125, CountsPerSecond = (float)(2.0 * open / 20), ExclusionRadius = 3 });
    }

    [Fact]
    public void A_flare_alert_is_reported_through_the_detail_and_matches_the_managed_trigger()
    {
        (uint[] counts, EclKnownSource source) = Flaring();
        var criteria = new EclTriggerCriteria { CatalogueFlareThreshold = 6.5f };
        void* trigger;
        Assert.Equal(EclStatus.Ok, TriggerApi.CreateWithCriteria(null, &criteria, &source, 1, &trigger));
        EclAlertDetail detail;
        Assert.Equal(EclStatus.Ok, TriggerApi.LastDetail(trigger, &detail));
        Assert.Equal(0u, detail.Criterion);
        Assert.Equal(-1, detail.KnownSourceIndex);

        var alert = new EclAlert();
        fixed (uint* c = counts)
        {
            Assert.Equal(EclStatus.Ok, TriggerApi.Process(trigger, c, 20f, &alert));
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++)
            {
                TriggerApi.Process(trigger, c, 20f, &alert);
                TriggerApi.LastDetail(trigger, &detail);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(1, alert.Raised);
        Assert.Equal((uint)TriggerCriterion.CatalogueFlare, detail.Criterion);
        Assert.Equal(0, detail.KnownSourceIndex);
        Assert.Equal(6.5f, detail.EffectiveThreshold);
        Assert.Equal(alert.PeakSnr / 6.5f, detail.Quality);

        // The same as the managed trigger with the same settings.
        var managed = new OnboardTrigger(TriggerConfig.Default with { CatalogueFlareThreshold = 6.5f }, [new KnownSource(source.Y, source.Z, source.CountsPerSecond, source.ExclusionRadius)]);
        var reference = new Alert();
        managed.Process(counts, 20f, reference);
        Assert.Equal(reference.PeakSnr, alert.PeakSnr);
        Assert.Equal(reference.SkyY, alert.SkyY);
        Assert.Equal(reference.Quality, detail.Quality);
        TriggerApi.Free(trigger);

        // Without criteria it is ecl_trigger_create: no flare, a new-source detail.
        Assert.Equal(EclStatus.Ok, TriggerApi.CreateWithCriteria(null, null, &source, 1, &trigger));
        fixed (uint* c = counts)
        {
            Assert.Equal(EclStatus.Ok, TriggerApi.Process(trigger, c, 20f, &alert));
        }

        Assert.Equal(EclStatus.Ok, TriggerApi.LastDetail(trigger, &detail));
        Assert.Equal((uint)TriggerCriterion.NewSource, detail.Criterion);
        Assert.Equal(-1, detail.KnownSourceIndex);
        Assert.Equal(EclStatus.NullArgument, TriggerApi.LastDetail(trigger, null));
        Assert.Equal(EclStatus.NullArgument, TriggerApi.LastDetail(null, &detail));
        TriggerApi.Free(trigger);
    }

    [Theory]
    [InlineData(-1f, 0f, 0u)]
    [InlineData(float.NaN, 0f, 0u)]
    [InlineData(0f, float.PositiveInfinity, 0u)]
    [InlineData(0f, -0.5f, 0u)]
    [InlineData(0f, 0f, 7u)]
    public void Criteria_out_of_range_are_refused(float slope, float flare, uint reserved)
    {
        var criteria = new EclTriggerCriteria { AdaptiveThresholdSlope = slope, CatalogueFlareThreshold = flare };
        criteria.Reserved[5] = reserved;
        void* trigger = &criteria;
        Assert.Equal(EclStatus.InputRange, TriggerApi.CreateWithCriteria(null, &criteria, null, 0, &trigger));
        Assert.True(trigger == null);
    }
}
