using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A catalogued X-ray binary flaring (the real catalogue notice of 2025-08-24 was GX 340+0, 18σ in 20.48 s at
/// 5–20 keV): its true rate exceeds its catalogue rate by an excess of expected significance 8–40σ; the source itself
/// is 15–300σ. A trigger with the catalogue-flare criterion reports it as an alert of its own kind, labelled true.
/// Without the criterion the same residual only spills past the exclusion zone: a bad subtraction, as in the presets
/// the shipped models were trained on, which therefore hold no alert of this cause.
/// </summary>
public sealed class CatalogueFlareScenario : Scenario
{
    public override AlertCause Cause => AlertCause.CatalogueFlare;
    public override AlertLabel IntendedLabel => AlertLabel.TrueAlert;
    public override string Description => "catalogued source flaring 8-40 sigma above its catalogue rate (catalogue-flare criterion)";

    protected override AlertCause CauseWhenFalse => AlertCause.BadSubtraction;

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, 0.15);
        double coding = context.Sky.PartialCoding(y, z), background = observation.Background.PerPixel;
        double catalogueRate = context.RateForSnr(rng.LogUniform(15, 300), observation.ExposureS, background, coding);
        double trueRate = context.RateForExcessSnr(rng.LogUniform(8, 40), catalogueRate, observation.ExposureS, background, coding);
        ScenarioKit.AddKnownSource(observation, y, z, trueRate, catalogueRate / trueRate - 1, exclusion: rng.Uniform(1.5, 3));
        ScenarioKit.AddFieldSources(observation, rng, context, 1, y, z, minDistance: 40);
        return observation;
    }
}
