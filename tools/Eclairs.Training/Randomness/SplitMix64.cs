namespace Eclairs.Training.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): used to seed <see cref="Xoshiro256StarStar"/> and to derive
/// independent per-sample seeds from (run seed, epoch, position) so that results never depend on
/// which thread processed a sample.
/// </summary>
public static class SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 output function: a bijective 64-bit finaliser.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Advances <paramref name="state"/> by the golden-ratio increment and returns the mixed value.</summary>
    public static ulong Next(ref ulong state)
    {
        state += Gamma;
        return Mix(state);
    }

    /// <summary>Derives a seed for a stream identified by a sequence of integers (e.g. seed, epoch, sample).</summary>
    public static ulong Derive(ulong seed, ulong a, ulong b = 0, ulong c = 0)
    {
        ulong h = Mix(seed + Gamma);
        h = Mix(h ^ (a + unchecked(Gamma * 2)));
        h = Mix(h ^ (b + unchecked(Gamma * 3)));
        return Mix(h ^ (c + unchecked(Gamma * 4)));
    }
}
