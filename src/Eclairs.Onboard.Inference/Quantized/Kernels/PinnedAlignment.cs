using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Pinned arrays whose values start at the first 64-byte boundary inside them (64 bytes of slack), so that the
/// kernels' 512-bit loads of packed weights and workspaces never split a cache line (a split load costs about
/// twice as much; unaligned, the deck's Winograd weight loads all split). A pinned array never moves, so
/// <see cref="Start{T}(T*)"/> of its fixed address is the same on every call.
/// </summary>
internal static unsafe class PinnedAlignment
{
    public const int Bytes = 64;

    /// <summary>A pinned array holding <paramref name="values"/> from its first 64-byte boundary.</summary>
    public static T[] Copy<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        T[] storage = Allocate<T>(values.Length);
        values.CopyTo(storage.AsSpan(Offset(storage)));
        return storage;
    }

    /// <summary>A zeroed pinned array with room for <paramref name="length"/> values from its first 64-byte boundary.</summary>
    public static T[] Allocate<T>(int length)
        where T : unmanaged => GC.AllocateArray<T>(length + (Bytes / sizeof(T)), pinned: true);

    /// <summary>Index of the first element on a 64-byte boundary.</summary>
    public static int Offset<T>(T[] pinned)
        where T : unmanaged
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((Start((byte*)address) - (byte*)address) / sizeof(T));
    }

    /// <summary>The first 64-byte boundary at or after <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T* Start<T>(T* p)
        where T : unmanaged => (T*)(((nuint)p + (Bytes - 1)) & ~(nuint)(Bytes - 1));
}
