using System;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation;

/// <summary>
/// Labels an alert from ground truth only:
/// true when a new source that shone during the exposure lies within <see cref="MatchRadiusPixels"/>
/// of the alert position; unclear in the seed deck's ambiguous situations (two or more other
/// catalogued sources inside the 56 x 56 sub-image, or a background the scenario perturbed);
/// false otherwise. An alert of the catalogue-flare criterion is about a known source: true when
/// that source really flared (its expected excess over the catalogue rate, <see cref="FlareTruth.ExcessSigma"/>,
/// reaches <see cref="MinFlareExcessSigma"/>) or a new source lies at the alert; unclear with two
/// or more catalogued sources besides it in the sub-image or a perturbed background; false otherwise.
/// </summary>
public static class AlertLabeler
{
    /// <summary>PSF-sized match radius in sky pixels (the main lobe is ~3.5 pixels across).</summary>
    public const double MatchRadiusPixels = 2.0;

    /// <summary>Half-size of the sub-image window: pixels at offsets [-28, 27] around the trigger pixel.</summary>
    public const int SubImageHalf = 28;

    /// <summary>Other catalogued sources in the sub-image that make a point-like trigger ambiguous.</summary>
    public const int AmbiguousKnownSources = 2;

    /// <summary>A catalogue-flare alert is a real flare when the expected excess of its source is at least this
    /// significant: below it, the excess is mostly the trigger's noise (a 6.5σ fluctuation on a steady source).</summary>
    public const double MinFlareExcessSigma = 3.0;

    /// <summary>True when a new, visible source lies within the match radius of (skyY, skyZ).</summary>
    public static bool MatchesNewSource(AlertTruth truth, double skyY, double skyZ)
    {
        ArgumentNullException.ThrowIfNull(truth);
        foreach (SkySource s in truth.NewSources)
        {
            if (s.VisibleFraction > 0 && Distance(s.Y, s.Z, skyY, skyZ) <= MatchRadiusPixels)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Catalogued sources whose centre falls inside the alert's sub-image window.</summary>
    public static int KnownSourcesInSubImage(AlertTruth truth, double skyY, double skyZ)
    {
        ArgumentNullException.ThrowIfNull(truth);
        int count = 0;
        foreach (CatalogueEntry k in truth.Catalogue)
        {
            double dy = Math.Round(k.Y) - skyY;
            double dz = Math.Round(k.Z) - skyZ;
            if (dy >= -SubImageHalf && dy < SubImageHalf && dz >= -SubImageHalf && dz < SubImageHalf)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The label of an alert of <paramref name="criterion"/> at (skyY, skyZ).</summary>
    public static AlertLabel Label(AlertTruth truth, double skyY, double skyZ, TriggerCriterion criterion)
    {
        ArgumentNullException.ThrowIfNull(truth);
        if (criterion != TriggerCriterion.CatalogueFlare)
        {
            return Label(truth, skyY, skyZ);
        }

        FlareTruth flare = truth.Flare ?? throw new ArgumentException("A catalogue-flare alert needs the flare's truth.", nameof(truth));
        if (KnownSourcesInSubImage(truth, skyY, skyZ) - 1 >= AmbiguousKnownSources || truth.BackgroundPerturbed)
        {
            return AlertLabel.Unclear;
        }

        return flare.ExcessSigma >= MinFlareExcessSigma || MatchesNewSource(truth, skyY, skyZ) ? AlertLabel.TrueAlert : AlertLabel.FalseAlert;
    }

    /// <summary>The label of a new-source alert at (skyY, skyZ).</summary>
    public static AlertLabel Label(AlertTruth truth, double skyY, double skyZ)
    {
        if (KnownSourcesInSubImage(truth, skyY, skyZ) >= AmbiguousKnownSources || truth.BackgroundPerturbed)
        {
            return AlertLabel.Unclear;
        }

        return MatchesNewSource(truth, skyY, skyZ) ? AlertLabel.TrueAlert : AlertLabel.FalseAlert;
    }

    private static double Distance(double y0, double z0, double y1, double z1)
    {
        double dy = y0 - y1;
        double dz = z0 - z1;
        return Math.Sqrt(dy * dy + dz * dz);
    }
}
