using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A strong catalogued source whose rate the onboard model mis-estimates (a variable X-ray
/// binary flaring or fading since the catalogue rate was set; the residual is 8–40σ, 70 % of
/// the time an under-estimate) and whose modelled
/// shadowgram is slightly displaced (attitude and shadowgram-model error, 0–0.7 sky pixel).
/// The residual is a real point source at the catalogue position, mostly inside its exclusion
/// zone: its main lobe and its coding noise spill out and raise point-like peaks beside it.
/// </summary>
public sealed class BadSubtractionScenario : Scenario
{
    public override AlertCause Cause => AlertCause.BadSubtraction;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "known source with a wrong catalogue rate: 8-40 sigma residual + coding noise";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, 0.15);
        // Residual (true minus catalogue) of 8-40 sigma: brighter ones ruin the whole image with
        // coding noise and fail the quality criteria; the source itself is 20-300 sigma.
        double snr = rng.LogUniform(20, 300);
        double residual = rng.LogUniform(8, 40);
        double rate = context.RateForSnr(snr, observation.ExposureS, observation.Background.PerPixel, context.Sky.PartialCoding(y, z));
        double error = -Math.Min(0.8, residual / snr) * (rng.Chance(0.7) ? 1 : -1);
        double offset = rng.Uniform(0, 0.7), angle = rng.Uniform(0, 2 * Math.PI);
        ScenarioKit.AddKnownSource(observation, y, z, rate, error, offset * Math.Cos(angle), offset * Math.Sin(angle),
            exclusion: rng.Uniform(1.5, 3));
        ScenarioKit.AddFieldSources(observation, rng, context, 1, y, z, minDistance: 40);
        return observation;
    }
}
