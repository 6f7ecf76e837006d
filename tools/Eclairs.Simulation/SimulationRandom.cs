using System;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Simulation;

/// <summary>
/// The simulator's seeded generator: the trigger's xoshiro256** (<see cref="DeterministicRandom"/>,
/// seeded through SplitMix64) with the few distributions the scenarios need. Same seed, same
/// sequence, on every machine and runtime (no System.Random, whose algorithm may change).
/// </summary>
public sealed class SimulationRandom
{
    private readonly DeterministicRandom _bits;

    public SimulationRandom(ulong seed) => _bits = new DeterministicRandom(seed);

    /// <summary>
    /// A seed for item <paramref name="index"/> of a stream named by <paramref name="seed"/>: the
    /// same pair always gives the same seed, whatever order or thread the items are made in.
    /// </summary>
    public static ulong DeriveSeed(ulong seed, ulong index, ulong stream = 0)
    {
        ulong x = seed ^ 0x9E3779B97F4A7C15UL * (index + 1) ^ 0xD1B54A32D192ED03UL * (stream + 1);
        _ = DeterministicRandom.SplitMix64(ref x);
        return DeterministicRandom.SplitMix64(ref x);
    }

    public ulong NextUInt64() => _bits.NextUInt64();

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _bits.NextDouble();

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
}
