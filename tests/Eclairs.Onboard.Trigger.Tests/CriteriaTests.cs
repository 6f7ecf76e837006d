using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

/// <summary>The catalogue-flare criterion, the adaptive threshold, catalogue updates and shared plans.</summary>
public class CriteriaTests
{
    private static readonly InstrumentGeometry G = InstrumentGeometry.Nominal;
    private static readonly CodedMask Mask = CodedMask.Generate(G);
    private static readonly ShadowgramModel Model = new(G, Mask);
    private static readonly TriggerConfig Flares = TriggerConfig.Default with { CatalogueFlareThreshold = 6.5f };

    private static uint[] Counts(ulong seed, double background, double slopeY, params (double Y, double Z, double Amplitude)[] sources)
    {
        var expected = new float[6400];
        Model.AddBackground(expected, background, slopeY: slopeY);
        foreach (var (y, z, a) in sources)
        {
            Model.AddPointSourceAtSkyPixel(expected, y, z, a);
        }

        var counts = new uint[6400];
        new PoissonSampler(seed).Sample(expected, counts);
        return counts;
    }

    // The catalogue rate (counts/s through the mask on the whole detector) of a source of amplitude a per open pixel.
    private static float RateOf(float y, float z, double amplitude, double exposure)
    {
        var unit = new float[6400];
        Model.AddPointSourceAtSkyPixel(unit, y, z, 1.0);
        double open = 0;
        foreach (float f in unit)
        {
            open += f;
        }

        return (float)(amplitude * open / exposure);
    }

    [Fact]
    public void A_known_source_brighter_than_its_catalogue_rate_raises_a_catalogue_flare_alert()
    {
        const float y = 70f, z = 125f;
        const double exposure = 20;
        // The source shines at amplitude 4 per open pixel; the catalogue says 2: an excess of ~2 per open pixel.
        uint[] counts = Counts(21, 60, 0, (y, z, 4.0));
        var known = new KnownSource(y, z, RateOf(y, z, 2.0, exposure), 3f);
        var alert = new Alert();

        var trigger = new OnboardTrigger(Flares, [known]);
        trigger.Process(counts, (float)exposure, alert);

        Assert.Equal(TriggerCriterion.CatalogueFlare, alert.Criterion);
        Assert.Equal(0, alert.KnownSourceIndex);
        Assert.True(alert.Raised, $"flags {alert.Flags}, peak {alert.PeakSnr}, std {alert.ImageStd}");
        Assert.InRange(alert.SkyY, 69, 71);
        Assert.InRange(alert.SkyZ, 124, 126);

        // Independent reference: the flare SNR is the highest SNR of the sky image within the exclusion radius
        // (or at the nearest pixel), found here by a plain scan of the copied sky.
        var sky = new float[199 * 199];
        trigger.CopySky(sky);
        float best = float.NegativeInfinity;
        for (int zz = 0; zz < 199; zz++)
        {
            for (int yy = 0; yy < 199; yy++)
            {
                double dy = yy - y, dz = zz - z;
                if (dy * dy + dz * dz <= 9 && trigger.Reconstructor.Reconstructible[zz * 199 + yy])
                {
                    best = Math.Max(best, sky[zz * 199 + yy]);
                }
            }
        }

        Assert.Equal(best, alert.PeakSnr);
        Assert.Equal(6.5f, alert.EffectiveThreshold);
        Assert.Equal(alert.PeakSnr / 6.5f, alert.Quality);

        // The ICD's mask: the trigger pixel 3 at the centre, the known source's zone 2 around it.
        Assert.Equal(Alert.MaskTrigger, alert.SubimageMask[28 * 56 + 28]);
        int zone = 0;
        for (int r = 25; r <= 31; r++)
        {
            for (int c = 25; c <= 31; c++)
            {
                zone += alert.SubimageMask[r * 56 + c] == Alert.MaskKnownSource ? 1 : 0;
            }
        }

        Assert.InRange(zone, 20, 28); // a disc of radius 3 holds 29 pixels; one of them is the trigger pixel

        // With the criterion off the same counts never make an alert inside the zone.
        var plain = new OnboardTrigger(TriggerConfig.Default, [known]);
        plain.Process(counts, (float)exposure, alert);
        Assert.Equal(TriggerCriterion.NewSource, alert.Criterion);
        Assert.Equal(-1, alert.KnownSourceIndex);
        double ddy = alert.SkyY - y, ddz = alert.SkyZ - z;
        Assert.True(ddy * ddy + ddz * ddz > 9);
    }

    [Fact]
    public void A_known_source_at_its_catalogue_rate_raises_no_flare()
    {
        const float y = 70f, z = 125f;
        const double exposure = 20;
        var alert = new Alert();
        var trigger = new OnboardTrigger(Flares, [new KnownSource(y, z, RateOf(y, z, 4.0, exposure), 3f)]);
        for (ulong seed = 0; seed < 4; seed++)
        {
            trigger.Process(Counts(30 + seed, 60, 0, (y, z, 4.0)), (float)exposure, alert);
            Assert.False(alert.Raised, $"seed {seed}: {alert.Criterion} {alert.PeakSnr}");
        }
    }

    [Fact]
    public void A_stronger_new_burst_wins_over_a_weaker_flare()
    {
        const float y = 70f, z = 125f;
        const double exposure = 20;
        uint[] counts = Counts(22, 60, 0, (y, z, 3.0), (130, 80, 6.0));
        var alert = new Alert();
        var trigger = new OnboardTrigger(Flares, [new KnownSource(y, z, RateOf(y, z, 2.0, exposure), 3f)]);
        trigger.Process(counts, (float)exposure, alert);
        Assert.Equal(TriggerCriterion.NewSource, alert.Criterion);
        Assert.InRange(alert.SkyY, 129, 131);
        Assert.InRange(alert.SkyZ, 79, 81);
    }

    [Fact]
    public void The_adaptive_threshold_follows_the_image_std()
    {
        // A gradient the flat model leaves in the image raises the std above 1; a burst stands out anyway.
        uint[] counts = Counts(23, 60, 4.5, (120, 90, 2.2));
        var alert = new Alert();
        new OnboardTrigger(TriggerConfig.Default, default).Process(counts, 20f, alert);
        float std = alert.ImageStd, peak = alert.PeakSnr;
        Assert.InRange(std, 1.02f, 1.3f);
        Assert.Equal(6.5f, alert.EffectiveThreshold);

        var adaptive = TriggerConfig.Default with { AdaptiveThresholdSlope = 1f };
        new OnboardTrigger(adaptive, default).Process(counts, 20f, alert);
        float expected = 6.5f * (1f + 1f * (std - 1f));
        Assert.Equal(std, alert.ImageStd);
        Assert.Equal(peak, alert.PeakSnr);
        Assert.Equal(expected, alert.EffectiveThreshold);
        Assert.Equal(peak >= expected, !alert.Flags.HasFlag(QualityFlags.BelowThreshold));

        // A slope that puts the threshold above the peak turns the same image into "below threshold".
        float slope = (peak / 6.5f - 1f) / (std - 1f) * 1.5f;
        new OnboardTrigger(TriggerConfig.Default with { AdaptiveThresholdSlope = slope }, default).Process(counts, 20f, alert);
        Assert.True(alert.Flags.HasFlag(QualityFlags.BelowThreshold));
        Assert.True(alert.Quality < 1f);

        // Below std 1 the threshold stays where it is.
        Assert.Equal(1f, adaptive.ThresholdFactor(0.95f));
    }

    [Fact]
    public void A_catalogue_update_gives_the_trigger_built_with_that_catalogue()
    {
        var config = Flares with { BackgroundModel = BackgroundModel.Quadratic };
        KnownSource[] first = [new(40, 50, 10, 4)];
        KnownSource[] second = [new(150, 160, 2, 3), new(70, 125, 30, 3), new(99.4f, 101.7f, 5, 2)];
        uint[] counts = Counts(24, 50, 0, (70, 125, 3.0), (100, 100, 1.0));
        var updated = new OnboardTrigger(config, first);
        updated.UpdateCatalogue(second);
        var built = new OnboardTrigger(config, second);
        var shared = new OnboardTrigger(config, second, built.Plan);
        var a = new Alert();
        var b = new Alert();
        var c = new Alert();
        updated.Process(counts, 20f, a);
        built.Process(counts, 20f, b);
        shared.Process(counts, 20f, c);
        foreach (Alert x in new[] { a, c })
        {
            Assert.Equal(b.Flags, x.Flags);
            Assert.Equal(b.Criterion, x.Criterion);
            Assert.Equal(b.KnownSourceIndex, x.KnownSourceIndex);
            Assert.Equal(b.PeakSnr, x.PeakSnr);
            Assert.Equal(b.ImageStd, x.ImageStd);
            Assert.Equal(b.SubimageSnr, x.SubimageSnr);
            Assert.Equal(b.SubimageMask, x.SubimageMask);
        }

        Assert.Equal(built.LastImages.Snr, updated.LastImages.Snr);
        Assert.Equal(built.LastImages.Snr, shared.LastImages.Snr);
        Assert.Equal(3, updated.Catalogue.Length);

        // The models of a trigger with the same positions (another band: other rates and radii) serve as they are.
        KnownSource[] otherBand = [new(150, 160, 1, 2), new(70, 125, 12, 4), new(99.4f, 101.7f, 9, 2)];
        var sibling = new OnboardTrigger(config, first);
        sibling.UpdateCatalogue(otherBand, built);
        new OnboardTrigger(config, otherBand).Process(counts, 20f, b);
        sibling.Process(counts, 20f, a);
        Assert.Equal(b.SubimageSnr, a.SubimageSnr);
        Assert.Equal(b.PeakSnr, a.PeakSnr);

        // And back to an empty catalogue.
        updated.UpdateCatalogue(default);
        new OnboardTrigger(config, default).Process(counts, 20f, b);
        updated.Process(counts, 20f, a);
        Assert.Equal(b.SubimageSnr, a.SubimageSnr);
        Assert.Throws<TriggerArgumentException>(() => updated.UpdateCatalogue([new KnownSource(float.NaN, 0, 1, 1)]));
    }

    [Fact]
    public void Processing_with_every_criterion_on_allocates_nothing()
    {
        var config = Flares with { BackgroundModel = BackgroundModel.Quadratic, AdaptiveThresholdSlope = 1f };
        var trigger = new OnboardTrigger(config, [new KnownSource(40, 50, 10, 4), new KnownSource(150, 160, 2, 3)]);
        uint[] counts = Counts(25, 50, 0, (40, 50, 2.0));
        var alert = new Alert();
        for (int i = 0; i < 20; i++)
        {
            trigger.Process(counts, 20f, alert);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            trigger.Process(counts, 20f, alert);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(-0.1f, 0f)]
    [InlineData(float.NaN, 0f)]
    [InlineData(101f, 0f)]
    [InlineData(0f, -1f)]
    [InlineData(0f, float.PositiveInfinity)]
    public void New_config_fields_are_checked(float slope, float flare)
    {
        var config = TriggerConfig.Default with { AdaptiveThresholdSlope = slope, CatalogueFlareThreshold = flare };
        var e = Assert.Throws<TriggerArgumentException>(() => new OnboardTrigger(config, default));
        Assert.Equal(TriggerErrorCode.InputRange, e.Code);
    }
}
