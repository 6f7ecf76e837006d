using System;

namespace Eclairs.Onboard.Trigger.Tests;

/// <summary>
/// The balanced cross-correlation written straight from Goldwurm &amp; Gros 2023 in double precision, one sky
/// pixel at a time, with G+ = M, G- = 1 - M over the rebinned mask and the exact Var = Σ D (G+ - B G-)² / N².
/// Independent of the library's FFT path, integral images and coefficient tables.
/// </summary>
internal static class Naive
{
    public static (double S, double Var, double PartialCoding) Pixel(float[] m, int nm, float[] w, float[] d, int nd, int uy, int uz)
    {
        double gpW = 0, gmW = 0, gpMW = 0, gmMW = 0, totalW = 0, box = 0;
        for (int r = 0; r < nd; r++)
        {
            for (int c = 0; c < nd; c++)
            {
                totalW += w[r * nd + c];
                int kz = r + uz - (nd - 1), ky = c + uy - (nd - 1);
                if (kz < 0 || kz >= nm || ky < 0 || ky >= nm)
                {
                    continue;
                }

                double g = m[kz * nm + ky], wi = w[r * nd + c];
                gpW += g * wi;
                gmW += (1 - g) * wi;
                gpMW += g * g * wi;
                gmMW += (1 - g) * g * wi;
                box += wi;
            }
        }

        double b = gpW / gmW;
        double n = gpMW - b * gmMW;
        double num = 0, variance = 0;
        for (int r = 0; r < nd; r++)
        {
            for (int c = 0; c < nd; c++)
            {
                int kz = r + uz - (nd - 1), ky = c + uy - (nd - 1);
                if (kz < 0 || kz >= nm || ky < 0 || ky >= nm)
                {
                    continue;
                }

                double g = m[kz * nm + ky], di = d[r * nd + c] * w[r * nd + c];
                double gb = g - b * (1 - g);
                num += gb * di;
                variance += gb * gb * di;
            }
        }

        return (num / n, variance / (n * n), box / totalW);
    }
}
