using System;
using System.Globalization;

namespace Eclairs.Simulation;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> of a preset's slots: a contiguous range, shard k holding slots
/// [k N / n, (k + 1) N / n) of N (integer division), so the shards in index order are the slots in order.
/// </summary>
public readonly record struct DatasetShard
{
    public DatasetShard(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Shard {index}/{count}: the count must be at least 1 and the index in [0, count).");
        }

        Index = index;
        Count = count;
    }

    public static DatasetShard Whole { get; } = new(0, 1);

    public int Index { get; }
    public int Count { get; }

    /// <summary>First slot and number of slots of this shard among <paramref name="slots"/>.</summary>
    public (int First, int Count) Slots(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        int first = (int)((long)Index * slots / Count), end = (int)((long)(Index + 1) * slots / Count);
        return (first, end - first);
    }

    /// <summary>Parses "k/n" (0-based k), e.g. "3/10".</summary>
    public static DatasetShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || k >= n)
        {
            throw new ArgumentException($"A shard is k/n with 0 <= k < n (e.g. 0/4); got '{text}'.", nameof(text));
        }

        return new DatasetShard(k, n);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
