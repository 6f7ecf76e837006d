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
        foreach (CTarget kernels in new[] { CTarget.Small, CTarget.Fast })
        {
            IReadOnlyList<CFile> a = CodeGenerator.Generate(model, "m", kernels);
            IReadOnlyList<CFile> b = CodeGenerator.Generate(model.ToArray(), "m", kernels);
            Assert.Equal(["m.h", "m.c"], a.Select(f => f.Name));
            Assert.Equal(a.Select(f => f.Text), b.Select(f => f.Text));
        }
        Assert.NotEqual(CodeGenerator.Generate(model, "m", CTarget.Small)[1].Text, CodeGenerator.Generate(model, "m", CTarget.Fast)[1].Text);
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

    [Fact]
    public void OnlyAModelWithResidualLayersShipsTheResidualKernels()
    {
        byte[] compact = RepositoryFiles.Read("weights/eclairs-compact-v1.int8.eclw");
        Assert.DoesNotContain("ecl_int8_residual.c", CodeGenerator.KernelFilesFor(CodeGenerator.Plan(compact, CTarget.Small)));
        Assert.DoesNotContain("ecl_int8_residual.c", CodeGenerator.KernelFilesFor(CodeGenerator.Plan(compact, CTarget.Fast)));
        byte[] residual = RepositoryFiles.Read("tests/codegen/fixtures/residual-tame.int8.eclw");
        Assert.Equal(["ecl_int8_kernels.h", "ecl_int8_bits.h", "ecl_int8_kernels.c", "ecl_int8_input.c", "ecl_int8_residual.c"],
            CodeGenerator.KernelFilesFor(CodeGenerator.Plan(residual, CTarget.Small)));
        Assert.Contains("ecl_int8_residual.c", CodeGenerator.KernelFilesFor(CodeGenerator.Plan(residual, CTarget.Fast)));
    }

    /// <summary>Every generated parameter array, parsed back, equals the model's tensor (an independent reading of the file).</summary>
    [Fact]
    public void GeneratedArraysHoldTheModelsParameters()
    {
        byte[] file = RepositoryFiles.Read("weights/eclairs-compact-v1.int8.eclw");
        Dictionary<string, long[]> arrays = Arrays(CodeGenerator.Generate(file, "m", CTarget.Small)[1].Text);
        ModelDocument document = EclwReader.Read(file);
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

    /// <summary>
    /// The fast kernels' arrays against independent computations from the file's tensors: the Winograd weights as
    /// diag(s) (G g G^T) diag(s) with Lavin's rational G in double precision (s = 2 for F(2x2), (4, 6, 6, 24, 24, 1) for
    /// F(4x4)), the folded bias as bias - zp * sum(w), and the dense pairs unpacked back into the two weights.
    /// </summary>
    [Theory]
    [InlineData("weights/eclairs-compact-v1.int8.eclw")]
    [InlineData("weights/eclairs-cnn-v1.int8.eclw")]
    public void FastArraysHoldTheTransformedParameters(string model)
    {
        byte[] file = RepositoryFiles.Read(model);
        Dictionary<string, long[]> arrays = Arrays(CodeGenerator.Generate(file, "m", CTarget.Fast)[1].Text);
        CStepPlan plan = CodeGenerator.Plan(file, CTarget.Fast);
        int winograd = 0, dense = 0;
        foreach (CStep step in plan.Steps.Where(s => s.Parameters is not null))
        {
            Int8LayerParameters p = step.Parameters!;
            int cin = step.In.Channels, cout = step.Out.Channels;
            string name = $"m_layer{step.LayerIndex}_";
            if (step.Kernel.FoldsZeroPoint())
            {
                long[] folded = arrays[name + "bias_folded"];
                for (int c = 0; c < cout; c++)
                {
                    long sum = 0;
                    for (int i = c; i < p.Weights.Length; i += cout)
                    {
                        sum += p.Weights[i];
                    }
                    Assert.Equal(unchecked((int)(p.Bias[c] - (step.InputZeroPoint * sum))), folded[c]);
                }
            }
            Assert.Equal(p.Multiplier.Select(v => (long)v), arrays[name + "multiplier"]);
            if (step.Kernel is CKernel.Winograd2 or CKernel.Winograd4)
            {
                AssertWinogradWeights(arrays[name + "transformed"], p.Weights, cin, cout, step.Kernel.WinogradTile());
                winograd++;
            }
            else if (step.Kernel == CKernel.Dense)
            {
                Assert.Equal(p.Weights.Select(v => (long)v), arrays[name + "weights"]);
                Assert.Equal(p.Bias.Select(v => (long)v), arrays[name + "bias"]);
            }
            else
            {
                Assert.Equal(CKernel.DensePairs, step.Kernel);
                long[] packed = arrays[name + "packed"];
                int inputs = (int)step.In.Size;
                for (int o = 0; o < cout; o++)
                {
                    for (int i = 0; i < inputs; i++)
                    {
                        long word = packed[((((o / 8) * inputs) + i) * 4) + ((o % 8) / 2)];
                        long low = ((word & 0xFFFFFF) ^ 0x800000) - 0x800000; // sign-extended low 24 bits
                        long value = o % 2 == 0 ? low : (word - low) >> 24;
                        Assert.Equal(p.Weights[(i * cout) + o], value);
                    }
                }
                dense++;
            }
        }
        Assert.True(winograd >= 2 && dense >= 1, $"{winograd} Winograd and {dense} paired dense steps");
    }

    private static void AssertWinogradWeights(long[] u, sbyte[] weights, int cin, int cout, int tile)
    {
        double[,] g = tile == 2
            ? new double[,] { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } }
            : new double[,] { { 1 / 4.0, 0, 0 }, { -1 / 6.0, -1 / 6.0, -1 / 6.0 }, { -1 / 6.0, 1 / 6.0, -1 / 6.0 },
                { 1 / 24.0, 1 / 12.0, 1 / 6.0 }, { 1 / 24.0, -1 / 12.0, 1 / 6.0 }, { 0, 0, 1 } };
        double[] scale = tile == 2 ? [2, 2, 2, 2] : [4, 6, 6, 24, 24, 1];
        int n = tile + 2, blocks = (cout + 7) / 8;
        Assert.Equal(n * n * blocks * cin * 8, u.Length);
        for (int co = 0; co < blocks * 8; co++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0;
                        for (int a = 0; a < 3 && co < cout; a++)
                        {
                            for (int b = 0; b < 3; b++)
                            {
                                sum += g[i, a] * weights[((((a * 3) + b) * cin) + ci) * cout + co] * g[j, b];
                            }
                        }
                        long expected = (long)Math.Round(sum * scale[i] * scale[j]);
                        Assert.Equal(expected, u[((((((i * n) + j) * blocks) + (co / 8)) * cin) + ci) * 8 + (co % 8)]);
                    }
                }
            }
        }
    }

    private static Dictionary<string, long[]> Arrays(string source)
    {
        var arrays = new Dictionary<string, long[]>();
        foreach (Match a in Regex.Matches(source, @"static const u?int(?:8|16|32)_t (m_layer\d+_\w+)\[(\d+)\] = \{([^}]*)\};"))
        {
            long[] values = a.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => v == "INT32_MIN" ? int.MinValue : long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(int.Parse(a.Groups[2].Value, CultureInfo.InvariantCulture), values.Length);
            arrays[a.Groups[1].Value] = values;
        }
        return arrays;
    }
}
