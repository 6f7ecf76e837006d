using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// The deck's last unclear case: a point-like trigger on a perturbed background (a moderate
/// particle surge with module-to-module spread and a gradient), with a faint new source half the
/// time. A Burst Advocate could not tell; the label is unclear whatever the truth.
/// </summary>
public sealed class UnclearPerturbedBackgroundScenario : Scenario
{
    public override AlertCause Cause => AlertCause.UnclearPerturbedBackground;
    public override AlertLabel IntendedLabel => AlertLabel.Unclear;
    public override string Description => "point-like trigger on a perturbed background, maybe a faint new source";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        double cxb = observation.Background.PerPixel;
        double particles = cxb * rng.LogUniform(0.5, 5);
        double share = particles / (cxb + particles);
        observation.Background = new BackgroundField(cxb + particles,
            GradientY: share * rng.Normal(0, 0.2), GradientZ: share * rng.Normal(0, 0.2));
        double spread = rng.Uniform(0.02, 0.08) * share;
        for (int m = 0; m < observation.Detector.ModuleCount; m++)
        {
            observation.Detector.ScaleModule(m, (float)Math.Max(0.3, 1 + rng.Normal(0, spread)));
        }

        observation.BackgroundPerturbed = true;
        if (rng.Chance(0.5))
        {
            (double y, double z) = context.Sky.RandomPosition(rng, context.MinPartialCoding + 0.05);
            ScenarioKit.AddBurst(observation, context, y, z, rng.LogUniform(5, 15));
        }

        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
