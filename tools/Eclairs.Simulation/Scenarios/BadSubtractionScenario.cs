using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A strong catalogued source whose rate the onboard model mis-estimates (a variable X-ray
/// binary flaring or fading since the catalogue rate was set: 10–60 % off) and whose modelled
/// shadowgram is slightly displaced (attitude and shadowgram-model error, 0–0.7 sky pixel).
/// The residual is a real point source at the catalogue position, mostly inside its exclusion
/// zone: its main lobe and its coding noise spill out and raise point-like peaks beside it.
/// </summary>
public sealed class BadSubtractionScenario : Scenario
{
    public override AlertCause Cause => AlertCause.BadSubtraction;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "known source with a 10-60 % wrong catalogue rate: residual + coding noise";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, 0.15);
        double snr = rng.LogUniform(20, 300);
        double rate = context.RateForSnr(snr, observation.ExposureS, observation.Background.PerPixel, context.Sky.PartialCoding(y, z));
        double error = rng.Uniform(0.1, 0.6) * (rng.Chance(0.5) ? 1 : -1);
        double offset = rng.Uniform(0, 0.7), angle = rng.Uniform(0, 2 * Math.PI);
        ScenarioKit.AddKnownSource(observation, y, z, rate, error, offset * Math.Cos(angle), offset * Math.Sin(angle),
            exclusion: rng.Uniform(2, 3.5));
        ScenarioKit.AddFieldSources(observation, rng, context, 1, y, z, minDistance: 40);
        return observation;
    }
}
