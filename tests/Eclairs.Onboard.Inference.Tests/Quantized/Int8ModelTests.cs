using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>The int8 format, the quantizer's accuracy against the float model, golden vectors, allocations.</summary>
public sealed class Int8ModelTests(ITestOutputHelper output)
{
    private static readonly Lazy<(ModelDocument Float, ModelDocument Int8)> Compact =
        new(() => Int8TestModels.Quantized(Architectures.CompactV1(), 5));

    private static IEnumerable<KernelPath> Paths() =>
        new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported);

    [Fact]
    public void Int8FileRoundTripsAndLoads()
    {
        ModelDocument doc = Compact.Value.Int8;
        byte[] file = EclwWriter.ToBytes(doc);
        ModelDocument back = EclwReader.Read(file);
        Assert.Equal(NumberFormat.Int8, back.NumberFormat);
        Assert.Equal(doc.Tensors.Count, back.Tensors.Count);
        for (int i = 0; i < doc.Tensors.Count; i++)
        {
            Assert.True(doc.Tensors[i].Data.Span.SequenceEqual(back.Tensors[i].Data.Span));
        }
        Int8Model model = Int8Model.Load(file);
        Assert.True(model.Verify());
        Assert.Equal(Architectures.CompactV1().ParameterCount, model.Network.ParameterCount);
        Assert.NotEqual(KernelPath.Auto, model.KernelPath);
        Assert.Equal(ModelFormatError.UnsupportedNumberFormat, Assert.Throws<ModelFormatException>(() => Model.Load(file)).Error);
        Assert.Equal(ModelFormatError.UnsupportedNumberFormat,
            Assert.Throws<ModelFormatException>(() => Int8Model.Load(EclwWriter.ToBytes(Compact.Value.Float))).Error);
    }

    public static TheoryData<string, ModelFormatError> BadParameters() => new()
    {
        { "weight -128", ModelFormatError.InvalidQuantization },
        { "multiplier below 2^30", ModelFormatError.InvalidQuantization },
        { "negative multiplier", ModelFormatError.InvalidQuantization },
        { "shift 31", ModelFormatError.InvalidQuantization },
        { "shift -32", ModelFormatError.InvalidQuantization },
        { "zero point 128", ModelFormatError.InvalidQuantization },
        { "zero point -129", ModelFormatError.InvalidQuantization },
        { "scale NaN", ModelFormatError.InvalidQuantization },
        { "scale 0", ModelFormatError.InvalidQuantization },
        { "scale negative", ModelFormatError.InvalidQuantization },
        { "input steps 0", ModelFormatError.InvalidQuantization },
        { "input steps 86", ModelFormatError.InvalidQuantization },
        { "mask 3 not representable", ModelFormatError.InvalidQuantization },
        { "threshold 129", ModelFormatError.InvalidQuantization },
        { "threshold off by one", ModelFormatError.InvalidQuantization },
        { "header threshold changed", ModelFormatError.InvalidQuantization },
        { "float bias", ModelFormatError.UnsupportedElementType },
        { "missing shift", ModelFormatError.MissingTensor },
        { "wrong multiplier shape", ModelFormatError.ShapeMismatch },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void BadQuantizationParametersAreRejectedAtLoad(string what, ModelFormatError expected)
    {
        ModelDocument doc = Compact.Value.Int8;
        int conv = doc.Network.LayerInfos.First(l => l.Spec is Conv2DLayer).Index;
        int sigmoid = doc.Network.LayerCount - 1;
        TensorEntry Replace(TensorEntry t, TensorRole role, int layer, Func<byte[], byte[]> edit) =>
            t.Role == role && t.LayerIndex == layer ? new TensorEntry(t.LayerIndex, t.Role, t.ElementType, t.Shape, edit(t.Data.ToArray())) : t;
        byte[] SetI32(byte[] b, int v)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b, v);
            return b;
        }
        byte[] SetF32(byte[] b, float v)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b, v);
            return b;
        }
        IEnumerable<TensorEntry> tensors = what switch
        {
            "weight -128" => doc.Tensors.Select(t => Replace(t, TensorRole.Weights, conv, b => { b[5] = 0x80; return b; })),
            "multiplier below 2^30" => doc.Tensors.Select(t => Replace(t, TensorRole.Multiplier, conv, b => SetI32(b, (1 << 30) - 1))),
            "negative multiplier" => doc.Tensors.Select(t => Replace(t, TensorRole.Multiplier, conv, b => SetI32(b, int.MinValue))),
            "shift 31" => doc.Tensors.Select(t => Replace(t, TensorRole.Shift, conv, b => SetI32(b, 31))),
            "shift -32" => doc.Tensors.Select(t => Replace(t, TensorRole.Shift, conv, b => SetI32(b, -32))),
            "zero point 128" => doc.Tensors.Select(t => Replace(t, TensorRole.OutputZeroPoint, conv, b => SetI32(b, 128))),
            "zero point -129" => doc.Tensors.Select(t => Replace(t, TensorRole.OutputZeroPoint, conv, b => SetI32(b, -129))),
            "scale NaN" => doc.Tensors.Select(t => Replace(t, TensorRole.OutputScale, conv, b => SetF32(b, float.NaN))),
            "scale 0" => doc.Tensors.Select(t => Replace(t, TensorRole.WeightScale, conv, b => SetF32(b, 0f))),
            "scale negative" => doc.Tensors.Select(t => Replace(t, TensorRole.OutputScale, conv, b => SetF32(b, -1f))),
            "input steps 0" => doc.Tensors.Select(t => Replace(t, TensorRole.InputQuantization, 1, b => SetI32(b, 0))),
            "input steps 86" => doc.Tensors.Select(t => Replace(t, TensorRole.InputQuantization, 1, b => SetI32(b, 86))),
            "mask 3 not representable" => doc.Tensors.Select(t => Replace(t, TensorRole.InputQuantization, 1, b =>
            {
                BinaryPrimitives.WriteInt32LittleEndian(b, 40);
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 10);
                return b;
            })),
            "threshold 129" => doc.Tensors.Select(t => Replace(t, TensorRole.DecisionThreshold, sigmoid, b => SetI32(b, 129))),
            "threshold off by one" => doc.Tensors.Select(t => Replace(t, TensorRole.DecisionThreshold, sigmoid,
                b => SetI32(b, BinaryPrimitives.ReadInt32LittleEndian(b) + 1))),
            "header threshold changed" => doc.Tensors,
            "float bias" => doc.Tensors.Select(t => t.Role == TensorRole.Bias && t.LayerIndex == conv
                ? new TensorEntry(t.LayerIndex, t.Role, ElementType.Float32, t.Shape, t.Data) : t),
            "missing shift" => doc.Tensors.Where(t => !(t.Role == TensorRole.Shift && t.LayerIndex == conv)),
            "wrong multiplier shape" => doc.Tensors.Select(t => t.Role == TensorRole.Multiplier && t.LayerIndex == conv
                ? new TensorEntry(t.LayerIndex, t.Role, t.ElementType, [t.Shape[0] - 1], t.Data[..^4]) : t),
            _ => throw new ArgumentException(what),
        };
        byte[] file = EclwWriter.ToBytes(doc with { Tensors = tensors.ToArray(), DecisionThreshold = what == "header threshold changed" ? 0.9f : doc.DecisionThreshold });
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Int8Model.Load(file));
        Assert.Equal(expected, e.Error);
        output.WriteLine($"{what}: {e.Message}");
    }

    [Fact]
    public void QuantizerDerivesTheIntegerThresholdFromTheFloatModels()
    {
        (ModelDocument f, ModelDocument _) = Compact.Value;
        List<CalibrationInput> alerts = Int8TestModels.Alerts(f.Network, 8, 77);
        var options = new QuantizerOptions { RefinementAlerts = 0 };
        foreach (float threshold in new[] { 0.2f, 0.5f, 0.93f })
        {
            Int8Model model = Int8Model.FromDocument(Quantizer.Quantize(f with { DecisionThreshold = threshold }, alerts, options));
            double logit = Math.Log(threshold / (1.0 - threshold));
            int t = model.Parameters.DecisionThreshold;
            // raw >= T exactly when the dequantized logit >= logit(threshold), with the threshold inside the range
            Assert.InRange(t, -127, 127);
            Assert.True(model.OutputScale * (t - model.OutputZeroPoint) >= logit - 1e-6);
            Assert.True(model.OutputScale * (t - 1 - model.OutputZeroPoint) < logit);
        }
    }

    [Fact]
    public void MaskChannelIsExactAndSnrClipsAtTheCalibratedRange()
    {
        var p = Int8Parameters.FromDocument(Compact.Value.Int8);
        var q = new sbyte[8];
        Int8Input.Quantize([1f, -InputLimits.MaxAbsoluteSnr, float.NaN, InputLimits.MaxAbsoluteSnr], [1, 2, 0, 3], InputNormalization.Identity, p.InputSteps, p.InputZeroPoint, q);
        Assert.Equal(p.InputZeroPoint + p.InputSteps, q[1]);
        Assert.Equal(p.InputZeroPoint + (2 * p.InputSteps), q[3]);
        Assert.Equal(p.InputZeroPoint, q[4]);                       // mask 0: SNR enters as real 0
        Assert.Equal(p.InputZeroPoint, q[5]);
        Assert.Equal(p.InputZeroPoint + (3 * p.InputSteps), q[7]);
        Assert.Equal(-128, q[2]);                                   // clipped
        Assert.Equal(127, q[6]);
        Assert.Equal(p.InputZeroPoint + p.InputSteps, q[0]);        // SNR 1.0 is exactly n codes above zero
    }

    [Fact]
    public void Int8DoesNotGiveTheSameOutputForEveryInput()
    {
        // tensorflow #49854: a broken input scale or calibration makes every alert land on one raw logit.
        (ModelDocument f, ModelDocument q) = Compact.Value;
        InferenceContext floatContext = Model.FromDocument(f).CreateContext();
        foreach (KernelPath path in Paths())
        {
            Int8Context context = Int8Model.FromDocument(q, path).CreateContext();
            var raws = new List<int>();
            var pairs = new List<(double F, double Q)>();
            foreach (CalibrationInput a in Int8TestModels.Alerts(f.Network, 40, 7000))
            {
                Int8ClassificationResult r = context.Classify(a.Snr, a.Mask);
                raws.Add(r.RawLogit);
                pairs.Add((floatContext.Classify(a.Snr, a.Mask).Logit, r.Logit));
            }
            Assert.True(raws.Distinct().Count() >= 8, $"{path}: only {raws.Distinct().Count()} distinct raw logits over 40 alerts");
            Assert.True(Correlation(pairs) > 0.9, $"{path}: int8 and float logits correlate at {Correlation(pairs):F3}");
        }
    }

    [Fact]
    public void Int8AgreesWithFloatLayerByLayer()
    {
        (ModelDocument f, ModelDocument q) = Compact.Value;
        Int8Model model = Int8Model.FromDocument(q, KernelPath.Scalar);
        Int8Context context = model.CreateContext();
        Int8Parameters p = model.Parameters;
        var scales = new Dictionary<int, (float Scale, int Zp)>();
        float scale = 1f / p.InputSteps;
        int zp = p.InputZeroPoint;
        var lookup = p.Layers.ToDictionary(l => l.LayerIndex);
        for (int s = 0; s < context.StepCount; s++)
        {
            int layer = context.StepLayerIndex(s);
            if (lookup.TryGetValue(layer, out Int8LayerParameters? l))
            {
                (scale, zp) = (l.OutputScale, l.OutputZeroPoint);
            }
            scales[s] = (scale, zp);
        }
        List<CalibrationInput> alerts = Int8TestModels.Alerts(f.Network, 24, 9000);
        for (int s = 1; s < context.StepCount; s++)
        {
            int layer = context.StepLayerIndex(s);
            InferenceContext prefix = Model.FromDocument(f.Prefix(layer + 1)).CreateContext();
            var reference = new float[prefix.OutputLength];
            double signal = 0, noise = 0;
            foreach (CalibrationInput a in alerts)
            {
                prefix.Evaluate(a.Snr, a.Mask, reference);
                context.Classify(a.Snr, a.Mask);
                ReadOnlySpan<sbyte> got = context.StepOutput(s);
                for (int i = 0; i < reference.Length; i++)
                {
                    double d = scales[s].Scale * (got[i] - scales[s].Zp);
                    signal += reference[i] * (double)reference[i];
                    noise += (d - reference[i]) * (d - reference[i]);
                }
            }
            double sqnr = 10 * Math.Log10(signal / Math.Max(noise, 1e-30));
            output.WriteLine($"step {s} layer {layer} {context.StepKind(s)}: SQNR {sqnr:F1} dB");
            Assert.True(sqnr > 25, $"layer {layer}: SQNR {sqnr:F1} dB");
        }
    }

    [Fact]
    public void GoldenVectorsRoundTripAndEveryPathMatchesThem()
    {
        (ModelDocument _, ModelDocument q) = Compact.Value;
        Int8Model reference = Int8Model.FromDocument(q, KernelPath.Scalar);
        GoldenVectorSet set = GoldenVectors.Create(reference, Int8TestModels.Alerts(q.Network, 8, 500));
        byte[] file = GoldenVectors.ToBytes(set);
        GoldenVectorSet back = GoldenVectors.Read(file);
        Assert.Equal(set.ModelChecksum, back.ModelChecksum);
        Assert.Equal(set.Steps, back.Steps);
        Assert.Equal(8, back.Vectors.Count);
        foreach (KernelPath path in Paths())
        {
            Assert.Equal(0, GoldenVectors.CountMismatches(Int8Model.FromDocument(q, path), back));
            Assert.Equal(0, GoldenVectors.CountMismatches(Int8Model.FromDocument(q, new ModelOptions { KernelPath = path, KeepEveryStep = true }), back));
        }
        // A model with one weight changed no longer matches: the check can fail.
        ModelDocument altered = q with
        {
            Tensors = q.Tensors.Select(t => t.Role == TensorRole.Weights && t.LayerIndex == 2
                ? new TensorEntry(t.LayerIndex, t.Role, t.ElementType, t.Shape, t.Data.ToArray().Select(b => (byte)((sbyte)b == 127 ? b : (byte)((sbyte)b + 1))).ToArray())
                : t).ToArray(),
        };
        Assert.True(GoldenVectors.CountMismatches(Int8Model.FromDocument(altered, KernelPath.Scalar), back) > 0);
        file[30] ^= 1;
        Assert.Throws<System.IO.InvalidDataException>(() => GoldenVectors.Read(file));
    }

    [Fact]
    public void IntegerDecisionMatchesTheProbabilityThreshold()
    {
        // raw >= T exactly when scale · (raw - zp) >= logit(threshold), for every raw code.
        foreach ((float t, float s, int zp) in new[] { (0.5f, 0.05f, 3), (0.9f, 0.031f, -20), (0.12f, 0.2f, 100), (0.5f, 0.1f, -128) })
        {
            int threshold = Int8Decision.IntegerThreshold(t, s, zp);
            double logit = Math.Log(t / (1.0 - t));
            for (int raw = -128; raw <= 127; raw++)
            {
                Assert.Equal(s * (double)(raw - zp) >= logit - 1e-9, raw >= threshold);
            }
        }
        Assert.Equal(-128, Int8Decision.IntegerThreshold(0f, 0.1f, 0));
        Assert.Equal(128, Int8Decision.IntegerThreshold(1f, 0.1f, 0));
    }

    [Fact]
    public void SnrQuantizationRoundsHalfAwayFromZero()
    {
        Assert.Equal(1 + 3, Int8Input.QuantizeSnr(0.25f, 2, 3));    // 0.5 -> 1
        Assert.Equal(-1 + 3, Int8Input.QuantizeSnr(-0.25f, 2, 3));  // -0.5 -> -1
        Assert.Equal(0 + 3, Int8Input.QuantizeSnr(0.24f, 2, 3));
        Assert.Equal(127, Int8Input.QuantizeSnr(float.MaxValue, 85, -128));
        Assert.Equal(-128, Int8Input.QuantizeSnr(float.MinValue, 1, 127));
    }

    [Fact]
    public void BadInputsAreRefusedWithTheirCodes()
    {
        Int8Context context = Int8Model.FromDocument(Compact.Value.Int8).CreateContext();
        CalibrationInput a = Int8TestModels.Alerts(Compact.Value.Float.Network, 1, 3)[0];
        byte[] mask = (byte[])a.Mask.Clone();
        mask[10] = 4;
        Assert.Equal(InputError.MaskOutOfRange, Assert.Throws<InputValidationException>(() => context.Classify(a.Snr, mask)).Error);
        float[] snr = (float[])a.Snr.Clone();
        snr[0] = float.NaN; // row 0 is all mask != 0 in the test inputs
        Assert.Equal(InputError.NonFiniteSnr, Assert.Throws<InputValidationException>(() => context.Classify(snr, a.Mask)).Error);
        Assert.Equal(InputError.BadLength, Assert.Throws<InputValidationException>(() => context.Classify(a.Snr.AsSpan(1), a.Mask)).Error);
    }

    [Fact]
    public void VerifyDetectsABitFlipInThePlannedWeights()
    {
        foreach (KernelPath path in Paths())
        {
            Int8Model model = Int8Model.FromDocument(Compact.Value.Int8, path);
            Assert.True(model.Verify());
            Int8Step conv = model.StepsCopy().First(s => s.Kind == Int8StepKind.Conv2D);
            int weights = path == KernelPath.Scalar ? conv.Weights : conv.Algorithm == KernelAlgorithm.DirectConv2D ? conv.Packed : conv.Transformed;
            Assert.True(weights >= 0);
            model.Arena.Bytes[weights + 7] ^= 4;
            Assert.False(model.Verify());
            model.Arena.Bytes[weights + 7] ^= 4;
            Assert.True(model.Verify());
        }
    }

    private static double Correlation(List<(double F, double Q)> pairs)
    {
        double mf = pairs.Average(p => p.F), mq = pairs.Average(p => p.Q);
        double c = pairs.Sum(p => (p.F - mf) * (p.Q - mq));
        return c / Math.Sqrt(pairs.Sum(p => (p.F - mf) * (p.F - mf)) * pairs.Sum(p => (p.Q - mq) * (p.Q - mq)));
    }
}
