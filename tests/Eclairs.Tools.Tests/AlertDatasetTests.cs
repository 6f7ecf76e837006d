using System;
using System.IO;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

public class AlertDatasetTests
{
    internal static AlertDataset Sample(int count)
    {
        AlertDataset d = AlertDataset.Allocate(count);
        var random = new Random(42);
        for (int i = 0; i < count; i++)
        {
            Span<float> snr = d.SnrOf(i);
            Span<byte> mask = d.MaskOf(i);
            for (int p = 0; p < snr.Length; p++)
            {
                snr[p] = (float)(random.NextDouble() * 6 - 3);
                mask[p] = 1;
            }

            if (i % 2 == 1)
            {
                mask[..(56 * 10)].Clear(); // a partial image: top rows missing
            }

            mask[28 * 56 + 28] = 3;
            mask[10 * 56 + 40] = 2;
            d.Label[i] = (byte)(i % 3);
            d.Cause[i] = (byte)(i % 7);
            d.PeakSnr[i] = 6.5f + i;
            d.SkyY[i] = 100.5f - i;
            d.SkyZ[i] = 50f + i;
            d.OffAxis[i] = 12.25f;
            d.Azimuth[i] = 270f - i;
        }

        d.ComputePartial();
        return d;
    }

    [Fact]
    public void RoundTrip_KeepsEveryField_AndUsesTheDocumentedLayout()
    {
        AlertDataset d = Sample(5);
        using var ms = new MemoryStream();
        AlertDatasetFile.Write(d, ms);
        ms.Position = 0;
        using (var npz = new NpzReader(ms, "set.npz", leaveOpen: true))
        {
            Assert.Equal(new[] { 5, 56, 56 }, npz.ReadHeader("snr").Shape);
            Assert.Equal("<f4", npz.ReadHeader("snr").DType.Descr);
            Assert.Equal("|u1", npz.ReadHeader("mask").DType.Descr);
            Assert.Equal(new[] { 5, 56, 56 }, npz.ReadHeader("mask").Shape);
            foreach (string name in new[] { "label", "cause", "partial" })
            {
                Assert.Equal("|u1", npz.ReadHeader(name).DType.Descr);
                Assert.Equal(new[] { 5 }, npz.ReadHeader(name).Shape);
            }

            foreach (string name in new[] { "peak_snr", "sky_y", "sky_z", "offaxis", "azimuth" })
            {
                Assert.Equal("<f4", npz.ReadHeader(name).DType.Descr);
                Assert.Equal(new[] { 5 }, npz.ReadHeader(name).Shape);
            }
        }

        ms.Position = 0;
        AlertDataset back = AlertDatasetFile.Read(ms, "set.npz");
        Assert.Equal(d.Count, back.Count);
        Assert.Equal(d.Snr, back.Snr);
        Assert.Equal(d.Mask, back.Mask);
        Assert.Equal(d.Label, back.Label);
        Assert.Equal(d.Cause, back.Cause);
        Assert.Equal(d.PeakSnr, back.PeakSnr);
        Assert.Equal(new byte[] { 0, 1, 0, 1, 0 }, back.Partial);
        Assert.Equal(d.SkyY, back.SkyY);
        Assert.Equal(d.SkyZ, back.SkyZ);
        Assert.Equal(d.OffAxis, back.OffAxis);
        Assert.Equal(d.Azimuth, back.Azimuth);
    }

    [Fact]
    public void WithLabel_SelectsTheSlice()
    {
        AlertDataset d = Sample(7);
        AlertDataset unclear = d.WithLabel(AlertLabel.Unclear);
        Assert.Equal(2, unclear.Count);
        Assert.Equal(d.PeakSnr[2], unclear.PeakSnr[0]);
        Assert.Equal(d.PeakSnr[5], unclear.PeakSnr[1]);
        Assert.True(d.SnrOf(5).SequenceEqual(unclear.SnrOf(1)));
    }

    [Fact]
    public void Validation_CatchesBadMaskLabelAndPartial()
    {
        AlertDataset d = Sample(3);
        d.MaskOf(2)[56 * 3 + 4] = 4;
        Assert.Contains("mask[2] holds 4 at row 3, column 4", d.FindProblem());
        Assert.Throws<InvalidOperationException>(() => AlertDatasetFile.Write(d, new MemoryStream()));

        d = Sample(3);
        d.Label[1] = 3;
        Assert.Contains("label[1] = 3", d.FindProblem());

        d = Sample(3);
        d.Partial[0] = 1;
        Assert.Contains("partial[0]", d.FindProblem());
        Assert.Null(Sample(3).FindProblem());
    }

    [Fact]
    public void Constructor_RequiresConsistentLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => new AlertDataset(
            2, 56, new float[2 * 3136], new byte[2 * 3136], new byte[1], new byte[2], new float[2], new byte[2],
            new float[2], new float[2], new float[2], new float[2]));
        Assert.Contains("'label' has 1 elements, expected 2", e.Message);
    }

    [Fact]
    public void Read_RejectsInconsistentN_AndInvalidValues_NamingTheFile()
    {
        byte[] bytes = WriteWith(labelCount: 2, mask3: 1);
        var e = Assert.Throws<NumPyFormatException>(() => AlertDatasetFile.Read(new MemoryStream(bytes), "odd.npz"));
        Assert.Equal("label", e.ArrayName);
        Assert.Contains("odd.npz", e.Message);

        bytes = WriteWith(labelCount: 3, mask3: 9);
        e = Assert.Throws<NumPyFormatException>(() => AlertDatasetFile.Read(new MemoryStream(bytes), "odd.npz"));
        Assert.Contains("mask[1] holds 9", e.Message);
    }

    private static byte[] WriteWith(int labelCount, byte mask3)
    {
        const int n = 3;
        const int side = 4;
        var mask = new byte[n * side * side];
        mask.AsSpan().Fill(1);
        mask[side * side + 5] = mask3;
        using var ms = new MemoryStream();
        using (var npz = new NpzWriter(ms, NpzCompression.Stored, leaveOpen: true))
        {
            npz.WriteArray<float>("snr", new float[n * side * side], n, side, side);
            npz.WriteArray<byte>("mask", mask, n, side, side);
            npz.WriteArray<byte>("label", new byte[labelCount], labelCount);
            npz.WriteArray<byte>("cause", new byte[n], n);
            npz.WriteArray<float>("peak_snr", new float[n], n);
            npz.WriteArray<byte>("partial", new byte[n], n);
            foreach (string name in new[] { "sky_y", "sky_z", "offaxis", "azimuth" })
            {
                npz.WriteArray<float>(name, new float[n], n);
            }
        }

        return ms.ToArray();
    }
}
