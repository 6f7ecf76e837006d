using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// Dead pixels the background model still counts as live: one or two groups (part of a module
/// or a whole module going silent, 4–32 pixels; mostly at the plane's edge) plus 0–30 scattered
/// ones. Where the trigger expects background it finds nothing: a negative coded pattern whose
/// complement raises positive peaks, largest where few detector pixels code the sky.
/// </summary>
public sealed class DeadPixelsScenario : Scenario
{
    public override AlertCause Cause => AlertCause.DeadPixels;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "1-2 groups of 4-32 dead pixels plus 0-30 scattered, unknown to the model";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        DetectorState detector = observation.Detector;
        int groups = rng.NextInt(1, 3);
        for (int g = 0; g < groups; g++)
        {
            (int pc, int pr) = ScenarioKit.DetectorPixel(rng, detector.Side, cornerChance: 0.7, minDepth: 6, maxDepth: 30);
            (int c0, int r0) = detector.ModuleOrigin(detector.ModuleOf(pc, pr));
            int columns = rng.NextInt(1, detector.ModuleColumns + 1);
            int first = rng.NextInt(0, detector.ModuleColumns - columns + 1);
            for (int r = r0; r < r0 + detector.ModuleRows; r++)
            {
                for (int c = c0 + first; c < c0 + first + columns; c++)
                {
                    detector.Efficiency[r * detector.Side + c] = 0;
                }
            }
        }

        int scattered = rng.NextInt(0, 31);
        for (int i = 0; i < scattered; i++)
        {
            detector.Efficiency[rng.NextInt(0, detector.Efficiency.Length)] = 0;
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
