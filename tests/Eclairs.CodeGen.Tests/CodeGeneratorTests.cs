using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.CodeGen.Tests;

public sealed class CodeGeneratorTests
{
    [Fact]
    public void SameModelGivesTheSameFiles()
    {
        byte[] model = RepositoryFiles.RandomCompactInt8;
        IReadOnlyList<CFile> a = CodeGenerator.Generate(model, "m");
        IReadOnlyList<CFile> b = CodeGenerator.Generate(model.ToArray(), "m");
        Assert.Equal(["m.h", "m.c"], a.Select(f => f.Name));
        Assert.Equal(a.Select(f => f.Text), b.Select(f => f.Text));
    }

    [Fact]
    public void FloatModelIsRefusedWithUnsupportedNumberFormat()
    {
        byte[] model = RepositoryFiles.Read("weights/eclairs-compact-v1.f32.eclw");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => CodeGenerator.Generate(model));
        Assert.Equal(ModelFormatError.UnsupportedNumberFormat, e.Error);
        Assert.Contains("int8", e.Message, StringComparison.Ordinal);
        Assert.Contains("eclairs quantize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptedModelIsRefusedByItsChecksum()
    {
        byte[] model = RepositoryFiles.RandomCompactInt8;
        model[model.Length / 2] ^= 0x40;
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => CodeGenerator.Generate(model));
        Assert.Equal(ModelFormatError.ChecksumMismatch, e.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Model")]
    [InlineData("9model")]
    [InlineData("my-model")]
    [InlineData("a_prefix_that_is_far_too_long_for_a_c_symbol_x")]
    public void BadPrefixIsRefused(string prefix)
    {
        Assert.Throws<ArgumentException>(() => CodeGenerator.Generate(RepositoryFiles.RandomCompactInt8, prefix));
    }

    [Theory]
    [InlineData("eclairs-compact-v1 int8", "eclairs_compact_v1_int8")]
    [InlineData("  --x--  ", "x")]
    [InlineData("7up", "ecl_7up")]
    [InlineData("", "ecl_model")]
    [InlineData("ÉCLAIRS", "clairs")]
    public void PrefixFromModelName(string name, string expected)
    {
        Assert.Equal(expected, CodeGenerator.PrefixFrom(name));
    }

    [Fact]
    public void KernelFilesShipWithTheGenerator()
    {
        foreach (string name in CodeGenerator.KernelFileNames)
        {
            string text = CodeGenerator.KernelFile(name);
            Assert.Contains("ecl_i8_", text, StringComparison.Ordinal);
            Assert.DoesNotContain("#include <stdio.h>", text, StringComparison.Ordinal);
            Assert.DoesNotContain("malloc", text, StringComparison.Ordinal);
        }
        Assert.Throws<ArgumentException>(() => CodeGenerator.KernelFile("nothing.c"));
    }

    /// <summary>Every generated parameter array, parsed back, equals the model's tensor (an independent reading of the file).</summary>
    [Fact]
    public void GeneratedArraysHoldTheModelsParameters()
    {
        byte[] file = RepositoryFiles.Read("weights/eclairs-compact-v1.int8.eclw");
        string source = CodeGenerator.Generate(file, "m")[1].Text;
        ModelDocument document = EclwReader.Read(file);
        var arrays = new Dictionary<string, long[]>();
        foreach (Match a in Regex.Matches(source, @"static const int(?:8|32)_t (m_layer\d+_\w+)\[(\d+)\] = \{([^}]*)\};"))
        {
            long[] values = a.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => v == "INT32_MIN" ? int.MinValue : long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(int.Parse(a.Groups[2].Value, CultureInfo.InvariantCulture), values.Length);
            arrays[a.Groups[1].Value] = values;
        }
        int checkedTensors = 0;
        foreach (TensorEntry t in document.Tensors)
        {
            string? suffix = t.Role switch
            {
                TensorRole.Weights => "weights",
                TensorRole.Bias => "bias",
                TensorRole.Multiplier => "multiplier",
                TensorRole.Shift => "shift",
                _ => null,
            };
            if (suffix is null)
            {
                continue;
            }
            byte[] raw = t.Data.ToArray();
            long[] expected = t.Role == TensorRole.Weights
                ? raw.Select(b => (long)(sbyte)b).ToArray()
                : Enumerable.Range(0, raw.Length / 4).Select(i => (long)BitConverter.ToInt32(raw, 4 * i)).ToArray();
            Assert.Equal(expected, arrays[$"m_layer{t.LayerIndex}_{suffix}"]);
            checkedTensors++;
        }
        Assert.Equal(6 * 4, checkedTensors); // four conv and two dense layers
    }
}
