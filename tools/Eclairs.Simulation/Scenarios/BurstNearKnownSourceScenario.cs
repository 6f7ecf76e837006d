using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A new burst with one bright catalogued source 6–25 sky pixels away, inside its sub-image
/// (mask value 2 there). The known source is subtracted with the usual few-per-cent error, so
/// its residual and coding noise sit beside a real burst.
/// </summary>
public sealed class BurstNearKnownSourceScenario : Scenario
{
    public override AlertCause Cause => AlertCause.BurstNearKnownSource;
    public override AlertLabel IntendedLabel => AlertLabel.TrueAlert;
    public override string Description => "new burst with a bright known source 6-25 pixels away";

    protected override AlertCause CauseWhenFalse => AlertCause.BadSubtraction;

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, 0.15);
        (double ky, double kz) = context.Sky.RandomNear(rng, y, z, 6, 25, context.MinPartialCoding + 0.05);
        double knownSnr = rng.LogUniform(15, 150);
        double knownRate = context.RateForSnr(knownSnr, observation.ExposureS, observation.Background.PerPixel, context.Sky.PartialCoding(ky, kz));
        ScenarioKit.AddKnownSource(observation, ky, kz, knownRate, rng.Normal(0, ScenarioKit.GoodSubtractionSigma));
        ScenarioKit.AddBurst(observation, context, y, z, rng.LogUniform(5, 50));
        return observation;
    }
}
