using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// Nothing but Poisson noise on a background the trigger models correctly, with 0–2
/// well-subtracted catalogued sources: the false alerts the threshold is there to make rare.
/// </summary>
public sealed class StatisticalFluctuationScenario : Scenario
{
    public override AlertCause Cause => AlertCause.StatisticalFluctuation;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "pure Poisson noise of a correctly modelled background";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        ScenarioKit.AddFieldSources(observation, rng, context, 2, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        return observation;
    }
}
