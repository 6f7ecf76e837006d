using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// The Earth entering the field: its disc hides the CXB (a dark region with a sharp edge) and its
/// limb glows with albedo (1–10 times the CXB brightness over a 2–8° band). The trigger's flat
/// or quadratic background cannot follow the coded pattern of a sharp limb.
/// </summary>
public sealed class EarthInFieldScenario : Scenario
{
    public override AlertCause Cause => AlertCause.EarthInField;
    public override AlertLabel IntendedLabel => AlertLabel.FalseAlert;
    public override string Description => "Earth limb in the field: occulted CXB and bright limb";

    public override Observation Build(SimulationRandom rng, ScenarioContext context)
    {
        Observation observation = ScenarioKit.NewObservation(rng, context, ScenarioKit.AnyTimescale(rng));
        (double y, double z) = context.Sky.RandomPosition(rng, context.MinPartialCoding + 0.02);
        double cxb = EarthGeometry.CxbPerSkyPixel(context, observation.Background.PerPixel);

        // The limb passes through a random point of the field (up to 10° of Earth beyond it).
        observation.Earth = EarthGeometry.Around(context.Sky.TanY(y), context.Sky.TanZ(z),
            EarthGeometry.AngularRadiusDeg + rng.Uniform(-10, 0), rng.Uniform(0, 360),
            limbWidthDeg: rng.Uniform(2, 8), limbRate: cxb * rng.Uniform(1, 10), cxbRate: cxb);
        ScenarioKit.AddFieldSources(observation, rng, context, 1, y, z, minDistance: 30);
        observation.Assisted = ScenarioKit.Assist;
        return observation;
    }
}
