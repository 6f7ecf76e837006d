using System;
using System.IO;
using System.Text;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

public class NpyTests
{
    private static byte[] Write<T>(T[] data, params int[] shape) where T : unmanaged
    {
        using var ms = new MemoryStream();
        NpyWriter.Write<T>(ms, data, shape);
        return ms.ToArray();
    }

    private static NdArray<T> Read<T>(byte[] bytes) where T : unmanaged
    {
        using var ms = new MemoryStream(bytes);
        return NpyReader.Read<T>(ms, "test.npy");
    }

    [Fact]
    public void Header_IsVersion1_AlignedTo64_NewlineTerminated_AndDataIsLittleEndian()
    {
        byte[] bytes = Write(new[] { 1.0f, -2.0f, 0.5f, 0f, 3f, 4f }, 2, 3);

        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = bytes[8] | (bytes[9] << 8);
        int dataOffset = 10 + headerLength;
        Assert.Equal(0, dataOffset % 64);
        Assert.Equal((byte)'\n', bytes[dataOffset - 1]);
        string dict = Encoding.ASCII.GetString(bytes, 10, headerLength).TrimEnd('\n').TrimEnd(' ');
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", dict);
        Assert.Equal(dataOffset + 24, bytes.Length);
        // IEEE 754 single: 1.0 = 0x3F800000, -2.0 = 0xC0000000, 0.5 = 0x3F000000, stored least significant byte first.
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0, 0x3F }, bytes[dataOffset..(dataOffset + 12)]);
    }

    [Theory]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new[] { 0, 56, 56 }, "(0, 56, 56)")]
    [InlineData(new[] { 1234567, 56, 56 }, "(1234567, 56, 56)")]
    public void ShapeTuple_IsWrittenAsPython(int[] shape, string expected)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        using var ms = new MemoryStream();
        var header = new NpyHeader(NpyDType.U1, shape);
        header.Write(ms);
        Assert.Contains($"'shape': {expected}, }}", Encoding.ASCII.GetString(ms.ToArray()));
        Assert.Equal(0, ms.Length % 64);
        Assert.Equal(count, header.ElementCount);
    }

    [Fact]
    public void Writer_MatchesNumPysBytesExactly()
    {
        byte[] ours = Write(new ushort[] { 1, 65535 }, 1, 2);
        Assert.Equal(NumPyReferenceFiles.SaveUInt16, ours);
    }

    [Fact]
    public void Reader_ReadsNumPysFile()
    {
        NdArray<ushort> a = Read<ushort>(NumPyReferenceFiles.SaveUInt16);
        Assert.Equal(new[] { 1, 2 }, a.Shape);
        Assert.Equal(new ushort[] { 1, 65535 }, a.Data);
    }

    [Fact]
    public void RoundTrip_EveryDType()
    {
        RoundTrip(new[] { float.MinValue, -0f, float.Epsilon, float.NaN, float.PositiveInfinity }, "<f4");
        RoundTrip(new[] { double.MaxValue, -1.25, Math.PI }, "<f8");
        RoundTrip(new sbyte[] { -128, 0, 127 }, "|i1");
        RoundTrip(new byte[] { 0, 3, 255 }, "|u1");
        RoundTrip(new short[] { short.MinValue, -1, short.MaxValue }, "<i2");
        RoundTrip(new ushort[] { 0, 0x1234, ushort.MaxValue }, "<u2");
        RoundTrip(new[] { int.MinValue, 0x12345678, int.MaxValue }, "<i4");
        RoundTrip(new[] { 0u, 0x89ABCDEFu }, "<u4");
        RoundTrip(new[] { long.MinValue, 0x0102030405060708L }, "<i8");
        RoundTrip(new[] { ulong.MaxValue, 7UL }, "<u8");
    }

    private static void RoundTrip<T>(T[] data, string descr) where T : unmanaged
    {
        byte[] bytes = Write(data, data.Length);
        Assert.Contains($"'descr': '{descr}'", Encoding.ASCII.GetString(bytes, 0, 64));
        NdArray<T> back = Read<T>(bytes);
        Assert.Equal(data, back.Data);
        Assert.Equal(new[] { data.Length }, back.Shape);
    }

    [Fact]
    public void LargeArray_CrossesTheWriteChunks()
    {
        var data = new float[100_003];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i * 0.25f - 7f;
        }

        Assert.Equal(data, Read<float>(Write(data, data.Length)).Data);
    }

    [Fact]
    public void BigEndianFile_IsSwappedOnRead()
    {
        byte[] bytes = Write(new[] { 0x01020304 }, 1);
        int offset = bytes.Length - 4;
        Encoding.ASCII.GetBytes(">i4").CopyTo(bytes, 10 + "{'descr': '".Length);
        bytes.AsSpan(offset, 4).Reverse();
        Assert.Equal(new[] { 0x01020304 }, Read<int>(bytes).Data);
    }

    [Fact]
    public void BadMagic_IsRejected()
    {
        byte[] bytes = Write(new byte[] { 1 }, 1);
        bytes[1] = (byte)'X';
        var e = Assert.Throws<NumPyFormatException>(() => Read<byte>(bytes));
        Assert.Contains("bad magic", e.Message);
        Assert.Contains("test.npy", e.Message);
    }

    [Fact]
    public void TruncatedData_IsRejected()
    {
        byte[] bytes = Write(new float[] { 1, 2, 3 }, 3);
        var e = Assert.Throws<NumPyFormatException>(() => Read<float>(bytes[..^1]));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TruncatedHeader_IsRejected()
    {
        byte[] bytes = Write(new float[] { 1 }, 1);
        var e = Assert.Throws<NumPyFormatException>(() => Read<float>(bytes[..30]));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TrailingBytes_AreAByteCountMismatch()
    {
        byte[] bytes = [.. Write(new float[] { 1 }, 1), 0];
        var e = Assert.Throws<NumPyFormatException>(() => Read<float>(bytes));
        Assert.Contains("byte count mismatch", e.Message);
    }

    [Fact]
    public void DTypeMismatch_NamesBothTypes()
    {
        byte[] bytes = Write(new float[] { 1 }, 1);
        var e = Assert.Throws<NumPyFormatException>(() => Read<byte>(bytes));
        Assert.Contains("'<f4'", e.Message);
        Assert.Contains("'|u1'", e.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "Fortran")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "unsupported dtype")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "malformed")]
    [InlineData("{'descr': '<f4', 'shape': (1,), }", "exactly the keys")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1), }", "malformed")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "malformed")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) ", "malformed")]
    public void MalformedHeaders_AreRejected(string dict, string expected)
    {
        var bytes = new byte[128];
        bytes.AsSpan().Fill((byte)' ');
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 }.CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(dict).CopyTo(bytes, 10);
        bytes[127] = (byte)'\n';
        byte[] file = [.. bytes, 0, 0, 0x80, 0x3F];
        var e = Assert.Throws<NumPyFormatException>(() => Read<float>(file));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Writer_RejectsShapeThatDoesNotMatchData()
    {
        Assert.Throws<ArgumentException>(() => Write(new float[5], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Write(Array.Empty<float>(), -1));
    }
}
