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
/// The generated C at the integer edge of requantization (docs/int8.md): an MBQM result within 128 of ±2^31 saturates
/// like the engine (clamp before the zero point is added), instead of overflowing the int32 sum, which is undefined in
/// C (the build runs under -fsanitize=undefined, so the old order fails loudly) and flipped the decision.
/// </summary>
public sealed class IntegerEdgeTests
{
    private const string Driver = """
        #include <stdio.h>
        #include "model.h"
        /* stdin: u32 count, then per input int8[MODEL_INPUT_BYTES]; stdout per input: i32 raw logit, i32 decision */
        int main(void)
        {
            static int8_t input[MODEL_INPUT_BYTES];
            uint32_t count = 0;
            if (fread(&count, 4, 1, stdin) != 1) return 2;
            for (uint32_t a = 0; a < count; a++) {
                if (fread(input, 1, MODEL_INPUT_BYTES, stdin) != MODEL_INPUT_BYTES) return 2;
                ecl_i8_result r = { -1000, -1 };
                model_classify_quantized(input, &r);
                fwrite(&r.raw_logit, 4, 1, stdout);
                fwrite(&r.is_true_alert, 4, 1, stdout);
            }
            return 0;
        }
        """;

    [Fact]
    public void Generated_code_saturates_where_the_zero_point_sum_would_overflow()
    {
        var network = new NetworkDescription(
        [
            new InputLayer(6, 6), new ConcatenateLayer(),
            new Conv2DLayer(4, 3, Padding.Same, Activation.None), new MaxPool2DLayer(),
            new FlattenLayer(), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]);
        var random = new Random(3);
        var layers = new List<Int8LayerParameters>();
        foreach (LayerInfo info in network.LayerInfos.Where(l => l.Spec is Conv2DLayer or DenseLayer))
        {
            int cout = info.OutputShape.Channels;
            bool last = info.Spec is DenseLayer;
            long n = info.Spec is Conv2DLayer c ? (long)c.KernelSize * c.KernelSize * info.InputShape.Channels * cout : info.InputShape.Size * cout;
            var w = new sbyte[n];
            for (int i = 0; i < w.Length; i++)
            {
                // Output channel 0 has zero weights, so its sum is its bias exactly; the others are random.
                w[i] = i % cout == 0 ? (sbyte)0 : (sbyte)random.Next(-127, 128);
            }
            int[] bias = [.. Enumerable.Range(0, cout).Select(o => o == 0 ? (last ? int.MaxValue : -int.MaxValue) : random.Next(-1000, 1000))];
            int[] multiplier = [.. Enumerable.Range(0, cout).Select(o => o == 0 ? int.MaxValue : 1 << 30)];
            int[] shift = [.. Enumerable.Range(0, cout).Select(o => o == 0 ? 0 : -8)];
            layers.Add(new Int8LayerParameters(info.Index, w, bias, Enumerable.Repeat(0.01f, cout).ToArray(), multiplier, shift, 0.05f, last ? 127 : -128));
        }
        int threshold = Int8Decision.IntegerThreshold(0.5f, layers[^1].OutputScale, layers[^1].OutputZeroPoint);
        var parameters = new Int8Parameters(9, -100, threshold, layers);
        byte[] file = EclwWriter.ToBytes(new ModelDocument("edge", network, parameters.ToTensors(network)) { NumberFormat = NumberFormat.Int8 });
        Int8Context reference = Int8Model.Load(file, KernelPath.Scalar).CreateContext();
        var inputs = Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 72).Select(k => (sbyte)random.Next(-128, 128)).ToArray()).ToList();
        using var stdin = new MemoryStream();
        stdin.Write(BitConverter.GetBytes((uint)inputs.Count));
        foreach (sbyte[] q in inputs)
        {
            stdin.Write(MemoryMarshal.AsBytes(q.AsSpan()));
        }
        byte[] output = GeneratedCodeTests.RunGenerated(file, Driver, stdin.ToArray());
        Assert.Equal(8 * inputs.Count, output.Length);
        for (int i = 0; i < inputs.Count; i++)
        {
            Int8ClassificationResult expected = reference.ClassifyQuantized(inputs[i]);
            // MBQM(2^31 − 1, 2^31 − 1, 0) = 2^31 − 2, plus 127: the exact clamp is 127 (the int32 wrap gave -128).
            Assert.Equal(127, expected.RawLogit);
            Assert.Equal(expected.RawLogit, BitConverter.ToInt32(output, 8 * i));
            Assert.Equal(1, BitConverter.ToInt32(output, (8 * i) + 4));
        }
    }
}
