using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// Generated C against the engine's scalar reference on networks the shipped models do not exercise (odd sizes, 5x5,
/// 'valid', channel counts that leave block tails, pooling first, pooling twice, no ReLU before a fused pool) with
/// random parameters at the extremes of the scheme: weights ±127, zero points -128 and 127, multipliers 0 and up to
/// 2^31 - 1, shifts -31 and up to +30 (left shifts wrap), biases up to ±2^24 and at the int32 ends (sums wrap); inputs at
/// -128 and 127. Compiled with -fsanitize=undefined: no undefined behaviour on the way.
/// </summary>
public sealed class ExtremeModelTests
{
    private const string Driver = """
        #include <stdio.h>
        #include "model.h"
        /* stdin: u32 count, then per input int8[MODEL_INPUT_BYTES]; stdout per input: every step's output (the plan
         * cut after step k), then i32 raw logit, i32 decision of the whole model */
        int main(void)
        {
            static int8_t input[MODEL_INPUT_BYTES];
            static int8_t scratch[MODEL_SCRATCH_BYTES];
            uint32_t count = 0;
            if (fread(&count, 4, 1, stdin) != 1) return 2;
            for (uint32_t a = 0; a < count; a++) {
                if (fread(input, 1, MODEL_INPUT_BYTES, stdin) != MODEL_INPUT_BYTES) return 2;
                ecl_i8_result r = { -1000, -1 };
                for (uint32_t k = 1; k <= model_model.step_count; k++) {
                    ecl_i8_model prefix = model_model;
                    const ecl_i8_step *s = &model_model.steps[k - 1];
                    prefix.step_count = k;
                    for (uint32_t i = 0; i < MODEL_INPUT_BYTES; i++) scratch[model_model.input_offset + i] = input[i];
                    ecl_i8_run(&prefix, scratch, &r);
                    fwrite(scratch + s->destination, 1, (size_t)(s->out.height * s->out.width * s->out.channels), stdout);
                }
                model_classify_quantized(input, &r);
                fwrite(&r.raw_logit, 4, 1, stdout);
                fwrite(&r.is_true_alert, 4, 1, stdout);
            }
            return 0;
        }
        """;

    public static TheoryData<string> Networks() => ["OddTails", "PoolFirst", "ValidNoRelu"];

    private static NetworkDescription Network(string name) => name switch
    {
        // 37 and 6 channels leave tails of the 4-channel blocks; 13x11 pools with a floor; 5x5 'same'; dropout.
        "OddTails" => new NetworkDescription(
        [
            new InputLayer(13, 11), new ConcatenateLayer(),
            new Conv2DLayer(37, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(),
            new Conv2DLayer(6, 5, Padding.Same, Activation.Relu), new Conv2DLayer(9, 3, Padding.Valid, Activation.Relu),
            new GlobalAveragePoolLayer(), new DenseLayer(7, Activation.Relu), new DropoutLayer(0.25f),
            new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // A pool on the input, a pool after a pool, a flatten into dense.
        "PoolFirst" => new NetworkDescription(
        [
            new InputLayer(17, 18), new ConcatenateLayer(), new MaxPool2DLayer(),
            new Conv2DLayer(8, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(), new MaxPool2DLayer(),
            new FlattenLayer(), new DenseLayer(5, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // 'valid' 5x5 without ReLU, then a fused pool on an odd size; dense without ReLU in the middle.
        _ => new NetworkDescription(
        [
            new InputLayer(12, 9), new ConcatenateLayer(),
            new Conv2DLayer(12, 5, Padding.Valid, Activation.None), new MaxPool2DLayer(),
            new Conv2DLayer(4, 3, Padding.Same, Activation.Relu), new FlattenLayer(),
            new DenseLayer(8, Activation.None), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void GeneratedCodeMatchesTheReferenceAtTheExtremes(string name)
    {
        NetworkDescription network = Network(name);
        for (int seed = 0; seed < 2; seed++)
        {
            ModelDocument document = ExtremeRandom(network, seed);
            byte[] file = EclwWriter.ToBytes(document);
            Int8Context reference = Int8Model.Load(file, KernelPath.Scalar).CreateContext();
            var inputs = Enumerable.Range(0, 12).Select(i => RandomInput(network, (seed * 100) + i)).ToList();
            using var stdin = new MemoryStream();
            stdin.Write(BitConverter.GetBytes((uint)inputs.Count));
            foreach (sbyte[] q in inputs)
            {
                stdin.Write(MemoryMarshal.AsBytes(q.AsSpan()));
            }
            byte[] output = GeneratedCodeTests.RunGenerated(file, Driver, stdin.ToArray());
            CStepPlan plan = CStepPlan.Create(network, Int8Parameters.FromDocument(document));
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
                    Assert.True(want.SequenceEqual(got), $"{name} seed {seed}: layer {s.LayerIndex} ({s.Operation}) differs");
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

    private static ModelDocument ExtremeRandom(NetworkDescription network, int seed)
    {
        var random = new Random(seed + 17);
        var layers = new List<Int8LayerParameters>();
        foreach (LayerInfo info in network.LayerInfos.Where(l => l.Spec is Conv2DLayer or DenseLayer))
        {
            int cout = info.OutputShape.Channels;
            long n = info.Spec is Conv2DLayer c ? (long)c.KernelSize * c.KernelSize * info.InputShape.Channels * cout : info.InputShape.Size * cout;
            var w = new sbyte[n];
            for (int i = 0; i < w.Length; i++)
            {
                int r = random.Next(10);
                w[i] = (sbyte)(r == 0 ? 127 : r == 1 ? -127 : random.Next(-127, 128));
            }
            var bias = new int[cout];
            var multiplier = new int[cout];
            var shift = new int[cout];
            for (int o = 0; o < cout; o++)
            {
                int b = random.Next(25);
                // Now and then a bias at the int32 ends: the sums wrap, as the reference's unchecked int32 does.
                bias[o] = b == 0 ? int.MaxValue - random.Next(1 << 20) : b == 1 ? int.MinValue + random.Next(2) : random.Next(-(1 << 24), 1 << 24);
                multiplier[o] = random.Next(20) == 0 ? 0 : random.Next(1 << 30, int.MaxValue);
                int s = random.Next(20);
                shift[o] = s == 0 ? -31 : s == 1 ? 30 : s == 2 ? random.Next(1, 8) : random.Next(-20, -8);
            }
            int zp = random.Next(4) == 0 ? (random.Next(2) == 0 ? -128 : 127) : random.Next(-128, 128);
            layers.Add(new Int8LayerParameters(info.Index, w, bias, Enumerable.Repeat(0.01f, cout).ToArray(), multiplier, shift, 0.05f, zp));
        }
        // A random decision threshold, with the integer one the engine insists on (derived from it at load).
        float probability = (float)random.NextDouble();
        int threshold = Int8Decision.IntegerThreshold(probability, layers[^1].OutputScale, layers[^1].OutputZeroPoint);
        var parameters = new Int8Parameters(random.Next(1, 30), -100, threshold, layers);
        return new ModelDocument("extreme-" + seed, network, parameters.ToTensors(network)) { NumberFormat = NumberFormat.Int8, DecisionThreshold = probability };
    }

    private static sbyte[] RandomInput(NetworkDescription network, int seed)
    {
        var random = new Random(seed);
        var q = new sbyte[network.InputHeight * network.InputWidth * 2];
        for (int i = 0; i < q.Length; i++)
        {
            int r = random.Next(8);
            q[i] = (sbyte)(r == 0 ? -128 : r == 1 ? 127 : random.Next(-128, 128));
        }
        return q;
    }
}
