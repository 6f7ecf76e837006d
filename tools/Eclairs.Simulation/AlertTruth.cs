using System.Collections.Generic;

namespace Eclairs.Simulation;

/// <summary>
/// Ground truth kept beside an alert: enough to re-derive its label without the simulator.
/// </summary>
/// <param name="Scenario">The scenario that built the observation.</param>
/// <param name="Seed">Seed of the observation (re-running the scenario with it gives the same alert).</param>
/// <param name="ExposureS">Exposure of the image.</param>
/// <param name="NewSources">Real sources absent from the catalogue (positions in sky pixels).</param>
/// <param name="Catalogue">The catalogue the trigger used (mask-2 zones).</param>
/// <param name="BackgroundPerturbed">The scenario's perturbed-background flag.</param>
public sealed record AlertTruth(
    AlertCause Scenario,
    ulong Seed,
    double ExposureS,
    IReadOnlyList<SkySource> NewSources,
    IReadOnlyList<CatalogueEntry> Catalogue,
    bool BackgroundPerturbed)
{
    /// <summary>For an alert the catalogue-flare criterion raised: the flaring source's truth; null otherwise.</summary>
    public FlareTruth? Flare { get; init; }
}
