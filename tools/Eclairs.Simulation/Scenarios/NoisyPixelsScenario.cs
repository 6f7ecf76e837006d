using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A few noisy pixels (1–4, half the time neighbours in one module: a front-end channel
/// drifting) counting 0.2–5 counts/s of electronic noise on top of ~0.6 counts/s of background,
/// below what the onboard noisy-pixel filter disables. Mostly at the edge of the plane, where
/// CdTe pixels leak most. A sky pixel near the field's edge is coded by a small corner of the
/// detector, so one noisy pixel there weighs most. Image-trigger timescales: over seconds a
/// pixel this noisy is lost in the background's Poisson noise.
/// </summary>
public sealed class NoisyPixelsScenario : Scenario
{
    public override AlertCause Cause => AlertCause.NoisyPixels;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "1-4 noisy pixels at 0.2-5 counts/s, mostly at the plane's edge";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.Pick(rng, ScenarioKit.ImageTimescales));
        DetectorState detector = observation.Detector;
        int count = rng.NextInt(1, 5);
        bool clustered = rng.Chance(0.5);
        (int c0, int r0) = ScenarioKit.DetectorPixel(rng, detector.Side, cornerChance: 0.7, minDepth: 6, maxDepth: 30);
        for (int i = 0; i < count; i++)
        {
            (int c, int r) = clustered
                ? (Clamp(c0 + rng.NextInt(-1, 2), detector.Side), Clamp(r0 + rng.NextInt(-1, 2), detector.Side))
                : ScenarioKit.DetectorPixel(rng, detector.Side, cornerChance: 0.7, minDepth: 6, maxDepth: 30);
            detector.ExtraCountsPerS[r * detector.Side + c] += (float)rng.LogUniform(0.2, 5);
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }

    private static int Clamp(int value, int side) => value < 0 ? 0 : value >= side ? side - 1 : value;
}
