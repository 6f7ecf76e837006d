using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// The deck's "column effect": one to three detector columns read excess counts (a readout line
/// with a lowered threshold or a leaky bias: every pixel along it counts 20–300 % more than the
/// background). Either a whole 80-pixel column or a stretch of it a few modules long.
/// </summary>
public sealed class ColumnEffectScenario : Scenario
{
    public override AlertCause Cause => AlertCause.ColumnEffect;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "1-3 detector columns (or stretches) with 20-300 % excess counts";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        DetectorState detector = observation.Detector;
        int columns = rng.NextInt(1, 4);
        for (int i = 0; i < columns; i++)
        {
            int column = rng.NextInt(0, detector.Side);
            int row0 = 0, row1 = detector.Side;
            if (rng.Chance(0.5))
            {
                int modules = rng.NextInt(1, 6);
                row0 = rng.NextInt(0, detector.ModulesDown - modules + 1) * detector.ModuleRows;
                row1 = row0 + modules * detector.ModuleRows;
            }

            float excess = (float)(observation.Background.PerPixel * rng.LogUniform(0.2, 3));
            for (int r = row0; r < row1; r++)
            {
                detector.ExtraCountsPerS[r * detector.Side + column] += excess;
            }
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        return observation;
    }
}
