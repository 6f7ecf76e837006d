using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A very bright catalogued source (Sco X-1 class, expected SNR 150–1000 before subtraction)
/// subtracted with a small model error (rate 1–5 %, position 0–0.3 pixel). What is left of it is
/// faint at its position but its coding noise — the side lobes and ghosts of a random mask's
/// imperfect autocorrelation, largest where the overlap of mask and detector is small — spreads
/// over the whole image and peaks far from the source.
/// </summary>
public sealed class BrightSourceArtefactScenario : Scenario
{
    public override AlertCause Cause => AlertCause.BrightSourceArtefact;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "very bright known source: coding-noise side lobes and ghosts";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, 0.1);
        double snr = rng.LogUniform(150, 1000);
        double rate = context.RateForSnr(snr, observation.ExposureS, observation.Background.PerPixel, context.Sky.PartialCoding(y, z));
        double error = rng.Uniform(0.01, 0.05) * (rng.Chance(0.5) ? 1 : -1);
        double offset = rng.Uniform(0, 0.3), angle = rng.Uniform(0, 2 * Math.PI);
        ScenarioKit.AddKnownSource(observation, y, z, rate, error, offset * Math.Cos(angle), offset * Math.Sin(angle));
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
