using System;

namespace Eclairs.Simulation;

/// <summary>
/// The simulator's seeded generator: xoshiro256** seeded through SplitMix64, with the few
/// distributions the scenarios need. Same seed, same sequence, on every machine and runtime
/// (no System.Random, whose algorithm may change between .NET versions).
/// </summary>
public sealed class SimulationRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimulationRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// A seed for item <paramref name="index"/> of a stream named by <paramref name="seed"/>: the
    /// same pair always gives the same seed, whatever order or thread the items are made in.
    /// </summary>
    public static ulong DeriveSeed(ulong seed, ulong index, ulong stream = 0)
    {
        ulong x = seed ^ 0x9E3779B97F4A7C15UL * (index + 1) ^ 0xD1B54A32D192ED03UL * (stream + 1);
        _ = SplitMix64(ref x);
        return SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [min, max).</summary>
    public int NextInt(int min, int max)
    {
        if (max <= min)
        {
            throw new ArgumentOutOfRangeException(nameof(max), $"max ({max}) must exceed min ({min}).");
        }

        ulong range = (ulong)((long)max - min);
        return (int)(min + (long)(NextUInt64() % range));
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Log-uniform in [min, max): equal probability per decade.</summary>
    public double LogUniform(double min, double max) => Math.Exp(Uniform(Math.Log(min), Math.Log(max)));

    /// <summary>Standard normal (Marsaglia polar method; the spare value is discarded so a draw
    /// always consumes whole pairs and streams stay aligned).</summary>
    public double Normal()
    {
        while (true)
        {
            double u = 2 * NextDouble() - 1;
            double v = 2 * NextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1)
            {
                return u * Math.Sqrt(-2 * Math.Log(s) / s);
            }
        }
    }

    public double Normal(double mean, double sigma) => mean + sigma * Normal();

    /// <summary>
    /// Poisson variate of mean <paramref name="mean"/>: multiplication method below 12, Hörmann's
    /// PTRS transformed rejection (1993) above. Exact in distribution for every mean.
    /// </summary>
    public int Poisson(double mean)
    {
        if (!(mean >= 0) || double.IsInfinity(mean) || mean > 1e9)
        {
            throw new ArgumentOutOfRangeException(nameof(mean), $"Poisson mean must lie in [0, 1e9]; got {mean}.");
        }

        if (mean == 0)
        {
            return 0;
        }

        if (mean < 12)
        {
            double limit = Math.Exp(-mean);
            double product = NextDouble();
            int k = 0;
            while (product > limit)
            {
                k++;
                product *= NextDouble();
            }

            return k;
        }

        double logMean = Math.Log(mean);
        double b = 0.931 + 2.53 * Math.Sqrt(mean);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = NextDouble() - 0.5;
            double v = NextDouble();
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

            double lhs = Math.Log(v * invAlpha / (a / (us * us) + b));
            double rhs = -mean + k * logMean - LogFactorial(k);
            if (lhs <= rhs)
            {
                return (int)k;
            }
        }
    }

    private static double LogFactorial(double k)
    {
        if (k < 2)
        {
            return 0;
        }

        // Stirling series: exact to double precision for k >= 10; sum directly below.
        if (k < 10)
        {
            double sum = 0;
            for (int i = 2; i <= (int)k; i++)
            {
                sum += Math.Log(i);
            }

            return sum;
        }

        double inv = 1 / k;
        double inv2 = inv * inv;
        return (k + 0.5) * Math.Log(k) - k + 0.5 * Math.Log(2 * Math.PI)
            + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
