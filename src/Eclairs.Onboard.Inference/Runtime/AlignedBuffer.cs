using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// A float buffer on the pinned object heap whose first element is 64-byte aligned, so kernels can keep raw
/// pointers to it for the lifetime of the owner and vector loads never split a cache line.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int AlignmentFloats = 16;
    private readonly float[] _storage;
    private readonly int _start;

    public AlignedBuffer(int length)
    {
        Length = length;
        _storage = GC.AllocateArray<float>(length + AlignmentFloats, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _start = (int)(((64 - (address % 64)) % 64) / sizeof(float));
        Pointer = (float*)address + _start;
    }

    public int Length { get; }

    public float* Pointer { get; }

    /// <summary>Bytes held, alignment slack included.</summary>
    public long AllocatedBytes => (long)_storage.Length * sizeof(float);

    /// <summary>Bytes a buffer of <paramref name="length"/> floats holds, alignment slack included.</summary>
    public static long BytesFor(int length) => ((long)length + AlignmentFloats) * sizeof(float);

    public Span<float> Span => _storage.AsSpan(_start, Length);

    public static int AlignUp(int floats) => (floats + AlignmentFloats - 1) & ~(AlignmentFloats - 1);
}
