using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

public class TriggerTests
{
    private static readonly InstrumentGeometry G = InstrumentGeometry.Nominal;
    private static readonly CodedMask Mask = CodedMask.Generate(G);
    private static readonly ShadowgramModel Model = new(G, Mask);

    private static uint[] Counts(ulong seed, double background, params (double Y, double Z, double Amplitude)[] sources)
    {
        var expected = new float[6400];
        Model.AddBackground(expected, background);
        foreach (var (y, z, a) in sources)
        {
            Model.AddPointSourceAtSkyPixel(expected, y, z, a);
        }

        var counts = new uint[6400];
        new PoissonSampler(seed).Sample(expected, counts);
        return counts;
    }

    [Fact]
    public void A_burst_in_background_raises_an_alert_at_its_position()
    {
        var trigger = new OnboardTrigger(null, default);
        var alert = new Alert();
        trigger.Process(Counts(1, 60, (131.3, 70.6, 3.0)), 20f, alert);

        Assert.True(alert.Raised, $"flags {alert.Flags}, peak {alert.PeakSnr}, std {alert.ImageStd}, second {alert.SecondPeakSnr}");
        Assert.Equal(QualityFlags.None, alert.Flags);
        Assert.InRange(alert.SkyY, 130, 132);
        Assert.InRange(alert.SkyZ, 70, 72);
        Assert.InRange(alert.ImageStd, 0.9f, 1.1f);
        var (off, az) = G.Direction(alert.SkyY, alert.SkyZ);
        Assert.Equal((float)off, alert.OffAxisDeg);
        Assert.Equal((float)az, alert.AzimuthDeg);
        Assert.InRange(alert.AzimuthDeg, 270f, 360f); // +Y, -Z quadrant
        var sky = new float[trigger.SkySide * trigger.SkySide];
        trigger.CopySky(sky);
        Assert.Equal(sky[alert.SkyZ * 199 + alert.SkyY], alert.PeakSnr);
        Assert.Equal(alert.PeakSnr, alert.SubimageSnr[28 * 56 + 28]);
        Assert.Equal(Alert.MaskTrigger, alert.SubimageMask[28 * 56 + 28]);
    }

    [Fact]
    public void Pure_background_raises_nothing()
    {
        var trigger = new OnboardTrigger(null, default);
        var alert = new Alert();
        for (ulong seed = 0; seed < 5; seed++)
        {
            trigger.Process(Counts(100 + seed, 80, []), 20f, alert);
            Assert.False(alert.Raised);
            Assert.True(alert.Flags.HasFlag(QualityFlags.BelowThreshold));
            Assert.False(alert.Flags.HasFlag(QualityFlags.ImageStdOutOfRange));
            Assert.InRange(alert.PeakSnr, 3f, 6.5f); // the maximum of ~40,000 correlated unit normals
        }
    }

    [Fact]
    public void Two_equal_bursts_fail_the_peak_ratio()
    {
        var trigger = new OnboardTrigger(null, default);
        var alert = new Alert();
        trigger.Process(Counts(3, 60, (80, 80, 1.5), (120, 115, 1.5)), 20f, alert);
        Assert.True(alert.PeakSnr > 6.5f);
        Assert.True(alert.SecondPeakSnr > alert.PeakSnr / 1.2f);
        Assert.Equal(QualityFlags.PeakRatioTooLow, alert.Flags);
        Assert.False(alert.Raised);
    }

    [Fact]
    public void A_source_outside_the_field_of_view_is_flagged()
    {
        // s = 93 along Y: 7 of 80 columns see it, coding 0.09 < 0.1.
        var trigger = new OnboardTrigger(null, default);
        var alert = new Alert();
        trigger.Process(Counts(4, 30, (99 + 93, 99, 40)), 20f, alert);
        Assert.InRange(alert.SkyY, 191, 193);
        Assert.True(alert.PeakSnr > 6.5f);
        Assert.True(alert.Flags.HasFlag(QualityFlags.PeakOutsideFieldOfView), alert.Flags.ToString());
        Assert.False(alert.Raised);
    }

    [Fact]
    public void Known_source_is_subtracted_and_masked()
    {
        var known = new KnownSource(60.0f, 120.0f, 0, 5f);
        // A bright catalogue source: total detector rate from its amplitude (per open pixel) and open fractions.
        var unit = new float[6400];
        Model.AddPointSourceAtSkyPixel(unit, known.Y, known.Z, 1.0);
        double openSum = 0;
        foreach (float f in unit)
        {
            openSum += f;
        }

        const double amplitude = 12, exposure = 20;
        float rate = (float)(amplitude * openSum / exposure);
        var counts = Counts(5, 60, (known.Y, known.Z, amplitude));
        var alert = new Alert();

        var masked = new OnboardTrigger(null, [known]);
        masked.Process(counts, (float)exposure, alert);
        float stdMaskedOnly = alert.ImageStd;

        var subtracted = new OnboardTrigger(null, [known with { CountsPerSecond = rate }]);
        subtracted.Process(counts, (float)exposure, alert);
        Assert.InRange(alert.ImageStd, 0.9f, 1.1f);
        Assert.True(stdMaskedOnly > alert.ImageStd + 0.1f, $"coding noise of the unsubtracted source: {stdMaskedOnly} vs {alert.ImageStd}");
        Assert.False(alert.Raised);
        // The intensity at the known source's position is back to zero within the noise.
        var images = subtracted.LastImages;
        int p = 120 * 199 + 60;
        Assert.InRange(images.Intensity[p] / Math.Sqrt(images.Variance[p]), -4, 4);

        // Its exclusion zone is mask 2 in a sub-image cut near it.
        subtracted.CutSubimage(62, 118, alert);
        Assert.Equal(Alert.MaskKnownSource, alert.SubimageMask[(28 + 2) * 56 + 28 - 2]);
        Assert.Equal(Alert.MaskBackground, alert.SubimageMask[(28 + 2 + 6) * 56 + 28 - 2]);
    }

    [Fact]
    public void Quadratic_background_fit_removes_a_curved_background()
    {
        var expected = new float[6400];
        Model.AddBackground(expected, 60, slopeY: 25, slopeZ: -15, curvatureY: 30, curvatureZ: 20);
        var counts = new uint[6400];
        new PoissonSampler(8).Sample(expected, counts);
        var alert = new Alert();

        new OnboardTrigger(null, default).Process(counts, 20f, alert);
        float flatStd = alert.ImageStd;
        new OnboardTrigger(TriggerConfig.Default with { BackgroundModel = BackgroundModel.Quadratic }, default).Process(counts, 20f, alert);
        Assert.InRange(alert.ImageStd, 0.9f, 1.1f);
        Assert.True(flatStd > 1.3f, $"flat model std {flatStd}");
    }

    [Fact]
    public void Quadratic_fit_recovers_exact_coefficients()
    {
        var fit = new QuadraticBackgroundFit(G, new SkyReconstructor(G, Mask).ActivePixels);
        var img = new float[6400];
        for (int r = 0; r < 80; r++)
        {
            for (int c = 0; c < 80; c++)
            {
                double x = (c - 39.5) / 40, y = (r - 39.5) / 40;
                img[r * 80 + c] = (float)(3 * x * x - 2 * y * y + 5 * x + 7 * y + 11);
            }
        }

        var coef = new double[5];
        fit.Fit(img, coef);
        double[] truth = { 3, -2, 5, 7, 11 };
        for (int j = 0; j < 5; j++)
        {
            Assert.Equal(truth[j], coef[j], 4);
        }
    }

    [Theory]
    [InlineData(99, 99)]
    [InlineData(0, 99)]
    [InlineData(198, 99)]
    [InlineData(99, 0)]
    [InlineData(99, 198)]
    [InlineData(0, 0)]
    [InlineData(198, 198)]
    [InlineData(198, 0)]
    [InlineData(12, 185)]
    public void Subimage_and_mask_are_cut_around_any_pixel(int py, int pz)
    {
        var known = new KnownSource(py + 3.5f, pz - 2f, 0f, 4f);
        var trigger = new OnboardTrigger(null, [known]);
        var alert = new Alert();
        trigger.Process(Counts(9, 50, (120, 90, 0.5)), 20f, alert);
        trigger.CutSubimage(py, pz, alert);
        var sky = new float[199 * 199];
        trigger.CopySky(sky);
        var pc = trigger.LastImages.PartialCoding;
        var ok = trigger.Reconstructor.Reconstructible;
        int padded = 0;
        for (int r = 0; r < 56; r++)
        {
            for (int c = 0; c < 56; c++)
            {
                int y = py - 28 + c, z = pz - 28 + r, o = r * 56 + c;
                byte expectedMask;
                float expectedSnr;
                if (r == 28 && c == 28)
                {
                    expectedMask = 3;
                    expectedSnr = sky[pz * 199 + py];
                }
                else if (y < 0 || y > 198 || z < 0 || z > 198)
                {
                    expectedMask = 0;
                    expectedSnr = 0;
                    padded++;
                }
                else if (!ok[z * 199 + y] || pc[z * 199 + y] < 0.1f)
                {
                    expectedMask = 0;
                    expectedSnr = 0;
                }
                else
                {
                    double dy = y - known.Y, dz = z - known.Z;
                    expectedMask = dy * dy + dz * dz <= 16 ? (byte)2 : (byte)1;
                    expectedSnr = sky[z * 199 + y];
                }

                Assert.True(expectedMask == alert.SubimageMask[o], $"mask at ({r}, {c}): {alert.SubimageMask[o]} vs {expectedMask}");
                Assert.Equal(expectedSnr, alert.SubimageSnr[o]);
            }
        }

        int outside = Math.Max(0, 28 - py) + Math.Max(0, py + 27 - 198);
        int outsideRows = Math.Max(0, 28 - pz) + Math.Max(0, pz + 27 - 198);
        Assert.Equal(56 * 56 - (56 - outside) * (56 - outsideRows), padded);
    }

    [Fact]
    public void Processing_is_deterministic()
    {
        var counts = Counts(10, 50, (100, 140, 1.0));
        var a = new Alert();
        var b = new Alert();
        var t1 = new OnboardTrigger(null, [new KnownSource(40, 40, 3, 3)]);
        var t2 = new OnboardTrigger(null, [new KnownSource(40, 40, 3, 3)]);
        t1.Process(counts, 20f, a);
        t2.Process(counts, 20f, b);
        t2.Process(counts, 20f, b);
        Assert.Equal(a.PeakSnr, b.PeakSnr);
        Assert.Equal(a.ImageStd, b.ImageStd);
        Assert.Equal(a.SubimageSnr, b.SubimageSnr);
        Assert.Equal(a.SubimageMask, b.SubimageMask);
    }

    [Fact]
    public void Process_allocates_nothing_after_construction()
    {
        var config = TriggerConfig.Default with { BackgroundModel = BackgroundModel.Quadratic };
        var trigger = new OnboardTrigger(config, [new KnownSource(40, 50, 10, 4), new KnownSource(150, 160, 2, 3)]);
        var counts = Counts(11, 50, (100, 100, 1.0));
        var alert = new Alert();
        var sky = new float[199 * 199];
        for (int i = 0; i < 20; i++)
        {
            trigger.Process(counts, 20f, alert);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            trigger.Process(counts, 20f, alert);
            trigger.CopySky(sky);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }
}
