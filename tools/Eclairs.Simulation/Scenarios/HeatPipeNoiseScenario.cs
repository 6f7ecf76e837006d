using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// The heat-pipe noise of Xie et al. 2024: counts at 4–8 keV, unexpected, in the regions of the plane close to the
/// heat pipes, which run along two opposite sides (here the first and last detector columns). One or both sides
/// are noisy, over their whole length or a 2–6-module stretch, with a per-module level and an exponential fall-off
/// into the plane (1–4 pixels); 0.05–1 counts/s per pixel at the edge against ~0.25 counts/s of background below
/// 8 keV. Image timescales (a steady noise). The noise is in the soft band (5–20 keV) only, 40 % of it: the rest
/// lies below 5 keV, outside both trigger bands. Numbers are stand-ins: the paper gives no rates.
/// </summary>
public sealed class HeatPipeNoiseScenario : Scenario
{
    public override AlertCause Cause => AlertCause.HeatPipeNoise;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "4-8 keV noise near the heat pipes along one or two sides of the plane";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.Pick(rng, ScenarioKit.ImageTimescales));
        DetectorState detector = observation.Detector;
        int n = detector.Side;
        bool both = rng.Chance(0.5), first = rng.Chance(0.5);
        for (int side = 0; side < 2; side++)
        {
            if (!both && (side == 0) != first)
            {
                continue;
            }

            double amplitude = rng.LogUniform(0.05, 1.0), scale = rng.Uniform(1, 4);
            int row0 = 0, row1 = n;
            if (rng.Chance(0.5))
            {
                int modules = rng.NextInt(2, 7);
                row0 = rng.NextInt(0, detector.ModulesDown - modules + 1) * detector.ModuleRows;
                row1 = row0 + modules * detector.ModuleRows;
            }

            int depth = Math.Min(n, (int)Math.Ceiling(5 * scale));
            for (int m = row0 / detector.ModuleRows; m < row1 / detector.ModuleRows; m++)
            {
                double level = amplitude * rng.Uniform(0.6, 1.4);
                for (int r = m * detector.ModuleRows; r < (m + 1) * detector.ModuleRows; r++)
                {
                    for (int d = 0; d < depth; d++)
                    {
                        int c = side == 0 ? d : n - 1 - d;
                        detector.LowEnergyNoisePerS[r * n + c] += (float)(level * Math.Exp(-d / scale));
                    }
                }
            }
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
