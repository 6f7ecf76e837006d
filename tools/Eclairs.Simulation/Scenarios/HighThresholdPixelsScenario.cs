using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// High-threshold pixels (HTPs) of Xie et al. 2024: pixels whose low threshold was raised to avoid cross-talk, so they
/// count almost nothing below 8 keV (efficiency 0–0.15 there) and normally above. Cross-talk runs along an ASIC, so
/// they cluster: 1–4 modules (mostly towards a corner) with 4–16 HTPs each, plus 0–40 scattered. The trigger still
/// counts them as normal pixels (the paper's mitigation, excluding them, is not applied). Image timescales; stand-in numbers.
/// </summary>
public sealed class HighThresholdPixelsScenario : Scenario
{
    public override AlertCause Cause => AlertCause.HighThresholdPixels;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "clusters of high-threshold pixels blind below 8 keV, unknown to the trigger";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.Pick(rng, ScenarioKit.ImageTimescales));
        DetectorState detector = observation.Detector;
        int n = detector.Side, modules = rng.NextInt(1, 5);
        for (int m = 0; m < modules; m++)
        {
            (int pc, int pr) = ScenarioKit.DetectorPixel(rng, n, cornerChance: 0.7, minDepth: 6, maxDepth: 30);
            (int c0, int r0) = detector.ModuleOrigin(detector.ModuleOf(pc, pr));
            int count = rng.NextInt(4, 17);
            for (int i = 0; i < count; i++)
            {
                int c = c0 + rng.NextInt(0, detector.ModuleColumns), r = r0 + rng.NextInt(0, detector.ModuleRows);
                detector.LowEnergyEfficiency[r * n + c] = (float)rng.Uniform(0, 0.15);
            }
        }

        int scattered = rng.NextInt(0, 41);
        for (int i = 0; i < scattered; i++)
        {
            detector.LowEnergyEfficiency[rng.NextInt(0, n * n)] = (float)rng.Uniform(0, 0.15);
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
