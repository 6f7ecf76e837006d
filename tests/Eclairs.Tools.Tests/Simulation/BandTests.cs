using System;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation;
using Eclairs.Simulation.Scenarios;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>Energy bands and the detector effects below 8 keV, against integrals and counts worked out independently.</summary>
public class BandTests
{
    private static readonly InstrumentGeometry G = InstrumentGeometry.Nominal;

    // Trapezoid integral of f over [a, b] with many steps: the independent reference for the analytic fractions.
    private static double Integral(Func<double, double> f, double a, double b)
    {
        const int n = 200_000;
        double h = (b - a) / n, s = (f(a) + f(b)) / 2;
        for (int i = 1; i < n; i++)
        {
            s += f(a + i * h);
        }

        return s * h;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.4)]
    [InlineData(2.5)]
    public void Power_law_fractions_match_a_numeric_integral(double index)
    {
        double total = Integral(e => Math.Pow(e, -index), 4, 120);
        double sum = 0;
        for (int j = 0; j < BandSpectra.SubBands; j++)
        {
            double reference = Integral(e => Math.Pow(e, -index), BandSpectra.Edges[j], BandSpectra.Edges[j + 1]) / total;
            Assert.Equal(reference, BandSpectra.PowerLaw(index, j), 6);
            sum += BandSpectra.PowerLaw(index, j);
        }

        Assert.Equal(1.0, sum, 12);
        Assert.Equal(BandSpectra.PowerLaw(index, 1) + BandSpectra.PowerLaw(index, 2), BandSpectra.PowerLaw(index, EnergyBand.Soft), 12);
        Assert.Equal(BandSpectra.PowerLaw(index, 2) + BandSpectra.PowerLaw(index, 3), BandSpectra.PowerLaw(index, EnergyBand.Hard), 12);
        Assert.Equal((5.0, 20.0), BandSpectra.EdgesOf(EnergyBand.Soft));
        Assert.Equal((8.0, 120.0), BandSpectra.EdgesOf(EnergyBand.Hard));
    }

    [Fact]
    public void The_background_spectrum_is_the_cxb_law()
    {
        static double Cxb(double e) => Math.Pow(e, -1.29) * Math.Exp(-e / 41.13);
        double total = Integral(Cxb, 4, 120);
        for (int j = 0; j < BandSpectra.SubBands; j++)
        {
            Assert.Equal(Integral(Cxb, BandSpectra.Edges[j], BandSpectra.Edges[j + 1]) / total, BandSpectra.BackgroundFraction(j), 6);
        }

        // The soft band holds ~63 % of the background counts, the hard ~59 % (they share 8-20 keV).
        Assert.InRange(BandSpectra.BackgroundFraction(EnergyBand.Soft), 0.62, 0.64);
        Assert.InRange(BandSpectra.BackgroundFraction(EnergyBand.Hard), 0.58, 0.60);
    }

    [Fact]
    public void Sub_band_counts_add_up_to_the_full_band_model()
    {
        var builder = new ObservationBuilder(G, CodedMask.Generate(G));
        var observation = new Observation(20.48, new BackgroundField(0.6, GradientY: 0.1), new DetectorState(80, 8, 4));
        observation.Sources.Add(new SkySource(120.4, 80.2, 400, IsNew: true) { PhotonIndex = 1.7 });
        float[][] sub = [new float[6400], new float[6400], new float[6400], new float[6400]];
        builder.ExpectedSubBands(observation, 0, sub);
        var full = new float[6400];
        builder.ExpectedCounts(observation, full);
        for (int i = 0; i < 6400; i++)
        {
            double sum = sub[0][i] + sub[1][i] + sub[2][i] + sub[3][i];
            Assert.Equal(full[i], sum, Math.Max(1e-4, full[i] * 1e-5));
        }
    }

    [Fact]
    public void Low_energy_effects_reach_only_the_sub_bands_below_8_keV()
    {
        var builder = new ObservationBuilder(G, CodedMask.Generate(G));
        Observation Make(bool effects)
        {
            var detector = new DetectorState(80, 8, 4);
            if (effects)
            {
                detector.LowEnergyEfficiency[5 * 80 + 7] = 0.1f;      // a high-threshold pixel
                detector.LowEnergyNoisePerS[40 * 80 + 0] = 2f;         // heat-pipe noise at the edge
            }

            var o = new Observation(40.96, new BackgroundField(0.6), detector);
            o.Sources.Add(new SkySource(90, 100, 300, IsNew: true) { PhotonIndex = 1.2 });
            return o;
        }

        float[][] clean = [new float[6400], new float[6400], new float[6400]];
        float[][] noisy = [new float[6400], new float[6400], new float[6400]];
        builder.ExpectedSubBands(Make(false), 1, clean);
        builder.ExpectedSubBands(Make(true), 1, noisy);
        Assert.Equal(clean[1], noisy[1]); // 8-20 keV untouched
        Assert.Equal(clean[2], noisy[2]); // 20-120 keV untouched
        // 5-8 keV: the high-threshold pixel keeps 10 % of its counts; the noisy pixel gains 40 % of 2 counts/s over 40.96 s.
        Assert.Equal(clean[0][5 * 80 + 7] * 0.1f, noisy[0][5 * 80 + 7], 3);
        Assert.Equal(clean[0][40 * 80] + 2 * 0.4 * 40.96, noisy[0][40 * 80], 3);
        Assert.Equal(clean[0][41 * 80], noisy[0][41 * 80]);
    }

    [Theory]
    [InlineData(AlertCause.HeatPipeNoise)]
    [InlineData(AlertCause.LowEfficiencyPixels)]
    [InlineData(AlertCause.HighThresholdPixels)]
    public void The_new_detector_effects_are_below_8_keV_only(AlertCause cause)
    {
        var context = new AlertSimulator().Context;
        for (ulong seed = 0; seed < 20; seed++)
        {
            Observation o = ScenarioCatalogue.For(cause).Build(new SimulationRandom(seed), context);
            Assert.True(o.Detector.HasLowEnergyEffects);
            Assert.All(o.Detector.Efficiency, e => Assert.Equal(1f, e));
            Assert.All(o.Detector.ExtraCountsPerS, e => Assert.Equal(0f, e));
            Assert.NotNull(o.Assisted);
        }
    }

    [Fact]
    public void A_flare_scenario_draws_the_excess_it_asks_for()
    {
        var context = new AlertSimulator().Context;
        for (ulong seed = 0; seed < 20; seed++)
        {
            Observation o = ScenarioCatalogue.For(AlertCause.CatalogueFlare).Build(new SimulationRandom(seed), context);
            CatalogueEntry entry = o.Catalogue[0];
            SkySource source = o.KnownSourceFor(0);
            double coding = context.Sky.PartialCoding(entry.Y, entry.Z);
            double sigma = context.ExcessSnr(source.RateCountsPerS - entry.RateCountsPerS, source.RateCountsPerS, o.ExposureS, o.Background.PerPixel, coding);
            Assert.InRange(sigma, 8 - 1e-6, 40 + 1e-6);
            Assert.True(source.RateCountsPerS > entry.RateCountsPerS);
        }
    }
}
