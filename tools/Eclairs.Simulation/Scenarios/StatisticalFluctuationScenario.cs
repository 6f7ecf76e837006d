using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// Nothing but Poisson noise on a background the trigger models correctly, with 0–2
/// well-subtracted catalogued sources: the false alerts the threshold is there to make rare.
/// Over ~10⁵ images a day the trigger does meet 6.5σ fluctuations; each one is drawn here from the
/// tail (see <see cref="TailFluctuation"/>) at a sky pixel chosen uniformly over the field, with a
/// strength of 6–8σ so the trigger's own noise decides whether it crosses the threshold.
/// </summary>
public sealed class StatisticalFluctuationScenario : Scenario
{
    public override AlertCause Cause => AlertCause.StatisticalFluctuation;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "pure Poisson noise: a 6-8 sigma upward fluctuation drawn from the tail";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        SkyField sky = context.Sky;
        int y, z;
        do
        {
            y = rng.NextInt(0, sky.SkySide);
            z = rng.NextInt(0, sky.SkySide);
        }
        while (sky.PartialCoding(y, z) < context.MinPartialCoding);

        observation.Fluctuation = new TailFluctuation(y, z, rng.Uniform(6, 8));
        ScenarioKit.AddFieldSources(observation, rng, context, 2, y, z, minDistance: 30);
        return observation;
    }
}
