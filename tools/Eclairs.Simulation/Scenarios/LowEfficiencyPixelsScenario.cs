using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// Low-efficiency pixels (LEPs) of Xie et al. 2024: one of the two CdTe production batches counts fewer 4–8 keV
/// photons. Here the batch's modules form 1–3 blocks of 1–4 x 2–8 modules (mostly towards a corner), in which 50–100 %
/// of the pixels have a 4–8 keV efficiency of 0.3–0.8; the trigger assumes a uniform plane (no efficiency correction,
/// the mitigation the paper proposes). Above 8 keV they are normal. Image timescales. Block sizes and efficiencies
/// are stand-ins.
/// </summary>
public sealed class LowEfficiencyPixelsScenario : Scenario
{
    public override AlertCause Cause => AlertCause.LowEfficiencyPixels;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "blocks of low-efficiency pixels at 4-8 keV (one CdTe batch), uncorrected";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.Pick(rng, ScenarioKit.ImageTimescales));
        DetectorState detector = observation.Detector;
        int n = detector.Side, blocks = rng.NextInt(1, 4);
        for (int b = 0; b < blocks; b++)
        {
            (int pc, int pr) = ScenarioKit.DetectorPixel(rng, n, cornerChance: 0.7, minDepth: 6, maxDepth: 30);
            int across = rng.NextInt(1, 5), down = rng.NextInt(2, 9);
            int m0 = Math.Clamp(pc / detector.ModuleColumns - (pc < n / 2 ? 0 : across - 1), 0, detector.ModulesAcross - across);
            int n0 = Math.Clamp(pr / detector.ModuleRows - (pr < n / 2 ? 0 : down - 1), 0, detector.ModulesDown - down);
            double share = rng.Uniform(0.5, 1.0);
            for (int r = n0 * detector.ModuleRows; r < (n0 + down) * detector.ModuleRows; r++)
            {
                for (int c = m0 * detector.ModuleColumns; c < (m0 + across) * detector.ModuleColumns; c++)
                {
                    if (rng.Chance(share))
                    {
                        detector.LowEnergyEfficiency[r * n + c] = (float)rng.Uniform(0.3, 0.8);
                    }
                }
            }
        }

        ScenarioKit.AddFieldSources(observation, rng, context, 1, context.Sky.Centre, context.Sky.Centre, minDistance: 0);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
