using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// XRDPIX module efficiencies that differ from the background model: every module off by a
/// little (1–4 % rms: gains and thresholds drifting with temperature) and 1–3 modules off by
/// 10–50 %, mostly modules at the plane's edge (hottest, least stable). It matters on the
/// image trigger's long timescales, where a pixel integrates enough background for a few per
/// cent to exceed its Poisson noise.
/// </summary>
public sealed class XrdpixInhomogeneityScenario : Scenario
{
    public override AlertCause Cause => AlertCause.XrdpixInhomogeneity;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "module efficiencies off by 1-4 % rms, 1-3 modules off by 10-50 %";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.Pick(rng, ScenarioKit.ImageTimescales));
        DetectorState detector = observation.Detector;
        double spread = rng.Uniform(0.01, 0.04);
        for (int m = 0; m < detector.ModuleCount; m++)
        {
            detector.ScaleModule(m, (float)Math.Max(0.5, 1 + rng.Normal(0, spread)));
        }

        int outliers = rng.NextInt(1, 4);
        for (int i = 0; i < outliers; i++)
        {
            (int c, int r) = ScenarioKit.DetectorPixel(rng, detector.Side, cornerChance: 0.7, minDepth: 6, maxDepth: 30);
            double off = rng.Uniform(0.1, 0.5) * (rng.Chance(0.5) ? 1 : -1);
            detector.ScaleModule(detector.ModuleOf(c, r), (float)(1 + off));
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
