using System.Collections.Generic;
using System;

namespace Eclairs.Simulation.Scenarios;

/// <summary>Every scenario, one per <see cref="AlertCause"/>.</summary>
public static class ScenarioCatalogue
{
    private static readonly Scenario[] Scenarios =
    [
        new BurstScenario(),
        new BurstNearKnownSourceScenario(),
        new BurstSettingBehindEarthScenario(),
        new BurstIncompleteImageScenario(),
        new CatalogueFlareScenario(),
        new StatisticalFluctuationScenario(),
        new SaaScenario(),
        new BadSubtractionScenario(),
        new BrightSourceArtefactScenario(),
        new ColumnEffectScenario(),
        new XrdpixInhomogeneityScenario(),
        new EarthInFieldScenario(),
        new NoisyPixelsScenario(),
        new DeadPixelsScenario(),
        new HeatPipeNoiseScenario(),
        new LowEfficiencyPixelsScenario(),
        new HighThresholdPixelsScenario(),
        new UnclearTwoSourcesScenario(),
        new UnclearPerturbedBackgroundScenario(),
    ];

    public static IReadOnlyList<Scenario> All => Scenarios;

    public static Scenario For(AlertCause cause)
    {
        foreach (Scenario s in Scenarios)
        {
            if (s.Cause == cause)
            {
                return s;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(cause), $"No scenario for cause {(byte)cause} ({cause}).");
    }

    /// <summary>Parses a cause by its name (case-insensitive, e.g. "bad-subtraction" or "BadSubtraction") or its code.</summary>
    public static AlertCause Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string compact = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (byte.TryParse(compact, out byte code) && Enum.IsDefined((AlertCause)code))
        {
            return (AlertCause)code;
        }

        if (Enum.TryParse(compact, ignoreCase: true, out AlertCause cause) && Enum.IsDefined(cause))
        {
            return cause;
        }

        throw new ArgumentException($"Unknown cause '{text}'. Known: {string.Join(", ", Enum.GetNames<AlertCause>())}.", nameof(text));
    }
}
