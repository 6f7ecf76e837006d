using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// Entry into the South Atlantic Anomaly: trapped protons and electrons raise the background
/// 2–20 fold within seconds. The particle component is not shaped like the CXB: it comes
/// through the shielding from one side (a gradient across the plane), differs from module to
/// module with their shielding and thresholds (2–6 % rms), and heavy ions leave clusters of
/// counts in a few neighbouring pixels. The trigger's model, fitted before the surge, knows none
/// of it beyond a flat (or quadratic) level.
/// </summary>
public sealed class SaaScenario : Scenario
{
    public override AlertCause Cause => AlertCause.Saa;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "particle background surge: gradient, module-to-module spread, ion clusters";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        double exposure = ScenarioKit.Pick(rng, ScenarioKit.CountRateTimescales);
        Observation observation = ScenarioKit.NewObservation(rng, context, exposure);
        double cxb = observation.Background.PerPixel;
        double particles = cxb * rng.LogUniform(1, 20);
        observation.Background = new BackgroundField(
            cxb + particles,
            GradientY: particles / (cxb + particles) * rng.Normal(0, 0.1),
            GradientZ: particles / (cxb + particles) * rng.Normal(0, 0.1),
            CurvatureY: particles / (cxb + particles) * rng.Normal(0, 0.05),
            CurvatureZ: particles / (cxb + particles) * rng.Normal(0, 0.1));

        DetectorState detector = observation.Detector;
        double spread = rng.Uniform(0.02, 0.06) * particles / (cxb + particles);
        for (int m = 0; m < detector.ModuleCount; m++)
        {
            detector.ScaleModule(m, (float)Math.Max(0.2, 1 + rng.Normal(0, spread)));
        }

        int clusters = rng.NextInt(0, 8);
        for (int i = 0; i < clusters; i++)
        {
            int c = rng.NextInt(0, detector.Side - 1), r = rng.NextInt(0, detector.Side - 1);
            double excess = particles * rng.LogUniform(1, 20);
            detector.ExtraCountsPerS[r * detector.Side + c] += (float)excess;
            detector.ExtraCountsPerS[r * detector.Side + c + 1] += (float)(excess * rng.Uniform(0, 0.5));
            detector.ExtraCountsPerS[(r + 1) * detector.Side + c] += (float)(excess * rng.Uniform(0, 0.5));
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
