using System;
using System.Linq;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>The simulator's physics against independent references: the trigger's forward model, hand-computed SNR, geometry.</summary>
public sealed class PhysicsTests
{
    [Fact]
    public void Extended_projector_matches_the_point_source_model_on_sky_pixel_centres()
    {
        InstrumentGeometry g = InstrumentGeometry.Nominal;
        CodedMask mask = CodedMask.Generate(g);
        var projector = new ExtendedSkyProjector(g, mask);
        var model = new ShadowgramModel(g, mask);
        foreach ((int y, int z) in new[] { (99, 99), (20, 150), (190, 5), (120, 60), (0, 198) })
        {
            var sky = new float[g.SkyPixels];
            sky[z * g.SkySide + y] = 3.5f;
            var extended = new float[g.DetectorPixels];
            projector.Add(extended, sky);
            var point = new float[g.DetectorPixels];
            model.AddPointSourceAtSkyPixel(point, y, z, 3.5);
            for (int i = 0; i < point.Length; i++)
            {
                Assert.True(Math.Abs(point[i] - extended[i]) < 1e-4, $"pixel {i} for sky ({y}, {z}): {point[i]} vs {extended[i]}");
            }
        }
    }

    [Fact]
    public void Extended_projector_blocked_path_is_bit_for_bit_the_plain_path()
    {
        // Random sparse and dense maps, negative deficits, sky pixels at every edge (partial mask rows and columns),
        // added on top of non-negative expected counts as the simulator does.
        InstrumentGeometry g = InstrumentGeometry.Nominal;
        CodedMask mask = CodedMask.Generate(g);
        var projector = new ExtendedSkyProjector(g, mask);
        var rng = new Random(19);
        foreach (double density in new[] { 0.0005, 0.02, 0.3, 1.0 })
        {
            var sky = new float[g.SkyPixels];
            for (int p = 0; p < sky.Length; p++)
            {
                sky[p] = rng.NextDouble() < density ? (float)(rng.NextDouble() * 4 - 3) : 0f;
            }

            foreach (int edge in new[] { 0, g.SkySide - 1, g.SkySide * (g.SkySide - 1), g.SkyPixels - 1, 78 * g.SkySide + 120 })
            {
                sky[edge] = -1.25f;
            }

            var fast = new float[g.DetectorPixels];
            for (int i = 0; i < fast.Length; i++)
            {
                fast[i] = (float)(rng.NextDouble() * 50);
            }

            var plain = (float[])fast.Clone();
            projector.Add(fast, sky);
            projector.AddReference(plain, sky);
            for (int i = 0; i < fast.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(fast[i]) == BitConverter.SingleToInt32Bits(plain[i]), $"density {density}, pixel {i}: {fast[i]} vs {plain[i]}");
            }
        }
    }

    [Fact]
    public void Burst_rate_for_a_target_snr_gives_that_snr_through_the_trigger()
    {
        // On axis, fully coded, 20.48 s of nominal background: SNR = N sqrt((1-f)/f) / sqrt(N + B).
        var simulator = new AlertSimulator();
        double rate = simulator.Context.RateForSnr(20, 20.48, BackgroundField.NominalPerPixel, 1.0);
        double n = rate * 20.48, b = BackgroundField.NominalPerPixel * 20.48 * 6400;
        Assert.Equal(20, n * Math.Sqrt(0.6 / 0.4) / Math.Sqrt(n + b), 6);

        double[] peaks = Enumerable.Range(0, 8).Select(seed =>
        {
            var observation = new Observation(20.48, BackgroundField.Nominal, simulator.Context.NewDetector());
            observation.Sources.Add(new SkySource(99, 99, rate, IsNew: true));
            return (double)simulator.Run(observation, ScenarioCatalogue.For(AlertCause.Burst), (ulong)seed).PeakSnr;
        }).ToArray();

        // The analytic figure ignores the rebinned mask's fractional cells; within 15 % on average.
        Assert.InRange(peaks.Average(), 17, 23);
    }

    [Fact]
    public void Tail_fluctuation_lifts_the_chosen_sky_pixel_by_about_the_requested_sigma()
    {
        var simulator = new AlertSimulator();
        double[] peaks = Enumerable.Range(0, 6).Select(seed =>
        {
            var observation = new Observation(40.96, BackgroundField.Nominal, simulator.Context.NewDetector())
            {
                Fluctuation = new TailFluctuation(80, 120, 9.0),
            };
            SimulatedAlert a = simulator.Run(observation, ScenarioCatalogue.For(AlertCause.StatisticalFluctuation), (ulong)seed);
            Assert.InRange(Math.Abs(a.SkyY - 80) + Math.Abs(a.SkyZ - 120), 0, 2);
            return (double)a.PeakSnr;
        }).ToArray();
        Assert.InRange(peaks.Average(), 7.5, 10.5);
    }

    [Fact]
    public void Earth_placed_around_a_direction_has_its_limb_at_the_requested_angle()
    {
        EarthInView earth = new AlertSimulator().Context.Sky is var sky ? ScenarioEarth(sky) : throw new InvalidOperationException();
        double angle = earth.AngleFromCentreDeg(sky.TanY(130), sky.TanZ(70));
        Assert.Equal(64.0, angle, 6);
        Assert.True(earth.Occults(sky.TanY(130), sky.TanZ(70)));
    }

    private static EarthInView ScenarioEarth(SkyField sky)
    {
        // Through the public path: a BurstSettingBehindEarth-like placement via the scenario kit is internal,
        // so rebuild the same geometry by hand: centre 64° from the direction, on the outward side.
        double ty = sky.TanY(130), tz = sky.TanZ(70);
        double norm = Math.Sqrt(ty * ty + tz * tz + 1);
        double[] d = [ty / norm, tz / norm, 1 / norm];
        double[] a = [Math.Cos(0.3), Math.Sin(0.3), 0];
        double along = a[0] * d[0] + a[1] * d[1];
        double[] u = [a[0] - along * d[0], a[1] - along * d[1], -along * d[2]];
        double un = Math.Sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        double alpha = 64.0 * Math.PI / 180;
        double ex = d[0] * Math.Cos(alpha) + u[0] / un * Math.Sin(alpha);
        double ey = d[1] * Math.Cos(alpha) + u[1] / un * Math.Sin(alpha);
        double ez = d[2] * Math.Cos(alpha) + u[2] / un * Math.Sin(alpha);
        return new EarthInView(Math.Acos(ez) * 180 / Math.PI, Math.Atan2(ey, ex) * 180 / Math.PI, 65.6, 4, 1, 1);
    }

    [Fact]
    public void Derived_seeds_differ_per_index_and_stream_and_repeat_exactly()
    {
        var seen = new System.Collections.Generic.HashSet<ulong>();
        for (ulong i = 0; i < 1000; i++)
        {
            Assert.True(seen.Add(SimulationRandom.DeriveSeed(5, i)));
            Assert.True(seen.Add(SimulationRandom.DeriveSeed(5, i, stream: 1)));
        }

        Assert.Equal(SimulationRandom.DeriveSeed(5, 17, 3), SimulationRandom.DeriveSeed(5, 17, 3));
    }

    [Fact]
    public void Labeller_follows_the_truth()
    {
        var burst = new SkySource(100, 100, 50, IsNew: true);
        var set = burst with { VisibleFraction = 0 };
        var known = new CatalogueEntry(110, 100, 10, 3);
        var other = new CatalogueEntry(90, 110, 10, 3);
        AlertTruth Truth(SkySource[] news, CatalogueEntry[] cat, bool perturbed = false) =>
            new(AlertCause.Burst, 1, 20, news, cat, perturbed);

        Assert.Equal(AlertLabel.TrueAlert, AlertLabeler.Label(Truth([burst], []), 101, 101));
        Assert.Equal(AlertLabel.FalseAlert, AlertLabeler.Label(Truth([burst], []), 102, 102));
        Assert.Equal(AlertLabel.FalseAlert, AlertLabeler.Label(Truth([set], []), 100, 100));
        Assert.Equal(AlertLabel.TrueAlert, AlertLabeler.Label(Truth([burst], [known]), 100, 100));
        Assert.Equal(AlertLabel.Unclear, AlertLabeler.Label(Truth([burst], [known, other]), 100, 100));
        Assert.Equal(AlertLabel.FalseAlert, AlertLabeler.Label(Truth([], [known, other]), 100, 150));
        Assert.Equal(AlertLabel.Unclear, AlertLabeler.Label(Truth([], [], perturbed: true), 40, 40));
    }

    [Fact]
    public void Unknown_presets_and_causes_are_refused_with_their_names()
    {
        ArgumentException preset = Assert.Throws<ArgumentException>(() => DatasetPreset.Parse("huge"));
        Assert.Contains("seed-simplified", preset.Message, StringComparison.Ordinal);
        ArgumentException cause = Assert.Throws<ArgumentException>(() => ScenarioCatalogue.Parse("cosmic-ray"));
        Assert.Contains("BadSubtraction", cause.Message, StringComparison.Ordinal);
        Assert.Equal(AlertCause.BadSubtraction, ScenarioCatalogue.Parse("bad-subtraction"));
        Assert.Equal(AlertCause.ColumnEffect, ScenarioCatalogue.Parse("14"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Observation(0, BackgroundField.Nominal, new DetectorState(80, 8, 4)));
    }
}
