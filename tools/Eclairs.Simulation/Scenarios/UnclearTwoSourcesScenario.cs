using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// The deck's first unclear case: two catalogued sources 8–25 pixels apart (subtracted with
/// 5–25 % rate errors), and half the time a faint new source between them. Whatever triggers
/// near them sits in a sub-image with two other sources: new source or their coding noise?
/// </summary>
public sealed class UnclearTwoSourcesScenario : Scenario
{
    public override AlertCause Cause => AlertCause.UnclearTwoSources;
    public override AlertLabel IntendedLabel => AlertLabel.Unclear;
    public override string Description => "two known sources near the trigger, maybe a faint new source";

    protected override AlertCause CauseWhenFalse => AlertCause.BadSubtraction;

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, 0.3);
        for (int i = 0; i < 2; i++)
        {
            (double ky, double kz) = context.Sky.RandomNear(rng, y, z, 6, 14, 0.15);
            double rate = context.RateForSnr(rng.LogUniform(20, 200), observation.ExposureS, observation.Background.PerPixel,
                context.Sky.PartialCoding(ky, kz));
            ScenarioKit.AddKnownSource(observation, ky, kz, rate, rng.Uniform(0.05, 0.25) * (rng.Chance(0.5) ? 1 : -1),
                rng.Normal(0, 0.2), rng.Normal(0, 0.2));
        }

        if (rng.Chance(0.5))
        {
            ScenarioKit.AddBurst(observation, context, y, z, rng.LogUniform(5, 15));
        }

        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
