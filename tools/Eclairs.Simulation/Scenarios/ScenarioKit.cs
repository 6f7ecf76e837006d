using System.Collections.Generic;
using System;

namespace Eclairs.Simulation.Scenarios;

/// <summary>Draws shared by several scenarios: timescales, backgrounds, catalogued field sources.</summary>
internal static class ScenarioKit
{
    /// <summary>Count-rate trigger imaging timescales (s).</summary>
    public static readonly double[] CountRateTimescales = [1.28, 2.56, 5.12, 10.24, 20.48];

    /// <summary>Image trigger timescales (s): 20.48 s doubling to ~20 min.</summary>
    public static readonly double[] ImageTimescales = [20.48, 40.96, 81.92, 163.84, 327.68, 655.36, 1310.72];

    /// <summary>Exclusion radius of catalogued sources in sky pixels (a PSF main lobe).</summary>
    public const double KnownSourceExclusion = 3.0;

    /// <summary>Catalogued rates of well-modelled sources are right to this relative precision.</summary>
    public const double GoodSubtractionSigma = 0.02;

    /// <summary>Systematics get at most a 4.5σ noise excursion at their strongest lobe (see <see cref="AssistedFluctuation"/>).</summary>
    public static readonly AssistedFluctuation Assist = new(MaxSigma: 4.5);

    public static double Pick(SimulationRandom rng, IReadOnlyList<double> values) => values[rng.NextInt(0, values.Count)];

    /// <summary>Any timescale, short ones (count-rate trigger) as often as long ones.</summary>
    public static double AnyTimescale(SimulationRandom rng) =>
        rng.Chance(0.5) ? Pick(rng, CountRateTimescales) : Pick(rng, ImageTimescales);

    /// <summary>Nominal background with the ±20 % orbit-to-orbit variation of its level (a flat
    /// level change is removed by the trigger's balanced correlation; the draw only changes the noise).</summary>
    public static BackgroundField QuietBackground(SimulationRandom rng, ScenarioContext context) =>
        new(context.BackgroundPerPixel * rng.Uniform(0.8, 1.2),
            GradientY: rng.Normal(0, 0.01), GradientZ: rng.Normal(0, 0.01));

    public static Observation NewObservation(SimulationRandom rng, ScenarioContext context, double exposureS, BackgroundField? background = null)
    {
        var observation = new Observation(exposureS, background ?? QuietBackground(rng, context), context.NewDetector())
        {
            QuadraticBackgroundFit = exposureS >= 20.48,
        };
        return observation;
    }

    /// <summary>
    /// Adds a catalogued source, with its true rate in the sky and the catalogue's estimate
    /// (relative error <paramref name="rateError"/>: 0 is a perfect subtraction).
    /// </summary>
    public static void AddKnownSource(Observation observation, double y, double z, double trueRate, double rateError,
        double positionErrorY = 0, double positionErrorZ = 0, double exclusion = KnownSourceExclusion)
    {
        observation.Sources.Add(new SkySource(y, z, trueRate, IsNew: false));
        observation.Catalogue.Add(new CatalogueEntry(y + positionErrorY, z + positionErrorZ, trueRate * (1 + rateError), exclusion));
    }

    /// <summary>
    /// Adds 0..<paramref name="maxCount"/> well-subtracted catalogued sources (expected SNR 8–60
    /// before subtraction) at least <paramref name="minDistance"/> pixels from (y, z).
    /// </summary>
    public static void AddFieldSources(Observation observation, SimulationRandom rng, ScenarioContext context, int maxCount,
        double y, double z, double minDistance)
    {
        int count = rng.NextInt(0, maxCount + 1);
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                (double ky, double kz) = context.Sky.RandomPosition(rng, 0.2);
                if (Math.Sqrt((ky - y) * (ky - y) + (kz - z) * (kz - z)) < minDistance)
                {
                    continue;
                }

                double coding = context.Sky.PartialCoding(ky, kz);
                double rate = context.RateForSnr(rng.LogUniform(8, 60), observation.ExposureS, observation.Background.PerPixel, coding);
                AddKnownSource(observation, ky, kz, rate, rng.Normal(0, GoodSubtractionSigma));
                break;
            }
        }
    }

    /// <summary>
    /// A detector pixel whose distance to the nearest vertical and horizontal edges lies in
    /// [<paramref name="minDepth"/>, <paramref name="maxDepth"/>] along both axes (near a corner of the
    /// plane) with probability <paramref name="cornerChance"/>, else anywhere. The sky seen through a
    /// small corner of the detector is the edge of the partially coded field, where a defect in that
    /// corner weighs most; defects closer to the corner than ~7 pixels only show below the trigger's
    /// partial-coding limit.
    /// </summary>
    public static (int Column, int Row) DetectorPixel(SimulationRandom rng, int side, double cornerChance, int minDepth, int maxDepth)
    {
        if (!rng.Chance(cornerChance))
        {
            return (rng.NextInt(0, side), rng.NextInt(0, side));
        }

        int c = rng.NextInt(minDepth, maxDepth + 1), r = rng.NextInt(minDepth, maxDepth + 1);
        return (rng.Chance(0.5) ? c : side - 1 - c, rng.Chance(0.5) ? r : side - 1 - r);
    }

    /// <summary>Adds a new source (burst) whose expected SNR is <paramref name="snr"/>.</summary>
    public static SkySource AddBurst(Observation observation, ScenarioContext context, double y, double z, double snr, double visibleFraction = 1.0)
    {
        double coding = context.Sky.PartialCoding(y, z);
        double rate = context.RateForSnr(snr, observation.ExposureS * visibleFraction, observation.Background.PerPixel, coding);
        var burst = new SkySource(y, z, rate, IsNew: true, visibleFraction);
        observation.Sources.Add(burst);
        return burst;
    }
}
