using System;
using System.Collections.Generic;

namespace Eclairs.Simulation.Formats;

/// <summary>A C-ordered (row-major) n-dimensional array: flat data plus its shape.</summary>
public sealed class NdArray<T> where T : unmanaged
{
    private readonly T[] _data;
    private readonly int[] _shape;

    public NdArray(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count = checked(count * d);
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but the data has {data.Length}", nameof(data));
        }

        _data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>The elements in row-major order (the array itself, not a copy).</summary>
    public T[] Data => _data;

    public IReadOnlyList<int> Shape => _shape;

    public int Rank => _shape.Length;

    public int Length => _data.Length;

    public Span<T> Span => _data;

    public override string ToString() => $"{typeof(T).Name}[{string.Join(", ", _shape)}]";
}
