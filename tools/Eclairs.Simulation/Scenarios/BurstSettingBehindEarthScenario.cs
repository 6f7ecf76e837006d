using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// A new burst close to the Earth's limb that sets behind the Earth part-way through the
/// exposure (visible 20–90 % of it). The Earth hides the CXB over its disc and glows at the
/// limb; the image shows the burst beside a strong gradient. The deck calls this a true alert.
/// </summary>
public sealed class BurstSettingBehindEarthScenario : Scenario
{
    public override AlertCause Cause => AlertCause.BurstSettingBehindEarth;
    public override AlertLabel IntendedLabel => AlertLabel.TrueAlert;
    public override string Description => "new burst setting behind the Earth's limb during the exposure";

    protected override AlertCause CauseWhenFalse => AlertCause.EarthInField;

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        double exposure = ScenarioKit.Pick(rng, [10.24, 20.48, 40.96, 81.92, 163.84]);
        Observation observation = ScenarioKit.NewObservation(rng, context, exposure);
        (double y, double z) = context.Sky.RandomPosition(rng, context.MinPartialCoding + 0.05);
        double visible = rng.Uniform(0.2, 0.9);

        // At mid-exposure the burst is 0–2° inside the limb (it set while the Earth rose over it).
        double inside = rng.Uniform(0, 2);
        double cxb = EarthGeometry.CxbPerSkyPixel(context, observation.Background.PerPixel);
        observation.Earth = EarthGeometry.Around(context.Sky.TanY(y), context.Sky.TanZ(z), EarthGeometry.AngularRadiusDeg - inside,
            rng.Uniform(0, 360), limbWidthDeg: rng.Uniform(2, 6), limbRate: cxb * rng.Uniform(0.5, 2), cxbRate: cxb);
        ScenarioKit.AddBurst(observation, context, y, z, rng.LogUniform(6, 50), visible);
        return observation;
    }
}
