using System;

namespace Eclairs.Simulation;

/// <summary>
/// How counts share the energy range: four disjoint sub-bands (4–5, 5–8, 8–20, 20–120 keV) from which each trigger
/// band is a sum (full = all four, soft 5–20 = 5–8 + 8–20, hard 8–120 = 8–20 + 20–120), so the soft and hard images of
/// one observation share the 8–20 keV photons as the real ones do. Every fraction is of the 4–120 keV counts.
/// </summary>
/// <remarks>
/// Stand-ins, documented in docs/simulation.md: a source is a power law of photon index Γ (no detector response:
/// 1 mm CdTe is close to fully efficient over 4–100 keV); the background's count spectrum is the CXB's
/// (Gruber et al. 1999, E^-1.29 exp(−E / 41.13 keV)) with no separate instrumental component; the detector's noise
/// counts (noisy pixels, columns, particle clusters) share the background's spectrum; low-energy noise (heat pipes)
/// lies at 4–8 keV, 60 % of it below 5 keV.
/// </remarks>
public static class BandSpectra
{
    public const int SubBands = 4;

    /// <summary>Sub-band edges in keV.</summary>
    public static readonly double[] Edges = [4, 5, 8, 20, 120];

    /// <summary>Sub-bands below 8 keV, where the detector effects of Xie et al. 2024 live.</summary>
    public const int LowEnergySubBands = 2;

    /// <summary>Share of the low-energy noise counts in 4–5 keV (the rest is at 5–8 keV).</summary>
    public const double LowNoiseBelow5KeV = 0.6;

    private static readonly double[] Background = CosmicBackgroundFractions();

    /// <summary>First and last (inclusive) sub-band of a trigger band.</summary>
    public static (int First, int Last) SubBandsOf(EnergyBand band) => band switch
    {
        EnergyBand.Full => (0, 3),
        EnergyBand.Soft => (1, 2),
        EnergyBand.Hard => (2, 3),
        _ => throw new ArgumentOutOfRangeException(nameof(band), $"Unknown band {(byte)band}."),
    };

    /// <summary>Band edges in keV, as the notices give them.</summary>
    public static (double Lower, double Upper) EdgesOf(EnergyBand band)
    {
        (int first, int last) = SubBandsOf(band);
        return (Edges[first], Edges[last + 1]);
    }

    /// <summary>Fraction of a power law's 4–120 keV photons (photon index <paramref name="photonIndex"/>) in sub-band <paramref name="subBand"/>.</summary>
    public static double PowerLaw(double photonIndex, int subBand)
    {
        Check(subBand);
        return PowerLawIntegral(photonIndex, Edges[subBand], Edges[subBand + 1]) / PowerLawIntegral(photonIndex, Edges[0], Edges[SubBands]);
    }

    /// <summary>Fraction of a power law's 4–120 keV photons in a trigger band.</summary>
    public static double PowerLaw(double photonIndex, EnergyBand band)
    {
        (int first, int last) = SubBandsOf(band);
        double sum = 0;
        for (int j = first; j <= last; j++)
        {
            sum += PowerLaw(photonIndex, j);
        }

        return sum;
    }

    /// <summary>Fraction of the background's 4–120 keV counts in sub-band <paramref name="subBand"/>.</summary>
    public static double BackgroundFraction(int subBand)
    {
        Check(subBand);
        return Background[subBand];
    }

    /// <summary>Fraction of the background's 4–120 keV counts in a trigger band.</summary>
    public static double BackgroundFraction(EnergyBand band)
    {
        (int first, int last) = SubBandsOf(band);
        double sum = 0;
        for (int j = first; j <= last; j++)
        {
            sum += Background[j];
        }

        return sum;
    }

    /// <summary>Fraction of the background's counts below 8 keV (what a low-energy efficiency loss takes in the full band).</summary>
    public static double BackgroundBelow8KeV => Background[0] + Background[1];

    /// <summary>Share of the 4–8 keV noise counts in sub-band <paramref name="subBand"/> (0 above 8 keV).</summary>
    public static double LowNoiseFraction(int subBand)
    {
        Check(subBand);
        return subBand switch
        {
            0 => LowNoiseBelow5KeV,
            1 => 1 - LowNoiseBelow5KeV,
            _ => 0,
        };
    }

    private static void Check(int subBand)
    {
        if ((uint)subBand >= SubBands)
        {
            throw new ArgumentOutOfRangeException(nameof(subBand), $"Sub-band {subBand} outside [0, {SubBands}).");
        }
    }

    private static double PowerLawIntegral(double photonIndex, double e0, double e1) =>
        Math.Abs(photonIndex - 1) < 1e-12 ? Math.Log(e1 / e0) : (Math.Pow(e1, 1 - photonIndex) - Math.Pow(e0, 1 - photonIndex)) / (1 - photonIndex);

    // Composite Simpson over each sub-band (2,000 intervals: converged to 1e-12).
    private static double[] CosmicBackgroundFractions()
    {
        static double Cxb(double e) => Math.Pow(e, -1.29) * Math.Exp(-e / 41.13);
        var parts = new double[SubBands];
        double total = 0;
        for (int j = 0; j < SubBands; j++)
        {
            const int n = 2000;
            double a = Edges[j], h = (Edges[j + 1] - a) / n, s = Cxb(a) + Cxb(Edges[j + 1]);
            for (int i = 1; i < n; i++)
            {
                s += (i % 2 == 1 ? 4 : 2) * Cxb(a + i * h);
            }

            parts[j] = s * h / 3;
            total += parts[j];
        }

        for (int j = 0; j < SubBands; j++)
        {
            parts[j] /= total;
        }

        return parts;
    }
}
