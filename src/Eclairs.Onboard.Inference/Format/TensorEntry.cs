using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// One stored parameter tensor: which layer and role it belongs to, its element type, its shape and its bytes
/// (little-endian, row-major in the shape's order: HWIO for convolutions, [in][out] for dense layers).
/// </summary>
public sealed class TensorEntry
{
    private readonly int[] _shape;

    /// <summary>Wraps stored bytes as they are (no check: <see cref="ModelDocument.Validate"/> and the loader check).</summary>
    public TensorEntry(int layerIndex, TensorRole role, ElementType elementType, IEnumerable<int> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        LayerIndex = layerIndex;
        Role = role;
        ElementType = elementType;
        _shape = [.. shape];
        Data = data;
    }

    /// <summary>Index of the layer in the network description.</summary>
    public int LayerIndex { get; }

    /// <summary>Weights or bias.</summary>
    public TensorRole Role { get; }

    /// <summary>Type of each element.</summary>
    public ElementType ElementType { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => new ReadOnlyCollection<int>(_shape);

    /// <summary>The elements, little-endian.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Product of the dimensions.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in _shape)
            {
                n *= d;
            }
            return n;
        }
    }

    /// <summary>A float32 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorEntry FromSingles(int layerIndex, TensorRole role, IEnumerable<int> shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            }
        }
        return new TensorEntry(layerIndex, role, ElementType.Float32, shape, bytes);
    }

    /// <summary>The elements of a float32 tensor (a copy).</summary>
    public float[] ToSingles()
    {
        if (ElementType != ElementType.Float32)
        {
            throw new InvalidOperationException($"tensor of layer {LayerIndex} holds {ElementType}, not Float32");
        }
        var values = new float[Data.Length / sizeof(float)];
        CopySinglesTo(values);
        return values;
    }

    internal void CopySinglesTo(Span<float> destination)
    {
        ReadOnlySpan<byte> bytes = Data.Span[..(destination.Length * sizeof(float))];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(destination));
        }
        else
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
            }
        }
    }
}
