using System;
using System.IO;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

/// <summary>Damaged files must give the format's own exception, never an index, overflow or null-reference crash.</summary>
public class CorruptionTests
{
    private static byte[] SampleNpy()
    {
        using var ms = new MemoryStream();
        NpyWriter.Write<float>(ms, new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        return ms.ToArray();
    }

    private static byte[] SampleFits()
    {
        using var ms = new MemoryStream();
        AlertFitsFile.Write(FitsAlert.FromDataset(AlertDatasetTests.Sample(1), 0, "x"), ms);
        return ms.ToArray();
    }

    [Fact]
    public void Npy_TruncatedAtEveryLength_IsAFormatError()
    {
        byte[] file = SampleNpy();
        for (int n = 0; n < file.Length; n++)
        {
            Assert.Throws<NumPyFormatException>(() => NpyReader.Read<float>(new MemoryStream(file[..n]), "t.npy"));
        }
    }

    [Fact]
    public void Npy_RandomHeaderDamage_IsAFormatErrorOrStillValid()
    {
        byte[] good = SampleNpy();
        var random = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] file = (byte[])good.Clone();
            int hits = random.Next(1, 4);
            for (int k = 0; k < hits; k++)
            {
                file[random.Next(0, 64)] = (byte)random.Next(256);
            }

            try
            {
                NpyReader.Read<float>(new MemoryStream(file), "t.npy");
            }
            catch (NumPyFormatException)
            {
            }
        }
    }

    [Fact]
    public void Fits_HugeAxes_AreRefusedBeforeAllocating()
    {
        byte[] file = SampleFits();
        System.Text.Encoding.ASCII.GetBytes("NAXIS1  =           2000000000").CopyTo(file, 3 * 80);
        System.Text.Encoding.ASCII.GetBytes("NAXIS2  =           2000000000").CopyTo(file, 4 * 80);
        Assert.Contains("too large", Assert.Throws<FitsFormatException>(() => FitsReader.Read(new MemoryStream(file))).Message);
        System.Text.Encoding.ASCII.GetBytes("NAXIS1  =                20000").CopyTo(file, 3 * 80);
        System.Text.Encoding.ASCII.GetBytes("NAXIS2  =                20000").CopyTo(file, 4 * 80);
        Assert.Contains("truncated", Assert.Throws<FitsFormatException>(() => FitsReader.Read(new MemoryStream(file))).Message);
    }

    [Fact]
    public void Npy_HugeShape_IsRefusedBeforeAllocating()
    {
        using var ms = new MemoryStream();
        new NpyHeader(NpyDType.F4, new[] { 100_000_000 }).Write(ms);
        ms.Write(new byte[16]);
        var e = Assert.Throws<NumPyFormatException>(() => NpyReader.Read<float>(new MemoryStream(ms.ToArray()), "big.npy"));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Fits_TruncatedAtBlockAndCardBoundaries_IsAFormatError()
    {
        byte[] file = SampleFits();
        for (int n = 0; n < file.Length; n += 80)
        {
            Assert.Throws<FitsFormatException>(() => AlertFitsFile.Read(new MemoryStream(file[..n]), "t.fits"));
        }
    }

    [Fact]
    public void Fits_RandomHeaderDamage_IsAFormatErrorOrStillValid()
    {
        byte[] good = SampleFits();
        var random = new Random(11);
        for (int trial = 0; trial < 1000; trial++)
        {
            byte[] file = (byte[])good.Clone();
            int hits = random.Next(1, 4);
            for (int k = 0; k < hits; k++)
            {
                // damage the primary header's cards or the extension's, with printable and non-printable bytes
                int block = random.Next(2) == 0 ? 0 : good.Length - (3 * 2880); // primary header, or the MASK header before its 2 data blocks
                file[block + random.Next(0, 24 * 80)] = (byte)(random.Next(2) == 0 ? random.Next(32, 127) : random.Next(256));
            }

            try
            {
                AlertFitsFile.Read(new MemoryStream(file), "t.fits");
            }
            catch (FitsFormatException)
            {
            }
        }
    }
}
