using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A new gamma-ray burst at a random direction over the fully and partially coded field, with
/// 0–2 well-subtracted catalogued sources elsewhere. Expected SNR log-uniform in [5, 50]: some
/// stay below the threshold, as real faint bursts do.
/// </summary>
public sealed class BurstScenario : Scenario
{
    public override AlertCause Cause => AlertCause.Burst;
    public override AlertLabel IntendedLabel => AlertLabel.TrueAlert;
    public override string Description => "new burst anywhere in the field, expected SNR 5-50";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, context.MinPartialCoding + 0.02);
        ScenarioKit.AddBurst(observation, context, y, z, rng.LogUniform(5, 50));
        ScenarioKit.AddFieldSources(observation, rng, context, 2, y, z, minDistance: 40);
        return observation;
    }
}
