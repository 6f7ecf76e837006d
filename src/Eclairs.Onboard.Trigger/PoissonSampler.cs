using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// Poisson deviates from a seeded <see cref="DeterministicRandom"/>: sequential-search inversion of the
/// CDF for means below 10, Hörmann's transformed rejection with squeeze (PTRS, 1993) above. Both are
/// exact samplers (no normal approximation), so tails are right at every mean.
/// </summary>
public sealed class PoissonSampler
{
    /// <summary>Means above this are refused (a detector pixel never integrates that many counts).</summary>
    public const double MaxMean = 1e9;

    private const double InversionLimit = 10.0;
    private static readonly double[] LogFactorialTable = BuildLogFactorials(64);
    private readonly DeterministicRandom _random;

    public PoissonSampler(ulong seed) => _random = new DeterministicRandom(seed);

    public int Sample(double mean)
    {
        if (!(mean >= 0 && mean <= MaxMean))
        {
            throw TriggerArgumentException.Range(nameof(mean), $"a Poisson mean must lie in [0, {MaxMean:G}], got {mean}.");
        }

        return mean < InversionLimit ? Inversion(mean) : Ptrs(mean);
    }

    /// <summary>Samples every pixel of <paramref name="expected"/> into <paramref name="counts"/>, in index order.</summary>
    public void Sample(ReadOnlySpan<float> expected, Span<uint> counts)
    {
        if (counts.Length != expected.Length)
        {
            throw TriggerArgumentException.Length(nameof(counts), expected.Length, counts.Length);
        }

        for (int i = 0; i < expected.Length; i++)
        {
            counts[i] = (uint)Sample(expected[i]);
        }
    }

    /// <summary>ln(k!) exactly from a table for small k, by Stirling's series (error below 1e-15) above.</summary>
    public static double LogFactorial(long k)
    {
        if (k < LogFactorialTable.Length)
        {
            return LogFactorialTable[k];
        }

        double x = k + 1.0, x2 = x * x;
        return (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI)
            + (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - 1.0 / (1680 * x2)) / x2) / x2) / x;
    }

    private int Inversion(double mean)
    {
        double u = _random.NextDouble();
        double p = Math.Exp(-mean), cdf = p;
        int k = 0;
        // The CDF reaches 1 - 1e-16 well before k = 60 for mean < 10; the bound only guards rounding.
        while (u > cdf && k < 100)
        {
            k++;
            p *= mean / k;
            cdf += p;
        }

        return k;
    }

    private int Ptrs(double mean)
    {
        double slam = Math.Sqrt(mean), logMean = Math.Log(mean);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = _random.NextDouble() - 0.5;
            double v = _random.NextDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return (int)k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            if (Math.Log(v) + Math.Log(invAlpha) - Math.Log(a / (us * us) + b) <= -mean + k * logMean - LogFactorial((long)k))
            {
                return (int)k;
            }
        }
    }

    private static double[] BuildLogFactorials(int count)
    {
        var table = new double[count];
        for (int k = 1; k < count; k++)
        {
            table[k] = table[k - 1] + Math.Log(k);
        }

        return table;
    }
}
