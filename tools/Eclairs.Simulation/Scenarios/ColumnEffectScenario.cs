using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// The deck's "column effect": a detector column reads excess counts (a readout line with a
/// lowered threshold or a leaky bias: every pixel along it counts 20–400 % more than the
/// background). Usually a stretch one to three modules long (4–12 pixels), sometimes the whole
/// 80-pixel column; mostly near the plane's edge. Seen from the edge of the field, where few
/// detector columns code each sky pixel, a short stretch makes a compact peak.
/// </summary>
public sealed class ColumnEffectScenario : Scenario
{
    public override AlertCause Cause => AlertCause.ColumnEffect;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "a detector column (or a 1-3 module stretch) with 20-400 % excess counts";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        DetectorState detector = observation.Detector;
        (int column, int row) = ScenarioKit.DetectorPixel(rng, detector.Side, cornerChance: 0.7, minDepth: 6, maxDepth: 30);
        int row0 = 0, row1 = detector.Side;
        if (rng.Chance(0.75))
        {
            int modules = rng.NextInt(1, 4);
            row0 = Math.Clamp(row / detector.ModuleRows - rng.NextInt(0, modules), 0, detector.ModulesDown - modules) * detector.ModuleRows;
            row1 = row0 + modules * detector.ModuleRows;
        }

        float excess = (float)(observation.Background.PerPixel * rng.LogUniform(0.2, 4));
        for (int r = row0; r < row1; r++)
        {
            detector.ExtraCountsPerS[r * detector.Side + column] += excess;
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
