using System.Collections.Generic;
using System;

namespace Eclairs.Simulation;

/// <summary>
/// One exposure as it really happened: what was in the sky, the background, the detector's
/// state and the Earth; plus what the trigger is told (its catalogue and background model).
/// The gap between the two is what makes false alerts.
/// </summary>
public sealed class Observation
{
    public Observation(double exposureS, BackgroundField background, DetectorState detector)
    {
        if (!(exposureS > 0) || double.IsInfinity(exposureS))
        {
            throw new ArgumentOutOfRangeException(nameof(exposureS), $"Exposure must be positive and finite; got {exposureS}.");
        }

        ArgumentNullException.ThrowIfNull(background);
        ArgumentNullException.ThrowIfNull(detector);
        ExposureS = exposureS;
        Background = background;
        Detector = detector;
    }

    public double ExposureS { get; }
    public BackgroundField Background { get; set; }
    public DetectorState Detector { get; }

    /// <summary>Every real source in the field: new ones (bursts) and catalogued ones.</summary>
    public List<SkySource> Sources { get; } = [];

    /// <summary>
    /// The real source behind catalogue entry <paramref name="catalogueIndex"/>: catalogued sources are added to
    /// <see cref="Sources"/> (as not new) and to <see cref="Catalogue"/> together, so the k-th known source is the k-th entry's.
    /// </summary>
    public SkySource KnownSourceFor(int catalogueIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(catalogueIndex);
        int k = 0;
        foreach (SkySource s in Sources)
        {
            if (!s.IsNew && k++ == catalogueIndex)
            {
                return s;
            }
        }

        throw new InvalidOperationException($"Catalogue entry {catalogueIndex} has no known source among the {Sources.Count} sources.");
    }

    /// <summary>The onboard catalogue as the trigger receives it.</summary>
    public List<CatalogueEntry> Catalogue { get; } = [];

    /// <summary>The Earth, when it is in or near the field.</summary>
    public EarthInView? Earth { get; set; }

    /// <summary>A rare upward noise fluctuation drawn from the tail (pure statistical false alerts).</summary>
    public TailFluctuation? Fluctuation { get; set; }

    /// <summary>A noise excursion that helps a systematic over the threshold at its strongest lobe.</summary>
    public AssistedFluctuation? Assisted { get; set; }

    /// <summary>Whether the trigger fits a quadratic background on the shadowgram (long image timescales) or removes a flat one.</summary>
    public bool QuadraticBackgroundFit { get; set; }

    /// <summary>Set by scenarios whose background a Burst Advocate would call perturbed (the deck's unclear case).</summary>
    public bool BackgroundPerturbed { get; set; }
}
