using System;
using System.Collections.Generic;
using System.IO;
using Eclairs.Budget;
using Xunit;

namespace Eclairs.Budget.Tests;

public class FileTests
{
    private const string Counts =
        "target\tbuild\tkernels\tmodel\tcalls\tinstructions_per_inference_run1\tinstructions_per_inference_run2\tlibrary_bytes\tcounter\n"
        + "x64\tx64-baseline\tVector128-SSE\teclairs-cnn-v1.f32\t2\t14478805.0\t14478805.0\t1617792\tcallgrind\n"
        + "\n"
        + "arm64\tarmv8-a\tVector128-NEON\teclairs-cnn-v1.f32\t10\t6775588.5\t6775583.8\t1500000\tqemu\r\n";

    [Fact]
    public void InstructionCountsAreReadByColumnName()
    {
        IReadOnlyList<InstructionCount> rows = InstructionCounts.Parse(Counts);
        Assert.Equal(2, rows.Count);
        Assert.Equal("x64-baseline", rows[0].Build);
        Assert.Equal(14_478_805, rows[0].PerInference);
        Assert.Equal(0, rows[0].Spread);
        Assert.Equal(1_617_792, rows[0].LibraryBytes);
        Assert.Equal("qemu", rows[1].Counter);
        Assert.Equal(10, rows[1].Calls);
        Assert.Equal(4.7, rows[1].Spread, 6);
        Assert.Equal((6775588.5 + 6775583.8) / 2, rows[1].PerInference, 6);
    }

    [Fact]
    public void ColumnsMayComeInAnyOrder()
    {
        string text = "model\tfits_64k\tkernels\tinstructions_per_inference\ttext_bytes\trodata_bytes\tbss_bytes\ttarget\tstack_bytes\tinputs\tworst_case_instructions\n"
            + "eclairs-compact-v1.int8\tyes\tsmall\t123456789\t20000\t45000\t30000\tleon3\t496\t70\t123456957\n";
        LeonMeasurement row = Assert.Single(LeonMeasurements.Parse(text));
        Assert.Equal("eclairs-compact-v1.int8", row.Model);
        Assert.Equal("leon3", row.Target);
        Assert.Equal("small", row.Kernels);
        Assert.Equal(123_456_789, row.InstructionsPerInference);
        Assert.Equal(123_456_957, row.WorstCaseInstructions);
        Assert.Equal(70, row.Inputs);
        Assert.Equal(20_000, row.TextBytes);
        Assert.Equal(45_000, row.RodataBytes);
        Assert.Equal(30_000, row.BssBytes);
        Assert.Equal(496, row.StackBytes);
        Assert.Equal("yes", row.Fits64K);
    }

    [Theory]
    [InlineData("target\tbuild\n", "no column 'kernels'")]
    [InlineData("", "no header")]
    public void BadHeadersAreRefused(string text, string message)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => InstructionCounts.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadCellsAreRefusedWithTheirLineAndColumn()
    {
        string header = Counts.Split('\n')[0] + "\n";
        InvalidDataException shortLine = Assert.Throws<InvalidDataException>(() => InstructionCounts.Parse(header + "x64\tb\n"));
        Assert.Contains("line 2", shortLine.Message, StringComparison.Ordinal);
        InvalidDataException notANumber = Assert.Throws<InvalidDataException>(() =>
            InstructionCounts.Parse(header + "x64\tb\tk\tm\t2\tmany\t1\t0\tc\n"));
        Assert.Contains("instructions_per_inference_run1", notANumber.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => InstructionCounts.Parse(header + "x64\tb\tk\tm\t2\tNaN\t1\t0\tc\n"));
    }

    [Fact]
    public void FirstAlertOfAVectorFile()
    {
        const int pixels = 4;
        var file = new byte[20 + (2 * ((5 * pixels) + 12))];
        "ECLV"u8.CopyTo(file);
        file[4] = 1; // version
        file[8] = 2; // two records
        float[] snr = [1.5f, -2f, float.NaN, 1e30f];
        for (int i = 0; i < pixels; i++)
        {
            BitConverter.GetBytes(snr[i]).CopyTo(file, 20 + (4 * i));
            file[20 + (4 * pixels) + i] = (byte)i;
        }
        (float[] s, byte[] m) = VectorFileAlert.ReadFirst(file, pixels);
        Assert.Equal(snr, s);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, m);

        file[0] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => VectorFileAlert.ReadFirst(file, pixels));
        file[0] = (byte)'E';
        Assert.Throws<InvalidDataException>(() => VectorFileAlert.ReadFirst(file.AsSpan(0, 30), pixels));
    }
}
