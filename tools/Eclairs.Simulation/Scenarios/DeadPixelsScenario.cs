using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// Dead pixels the background model still counts as live: 1–3 groups (a module's corner or a
/// whole module dying, 4–32 pixels) plus 5–80 scattered ones. Where the trigger expects
/// background it finds nothing: a negative coded pattern whose complement raises positive peaks.
/// </summary>
public sealed class DeadPixelsScenario : Scenario
{
    public override AlertCause Cause => AlertCause.DeadPixels;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "1-3 groups of 4-32 dead pixels plus 5-80 scattered, unknown to the model";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        DetectorState detector = observation.Detector;
        int groups = rng.NextInt(1, 4);
        for (int g = 0; g < groups; g++)
        {
            (int c0, int r0) = detector.ModuleOrigin(rng.NextInt(0, detector.ModuleCount));
            int columns = rng.NextInt(1, detector.ModuleColumns + 1);
            for (int r = r0; r < r0 + detector.ModuleRows; r++)
            {
                for (int c = c0; c < c0 + columns; c++)
                {
                    detector.Efficiency[r * detector.Side + c] = 0;
                }
            }
        }

        int scattered = rng.NextInt(5, 81);
        for (int i = 0; i < scattered; i++)
        {
            detector.Efficiency[rng.NextInt(0, detector.Efficiency.Length)] = 0;
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        return observation;
    }
}
