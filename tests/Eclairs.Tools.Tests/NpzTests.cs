using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

public class NpzTests
{
    private static byte[] WriteSample(NpzCompression compression)
    {
        using var ms = new MemoryStream();
        using (var npz = new NpzWriter(ms, compression, leaveOpen: true))
        {
            npz.WriteArray<float>("snr", new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 1, 2, 3);
            npz.WriteArray<byte>("label", new byte[] { 2 }, 1);
            npz.WriteArray("ids", new long[] { -5, 1L << 40 }, 2); // element type inferred from the array
        }

        return ms.ToArray();
    }

    [Theory]
    [InlineData(NpzCompression.Stored)]
    [InlineData(NpzCompression.Deflated)]
    public void RoundTrip_AndEntriesAreNamedNpy(NpzCompression compression)
    {
        byte[] bytes = WriteSample(compression);
        using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
        {
            Assert.Equal(new[] { "snr.npy", "label.npy", "ids.npy" }, zip.Entries.Select(e => e.FullName));
            // numpy.savez stores (method 0), savez_compressed deflates (method 8): check the local file header.
            ushort method = BitConverter.ToUInt16(bytes, 8);
            Assert.Equal(compression == NpzCompression.Stored ? 0 : 8, method);
        }

        using var npz = new NpzReader(new MemoryStream(bytes), "sample.npz");
        Assert.Equal(new[] { "ids", "label", "snr" }, npz.Names);
        NdArray<float> snr = npz.ReadFloat32("snr");
        Assert.Equal(new[] { 1, 2, 3 }, snr.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, snr.Data);
        Assert.Equal(new byte[] { 2 }, npz.ReadUInt8("label").Data);
        Assert.Equal(new long[] { -5, 1L << 40 }, npz.ReadInt64("ids").Data);
        Assert.Equal(NpyDType.F4, npz.ReadHeader("snr").DType);
    }

    [Fact]
    public void Writer_IsDeterministic()
    {
        Assert.Equal(WriteSample(NpzCompression.Deflated), WriteSample(NpzCompression.Deflated));
        Assert.Equal(WriteSample(NpzCompression.Stored), WriteSample(NpzCompression.Stored));
    }

    [Fact]
    public void Reader_ReadsNumPysSavezCompressed()
    {
        using var npz = new NpzReader(new MemoryStream(NumPyReferenceFiles.SavezCompressed), "numpy.npz");
        Assert.Equal(new[] { "a", "b", "c", "d" }, npz.Names);
        NdArray<float> a = npz.ReadFloat32("a");
        Assert.Equal(new[] { 2, 3 }, a.Shape);
        Assert.Equal(new[] { 0f, 0.5f, 1f, 1.5f, 2f, 2.5f }, a.Data);
        Assert.Equal(new byte[] { 1, 2, 255 }, npz.ReadUInt8("b").Data);
        Assert.Equal(new[] { -1L, 1L << 40 }, npz.ReadInt64("c").Data);
        // 'd' was saved big-endian ('>f8'): the reader swaps it.
        Assert.True(npz.ReadHeader("d").DType.BigEndian);
        Assert.Equal(new[] { 1.5, -2.25 }, npz.ReadFloat64("d").Data);
    }

    [Fact]
    public void MissingArray_NamesFileArrayAndWhatIsThere()
    {
        using var npz = new NpzReader(new MemoryStream(WriteSample(NpzCompression.Stored)), "sample.npz");
        var e = Assert.Throws<NumPyFormatException>(() => npz.ReadFloat32("mask"));
        Assert.Equal("sample.npz", e.FileName);
        Assert.Equal("mask", e.ArrayName);
        Assert.Contains("missing", e.Message);
        Assert.Contains("ids, label, snr", e.Message);
    }

    [Fact]
    public void DTypeMismatch_NamesTheArray()
    {
        using var npz = new NpzReader(new MemoryStream(WriteSample(NpzCompression.Deflated)), "sample.npz");
        var e = Assert.Throws<NumPyFormatException>(() => npz.ReadUInt8("snr"));
        Assert.Contains("sample.npz: array 'snr': dtype mismatch", e.Message);
    }

    [Fact]
    public void EntryShorterThanItsHeaderSays_IsAByteCountMismatch()
    {
        using var npy = new MemoryStream();
        NpyWriter.Write<float>(npy, new float[] { 1, 2, 3 }, 3);
        byte[] cut = npy.ToArray()[..^4];
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using Stream s = zip.CreateEntry("x.npy").Open();
            s.Write(cut);
        }

        using var npz = new NpzReader(new MemoryStream(ms.ToArray()), "cut.npz");
        var e = Assert.Throws<NumPyFormatException>(() => npz.ReadFloat32("x"));
        Assert.Contains("byte count mismatch", e.Message);
        Assert.Equal("x", e.ArrayName);
    }

    [Fact]
    public void TruncatedArchive_IsRejectedWithTheFileName()
    {
        byte[] bytes = WriteSample(NpzCompression.Deflated);
        var e = Assert.Throws<NumPyFormatException>(() => new NpzReader(new MemoryStream(bytes[..(bytes.Length / 2)]), "half.npz"));
        Assert.Contains("half.npz", e.Message);
    }

    [Fact]
    public void NotAZip_IsRejected()
    {
        var e = Assert.Throws<NumPyFormatException>(() => new NpzReader(new MemoryStream(new byte[100]), "zeros.npz"));
        Assert.Contains("zeros.npz", e.Message);
    }

    [Fact]
    public void CorruptDeflateData_IsRejectedWithTheArrayName()
    {
        byte[] bytes = WriteSample(NpzCompression.Deflated);
        // Local header of the first entry is 30 bytes + "snr.npy" (7); corrupt the compressed stream after it.
        for (int i = 37; i < 45; i++)
        {
            bytes[i] ^= 0xFF;
        }

        using var npz = new NpzReader(new MemoryStream(bytes), "bad.npz");
        var e = Assert.ThrowsAny<NumPyFormatException>(() => npz.ReadFloat32("snr"));
        Assert.Equal("snr", e.ArrayName);
    }

    [Fact]
    public void Writer_RejectsDuplicateAndPathNames()
    {
        using var npz = new NpzWriter(new MemoryStream(), NpzCompression.Stored);
        npz.WriteArray<byte>("a", new byte[1], 1);
        Assert.Throws<ArgumentException>(() => npz.WriteArray<byte>("a", new byte[1], 1));
        Assert.Throws<ArgumentException>(() => npz.WriteArray<byte>("x/y", new byte[1], 1));
    }
}
