using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Everything a loaded model's kernels read, in one pinned block whose start is 64-byte aligned: the parameters
/// (weights in the layout each kernel wants, transformed weights, per-channel constants), each section 64-byte
/// aligned, then the plan (a blittable header and the steps). The plan holds offsets into the block, not
/// references, so <see cref="Verify"/> hashes the whole block as one span and no field can be left out. The block
/// never moves, so kernels take raw pointers into it.
/// </summary>
internal sealed unsafe class ModelArena
{
    public const int Alignment = 64;

    private readonly byte[] _storage;
    private uint _checksum;

    internal ModelArena(int length, int planOffset)
    {
        _storage = GC.AllocateArray<byte>(length + Alignment, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        Start = (byte*)((address + (Alignment - 1)) & ~(nuint)(Alignment - 1));
        Length = length;
        PlanOffset = planOffset;
    }

    /// <summary>First byte (64-byte aligned).</summary>
    public byte* Start { get; }

    /// <summary>Bytes in the block.</summary>
    public int Length { get; }

    /// <summary>Where the plan (header, then steps) begins; the parameters are everything before it.</summary>
    public int PlanOffset { get; }

    /// <summary>Bytes held, alignment slack included.</summary>
    public long AllocatedBytes => _storage.Length;

    /// <summary>The whole block.</summary>
    public Span<byte> Bytes => new(Start, Length);

    /// <summary>The parameters: weights, transformed weights, per-channel constants.</summary>
    public Span<byte> ParameterRegion => new(Start, PlanOffset);

    /// <summary>The plan: header and steps.</summary>
    public Span<byte> PlanRegion => new(Start + PlanOffset, Length - PlanOffset);

    /// <summary>The plan header.</summary>
    public ref T Header<T>()
        where T : unmanaged => ref *(T*)(Start + PlanOffset);

    /// <summary><paramref name="count"/> steps from <paramref name="offset"/> (both read from the verified header).</summary>
    public Span<T> Steps<T>(int offset, int count)
        where T : unmanaged => new(Start + offset, count);

    /// <summary>A section of the block as typed values.</summary>
    public Span<T> Section<T>(int offset, int count)
        where T : unmanaged => new(Start + offset, count);

    /// <summary>Takes the checksum that <see cref="Verify"/> compares with; called once the block is complete.</summary>
    public void Seal() => _checksum = ParameterChecksum.Compute(Bytes);

    /// <summary>Recomputes the CRC-32C of the whole block (hardware where the CPU has it): false after any change.</summary>
    public bool Verify() => ParameterChecksum.Compute(Bytes) == _checksum;
}

/// <summary>
/// Lays out a <see cref="ModelArena"/>: sections are reserved (filled after the block exists) or added (copied in),
/// each at a 64-byte boundary; <see cref="Build{THeader, TStep}"/> appends the plan and allocates.
/// </summary>
internal sealed class ArenaBuilder
{
    private readonly List<(int Offset, byte[] Data)> _copies = [];

    /// <summary>Bytes laid out so far.</summary>
    public int Length { get; private set; }

    /// <summary>A zeroed section of <paramref name="bytes"/> bytes; returns its offset.</summary>
    public int Reserve(long bytes)
    {
        int offset = Length;
        Length = Align(checked((int)(Length + bytes)));
        return offset;
    }

    /// <summary>A section holding <paramref name="values"/>; returns its offset (-1 for none).</summary>
    public int Add<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (values.IsEmpty)
        {
            return -1;
        }
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        int offset = Reserve(bytes.Length);
        _copies.Add((offset, bytes.ToArray()));
        return offset;
    }

    /// <summary>Where the header will be (the block's end so far), and where the steps after it will be.</summary>
    public int PlanOffset => Length;

    /// <summary>Offset of the steps that follow a header of <typeparamref name="THeader"/>.</summary>
    public unsafe int StepsOffset<THeader>()
        where THeader : unmanaged => Length + Align(sizeof(THeader));

    /// <summary>Allocates the block, copies the added sections, and writes the header and the steps at the end.</summary>
    public unsafe ModelArena Build<THeader, TStep>(in THeader header, ReadOnlySpan<TStep> steps)
        where THeader : unmanaged
        where TStep : unmanaged
    {
        int planOffset = Length, stepsOffset = StepsOffset<THeader>();
        int length = checked(stepsOffset + (steps.Length * sizeof(TStep)));
        var arena = new ModelArena(length, planOffset);
        foreach ((int offset, byte[] data) in _copies)
        {
            data.CopyTo(arena.Section<byte>(offset, data.Length));
        }
        arena.Header<THeader>() = header;
        steps.CopyTo(arena.Steps<TStep>(stepsOffset, steps.Length));
        return arena;
    }

    private static int Align(int bytes) => (bytes + (ModelArena.Alignment - 1)) & ~(ModelArena.Alignment - 1);
}
