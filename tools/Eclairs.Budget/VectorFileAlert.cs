using System;
using System.Buffers.Binary;
using System.IO;

namespace Eclairs.Budget;

/// <summary>The first alert of a .eclv golden-vector file (format in tools/hil/hil.c): the report's input.</summary>
public static class VectorFileAlert
{
    private const int HeaderBytes = 20;

    /// <exception cref="InvalidDataException">Not a version-1 vector file, or shorter than one record.</exception>
    public static (float[] Snr, byte[] Mask) ReadFirst(ReadOnlySpan<byte> file, int pixels = 56 * 56)
    {
        if (file.Length < HeaderBytes || !file[..4].SequenceEqual("ECLV"u8) || BinaryPrimitives.ReadUInt32LittleEndian(file[4..]) != 1)
        {
            throw new InvalidDataException("not a version-1 .eclv vector file");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(file[8..]) == 0 || file.Length < HeaderBytes + (5 * pixels))
        {
            throw new InvalidDataException("the vector file holds no complete alert");
        }
        var snr = new float[pixels];
        for (int i = 0; i < pixels; i++)
        {
            snr[i] = BinaryPrimitives.ReadSingleLittleEndian(file[(HeaderBytes + (4 * i))..]);
        }
        byte[] mask = file.Slice(HeaderBytes + (4 * pixels), pixels).ToArray();
        return (snr, mask);
    }
}
