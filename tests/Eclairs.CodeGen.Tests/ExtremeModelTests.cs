using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Globalization;
using System.Text;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// Generated C against the engine's scalar reference on networks the shipped models do not exercise (odd sizes, 5x5,
/// 'valid', channel counts that leave block tails, pooling first, pooling twice, no ReLU before a fused pool) with
/// random parameters at the extremes of the scheme: weights ±127, zero points -128 and 127, multipliers 0 and up to
/// 2^31 - 1, shifts -31 and up to +30 (left shifts wrap), biases up to ±2^24 and at the int32 ends (sums wrap); inputs at
/// -128 and 127. Compiled with -fsanitize=undefined: no undefined behaviour on the way. Both kernel sets: every step of
/// the small and of the fast plan (Winograd F(4x4) and F(2x2), pooled both ways, overhanging tiles, the paired dense)
/// must equal the engine's step.
/// </summary>
public sealed class ExtremeModelTests
{
    /// <summary>
    /// A driver that runs the generated plan one step at a time through the public step table, as the generated run
    /// function does, and writes every step's output; then the whole classification.
    /// stdin: u32 count, then per input int8[MODEL_INPUT_BYTES]; stdout per input: every step's output, then i32 raw
    /// logit, i32 decision of model_classify_quantized.
    /// </summary>
    internal static string StepDriver(CStepPlan plan)
    {
        var calls = new StringBuilder();
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            CStep s = plan.Steps[i];
            string w = s.Kernel.NeedsWorkspace() ? ", &w" : "";
            string residual = s.Residual >= 0 ? $"&scratch[{s.Residual}], " : "";
            calls.Append(CultureInfo.InvariantCulture, $"                {s.Kernel.Function()}(&model_steps[{i}], &scratch[{s.Source}], {residual}&scratch[{s.Destination}]{w});\n");
            calls.Append(CultureInfo.InvariantCulture, $"                fwrite(&scratch[{s.Destination}], 1, {s.Out.Size}u, stdout);\n");
        }
        return $$"""
            #include <stdio.h>
            #include "model.h"
            static int8_t input[MODEL_INPUT_BYTES];
            static int8_t scratch[MODEL_SCRATCH_BYTES];
            static int8_t band[MODEL_WORK_BAND_BYTES];
            static int16_t v[MODEL_WORK_V_VALUES];
            static uint32_t m[MODEL_WORK_M_VALUES];
            int main(void)
            {
                const ecl_i8_workspace w = { band, v, m };
                uint32_t count = 0;
                (void)w;
                if (fread(&count, 4, 1, stdin) != 1) return 2;
                for (uint32_t a = 0; a < count; a++) {
                    ecl_i8_result r = { -1000, -1 };
                    if (fread(input, 1, MODEL_INPUT_BYTES, stdin) != MODEL_INPUT_BYTES) return 2;
                    for (uint32_t i = 0; i < MODEL_INPUT_BYTES; i++) scratch[{{plan.InputOffset}}u + i] = input[i];
            {{calls}}
                    model_classify_quantized(input, &r);
                    fwrite(&r.raw_logit, 4, 1, stdout);
                    fwrite(&r.is_true_alert, 4, 1, stdout);
                }
                return 0;
            }
            """;
    }

    public static TheoryData<string, CTarget> Networks()
    {
        var data = new TheoryData<string, CTarget>();
        foreach (string name in ExtremeModels.Names)
        {
            data.Add(name, CTarget.Small);
            data.Add(name, CTarget.Fast);
        }
        return data;
    }


    /// <summary>
    /// Seed 0 has left shifts and biases at the int32 ends (so the fast kernels pool the requantized outputs), seed 1
    /// none (they pool the sums, the engine's fusion); the fast plans of the four networks hold every fast kernel.
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void GeneratedCodeMatchesTheReferenceAtTheExtremes(string name, CTarget kernels)
    {
        NetworkDescription network = ExtremeModels.Network(name);
        for (int seed = 0; seed < 2; seed++)
        {
            ModelDocument document = ExtremeModels.Random(network, seed, tame: seed == 1);
            byte[] file = EclwWriter.ToBytes(document);
            Int8Context reference = Int8Model.Load(file, new ModelOptions { KernelPath = KernelPath.Scalar, KeepEveryStep = true }).CreateContext();
            var inputs = Enumerable.Range(0, 12).Select(i => ExtremeModels.RandomInput(network, (seed * 100) + i)).ToList();
            using var stdin = new MemoryStream();
            stdin.Write(BitConverter.GetBytes((uint)inputs.Count));
            foreach (sbyte[] q in inputs)
            {
                stdin.Write(MemoryMarshal.AsBytes(q.AsSpan()));
            }
            CStepPlan plan = CodeGenerator.Plan(file, kernels);
            byte[] output = GeneratedCodeTests.RunGenerated(file, StepDriver(plan), stdin.ToArray(), kernels);
            if (kernels == CTarget.Fast)
            {
                AssertFastKernels(name, seed, plan);
            }
            var seen = new HashSet<sbyte>();
            int offset = 0;
            foreach (sbyte[] q in inputs)
            {
                Int8ClassificationResult expected = reference.ClassifyQuantized(q);
                int step = 1; // the engine's step 0 is the input
                foreach (CStep s in plan.Steps)
                {
                    if (s.Operation == COperation.Conv2DMaxPool)
                    {
                        step++; // the engine stores the convolution, then the pooling: compare with the pooling
                    }
                    sbyte[] want = reference.StepOutput(step).ToArray();
                    sbyte[] got = MemoryMarshal.Cast<byte, sbyte>(output.AsSpan(offset, (int)s.Out.Size)).ToArray();
                    Assert.True(want.SequenceEqual(got), $"{name} seed {seed}: layer {s.LayerIndex} ({s.Kernel}, {s.Pool}) differs");
                    seen.UnionWith(got);
                    offset += (int)s.Out.Size;
                    step++;
                }
                Assert.Equal(reference.StepCount, step);
                Assert.Equal(expected.RawLogit, BitConverter.ToInt32(output, offset));
                Assert.Equal(expected.IsTrueAlert ? 1 : 0, BitConverter.ToInt32(output, offset + 4));
                offset += 8;
            }
            Assert.Equal(output.Length, offset);
            Assert.True(seen.Count >= 8, $"{name}: only {seen.Count} distinct int8 values in every step output: the comparison would prove little");
        }
    }

    /// <summary>The fast plan of each network uses the kernels it was written to exercise.</summary>
    private static void AssertFastKernels(string name, int seed, CStepPlan plan)
    {
        CPool pooled = seed == 1 ? CPool.MaxOfSums : CPool.MaxOfOutputs;
        var kernels = plan.Steps.Select(s => (s.Kernel, s.Pool)).ToList();
        (CKernel, CPool)[] expected = name switch
        {
            "OddTails" => [(CKernel.Winograd4, pooled), (CKernel.Conv2D, CPool.None), (CKernel.Winograd4, CPool.None),
                (CKernel.GlobalAveragePool, CPool.None), (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
            "PoolFirst" => [(CKernel.MaxPool, CPool.None), (CKernel.Winograd4, pooled), (CKernel.MaxPool, CPool.None),
                (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
            "WideWinograd" => [(CKernel.Winograd4, CPool.None), (CKernel.Winograd2, pooled), (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
            "CoverageA" => [(CKernel.MaxPool, CPool.None), (CKernel.Conv2DMaxPool, CPool.None), (CKernel.Winograd4, CPool.None), (CKernel.Winograd2, pooled),
                (CKernel.Winograd4, CPool.None), (CKernel.GlobalAveragePool, CPool.None), (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
            "Tiny" => [(CKernel.Winograd4, pooled), (CKernel.Conv2DMaxPool, CPool.None), (CKernel.GlobalAveragePool, CPool.None),
                (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
            "CoverageB" => [(CKernel.Winograd4, pooled), (CKernel.Winograd4, pooled), (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
            // The residual steps run the same plain kernels in both sets; the 3x3 stride-1 layers take Winograd.
            "Residual" => [(CKernel.Winograd4, pooled), (CKernel.Winograd4, CPool.None), (CKernel.Winograd4, CPool.None), (CKernel.Add, CPool.None),
                (CKernel.StridedConv2D, CPool.None), (CKernel.Winograd4, CPool.None), (CKernel.StridedConv2D, CPool.None), (CKernel.Add, CPool.None),
                (CKernel.AveragePool, CPool.None), (CKernel.StridedConv2D, CPool.None), (CKernel.GlobalAveragePool, CPool.None), (CKernel.DensePairs, CPool.None)],
            "ResidualSmall" => [(CKernel.Winograd4, CPool.None), (CKernel.Add, CPool.None), (CKernel.AveragePool, CPool.None), (CKernel.StridedConv2D, CPool.None),
                (CKernel.StridedConv2D, CPool.None), (CKernel.Winograd4, CPool.None), (CKernel.Add, CPool.None), (CKernel.StridedConv2D, CPool.None),
                (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
            _ => [(CKernel.Conv2DMaxPool, CPool.None), (CKernel.Winograd4, CPool.None), (CKernel.DensePairs, CPool.None), (CKernel.DensePairs, CPool.None)],
        };
        Assert.Equal(expected, kernels);
    }

}
