using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A new burst in an incomplete image: near the edge of the partially coded field (the
/// sub-image runs out of the field: mask 0) and, half the time, with 1–8 detector modules
/// switched off (they read nothing; the trigger is told which).
/// </summary>
public sealed class BurstIncompleteImageScenario : Scenario
{
    public override AlertCause Cause => AlertCause.BurstIncompleteImage;
    public override AlertLabel IntendedLabel => AlertLabel.TrueAlert;
    public override string Description => "new burst near the field's edge and/or with modules switched off";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, context.MinPartialCoding + 0.02, 0.3);
        if (rng.Chance(0.5))
        {
            int missing = rng.NextInt(1, 9);
            for (int i = 0; i < missing; i++)
            {
                observation.Detector.MissingModules.Add(rng.NextInt(0, observation.Detector.ModuleCount));
            }
        }

        ScenarioKit.AddBurst(observation, context, y, z, rng.LogUniform(5, 50));
        ScenarioKit.AddFieldSources(observation, rng, context, 1, y, z, minDistance: 40);
        return observation;
    }
}
