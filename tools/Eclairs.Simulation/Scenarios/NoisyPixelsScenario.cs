using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A few noisy pixels (1–8, often neighbours in one module: a module's front-end drifting):
/// each counts 0.3–30 counts/s of electronic noise on top of ~0.6 counts/s of background, and the
/// onboard noisy-pixel filter has not yet disabled them.
/// </summary>
public sealed class NoisyPixelsScenario : Scenario
{
    public override AlertCause Cause => AlertCause.NoisyPixels;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "1-8 noisy pixels at 0.3-30 counts/s";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        DetectorState detector = observation.Detector;
        int count = rng.NextInt(1, 9);
        bool clustered = rng.Chance(0.5);
        int module = rng.NextInt(0, detector.ModuleCount);
        (int c0, int r0) = detector.ModuleOrigin(module);
        for (int i = 0; i < count; i++)
        {
            int c = clustered ? c0 + rng.NextInt(0, detector.ModuleColumns) : rng.NextInt(0, detector.Side);
            int r = clustered ? r0 + rng.NextInt(0, detector.ModuleRows) : rng.NextInt(0, detector.Side);
            detector.ExtraCountsPerS[r * detector.Side + c] += (float)rng.LogUniform(0.3, 30);
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        return observation;
    }
}
