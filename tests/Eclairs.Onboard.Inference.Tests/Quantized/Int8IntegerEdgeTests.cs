using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// The integer edge an independent int8 reference found on adversarial files: after MBQM, adding the output zero point
/// wrapped in int32 when |MBQM| was within 128 of 2^31 (multiplier near 2^31, no right shift, an extreme bias), so a
/// huge positive sum came out as -128 and the decision flipped. The engine saturates (docs/int8.md): the result is the
/// exact clamp(MBQM + zp, min, 127). Every layer's output channel 0 is driven to that edge here, and the expected
/// bytes are worked out from the definition, not taken from the engine.
/// </summary>
public class Int8IntegerEdgeTests
{
    public static TheoryData<string> Networks() => ["OddSmall", "CompactV1", "CnnV1"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void An_mbqm_result_within_128_of_2_to_the_31_saturates_on_every_path_and_plan(string name)
    {
        NetworkDescription network = Int8KernelTests.Network(name);
        ModelDocument document = AtTheEdge(network, Int8TestModels.ExtremeRandom(network, 8, leftShifts: false));
        var paths = new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported).ToArray();
        Int8Context reference = Int8Model.FromDocument(document, KernelPath.Scalar).CreateContext();
        HashSet<int> parameterized = [.. network.LayerInfos.Where(l => l.Spec is Conv2DLayer or DenseLayer).Select(l => l.Index)];
        int lastLayer = parameterized.Max();
        for (int input = 0; input < 3; input++)
        {
            sbyte[] q = Int8TestModels.RandomQuantizedInput(network, 40 + input);
            Int8ClassificationResult expected = reference.ClassifyQuantized(q);
            // The logit: MBQM(2^31 − 1, 2^31 − 1, 0) = 2^31 − 2, plus 127, clamped: 127 (int32 arithmetic gave -128).
            Assert.Equal(127, expected.RawLogit);
            Assert.True(expected.IsTrueAlert);
            for (int s = 0; s < reference.StepCount; s++)
            {
                if (reference.StepKind(s) is Int8StepKind.Conv2D or Int8StepKind.Dense && reference.StepLayerIndex(s) != lastLayer)
                {
                    // Hidden layers: −(2^31 − 2) − 128 saturates to −128 in channel 0 of every pixel (the wrap gave 127).
                    ReadOnlySpan<sbyte> output = reference.StepOutput(s);
                    int channels = network.LayerInfos[reference.StepLayerIndex(s)].OutputShape.Channels;
                    for (int i = 0; i < output.Length; i += channels)
                    {
                        Assert.Equal(-128, output[i]);
                    }
                }
            }
            foreach (KernelPath path in paths)
            {
                foreach (bool every in new[] { true, false })
                {
                    Int8Context simd = Int8Model.FromDocument(document, new ModelOptions { KernelPath = path, KeepEveryStep = every }).CreateContext();
                    Assert.Equal(expected, simd.ClassifyQuantized(q));
                    for (int s = 0; s < reference.StepCount; s++)
                    {
                        if (simd.HasStepOutput(s))
                        {
                            Assert.True(reference.StepOutput(s).SequenceEqual(simd.StepOutput(s)), $"{name} {path} every {every}: step {s} differs");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void The_reference_requantization_clamps_the_exact_sum()
    {
        var p = new RequantizeParams(0, 127, sbyte.MinValue, sbyte.MaxValue);
        Assert.Equal(127, Int8ReferenceKernels.Requantize(p, int.MaxValue, int.MaxValue, 0));
        var n = new RequantizeParams(0, -128, -128, sbyte.MaxValue);
        Assert.Equal(-128, Int8ReferenceKernels.Requantize(n, -int.MaxValue, int.MaxValue, 0));
        Assert.Equal(-128, Int8ReferenceKernels.Requantize(n, int.MinValue, int.MaxValue, 0));
        // Away from the edge nothing changes: 1000 · (2^30 / 2^31) = 500, + 127 clamps to 127; 100 → 50 + (−128) = −78.
        Assert.Equal(127, Int8ReferenceKernels.Requantize(p, 1000, 1 << 30, 0));
        Assert.Equal(-78, Int8ReferenceKernels.Requantize(n with { ActivationMin = -128 }, 100, 1 << 30, 0));
    }

    /// <summary>
    /// Output channel 0 of each layer gets zero weights (so its sum is its bias exactly), multiplier 2^31 − 1 and no
    /// shift; the last layer bias +(2^31 − 1) and zero point 127, the others −(2^31 − 1) and zero point −128.
    /// </summary>
    private static ModelDocument AtTheEdge(NetworkDescription network, ModelDocument document)
    {
        Int8Parameters p = Int8Parameters.FromDocument(document);
        var layers = new List<Int8LayerParameters>();
        for (int i = 0; i < p.Layers.Count; i++)
        {
            Int8LayerParameters l = p.Layers[i];
            bool last = i == p.Layers.Count - 1;
            int cout = l.Bias.Length;
            sbyte[] w = (sbyte[])l.Weights.Clone();
            for (int k = 0; k < w.Length; k += cout)
            {
                w[k] = 0; // HWIO and [in][out]: output channel is the fastest index
            }
            int[] bias = (int[])l.Bias.Clone(), mult = (int[])l.Multiplier.Clone(), shift = (int[])l.Shift.Clone();
            bias[0] = last ? int.MaxValue : -int.MaxValue;
            mult[0] = int.MaxValue;
            shift[0] = 0;
            layers.Add(l with { Weights = w, Bias = bias, Multiplier = mult, Shift = shift, OutputZeroPoint = last ? 127 : -128 });
        }
        int threshold = Int8Decision.IntegerThreshold(0.5f, layers[^1].OutputScale, layers[^1].OutputZeroPoint);
        var parameters = new Int8Parameters(p.InputSteps, p.InputZeroPoint, threshold, layers);
        return document with { Tensors = [.. parameters.ToTensors(network)] };
    }
}
