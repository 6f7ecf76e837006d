using Eclairs.Simulation;
using Eclairs.Simulation.Scenarios;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>
/// Observations with missing modules take their reconstruction plan from the simulator's cache: checked against the
/// plain path, a fresh simulator that builds the plan for that observation alone.
/// </summary>
public sealed class LivePlanCacheTests
{
    [Fact]
    public void An_observation_on_a_cached_live_plan_is_the_fresh_simulators_bit_for_bit()
    {
        Scenario scenario = ScenarioCatalogue.For(AlertCause.BurstIncompleteImage);
        var cached = new AlertSimulator();
        // Two missing-module sets, each met several times (other catalogues, exposures and background models in between),
        // and more sets than the cache holds, so a set is also met again after the cache started afresh.
        int[][] sets = [[5], [5, 40], [5], [17], [5, 40], [17], [5]];
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < sets.Length; i++)
            {
                ulong seed = (ulong)(100 * round + i + 1);
                SimulatedAlert fromCache = cached.Run(ObservationWith(cached, sets[i], seed), scenario, seed);
                var fresh = new AlertSimulator();
                SimulatedAlert plain = fresh.Run(ObservationWith(fresh, sets[i], seed), scenario, seed);
                Assert.Equal(plain.Raised, fromCache.Raised);
                Assert.Equal(plain.QualityFlags, fromCache.QualityFlags);
                Assert.Equal(plain.PeakSnr, fromCache.PeakSnr);
                Assert.Equal(plain.ImageStd, fromCache.ImageStd);
                Assert.Equal(plain.Snr, fromCache.Snr);
                Assert.Equal(plain.Mask, fromCache.Mask);
                Assert.Equal(plain.Cause, fromCache.Cause);
            }

            for (int module = 0; module < AlertSimulator.MaxCachedLivePlans + 1; module++)
            {
                cached.Run(ObservationWith(cached, [module], 7), scenario, 7);
            }
        }
    }

    // A burst beside a catalogued source on a detector with the given modules missing; the exposure decides the background
    // model (quadratic from 20.48 s), so both models' triggers meet the same plan.
    private static Observation ObservationWith(AlertSimulator simulator, int[] missing, ulong seed)
    {
        var rng = new SimulationRandom(seed);
        double exposure = seed % 2 == 0 ? 10.24 : 40.96;
        var observation = new Observation(exposure, BackgroundField.Nominal, simulator.Context.NewDetector())
        {
            QuadraticBackgroundFit = exposure >= 20.48,
        };
        foreach (int module in missing)
        {
            observation.Detector.MissingModules.Add(module);
        }

        observation.Sources.Add(new SkySource(rng.Uniform(70, 130), rng.Uniform(70, 130), 40, IsNew: true));
        double ky = rng.Uniform(40, 160), kz = rng.Uniform(40, 160);
        observation.Sources.Add(new SkySource(ky, kz, 30, IsNew: false));
        observation.Catalogue.Add(new CatalogueEntry(ky, kz, 30 * rng.Uniform(0.98, 1.02), 3));
        return observation;
    }
}
