using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// XRDPIX module efficiencies that differ from the background model: every module off by a few
/// per cent (3–10 % rms, thresholds and gains drifting with temperature) and 1–4 modules off by
/// 15–40 %. It matters on long image timescales, where the background counts per pixel are high
/// enough that a few per cent exceeds the Poisson noise.
/// </summary>
public sealed class XrdpixInhomogeneityScenario : Scenario
{
    public override AlertCause Cause => AlertCause.XrdpixInhomogeneity;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "module efficiencies off by 3-10 % rms, 1-4 modules off by 15-40 %";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.Pick(rng, ScenarioKit.ImageTimescales));
        DetectorState detector = observation.Detector;
        double spread = rng.Uniform(0.03, 0.10);
        for (int m = 0; m < detector.ModuleCount; m++)
        {
            detector.ScaleModule(m, (float)Math.Max(0.3, 1 + rng.Normal(0, spread)));
        }

        int outliers = rng.NextInt(1, 5);
        for (int i = 0; i < outliers; i++)
        {
            double off = rng.Uniform(0.15, 0.4) * (rng.Chance(0.5) ? 1 : -1);
            detector.ScaleModule(rng.NextInt(0, detector.ModuleCount), (float)(1 + off));
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        return observation;
    }
}
