using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// The int8 residual-network layers (Add, Branch, 2x2 average pool, 1x1 and stride-2 convolutions): every step
/// against <see cref="NaiveInt8"/> at extreme parameters on every path, the SIMD kernels against the reference, the
/// quantizer's residual model against its float model, the file checks.
/// </summary>
public sealed class Int8ResidualTests(ITestOutputHelper output)
{
    private static readonly Lazy<(ModelDocument Float, ModelDocument Int8)> ResidualModel = new(() => Int8TestModels.Quantized(BranchLayerTests.Residual(), 21));

    /// <summary>Add over 37 channels (vector tail), an average pool of 19 channels (16 + 3), odd sizes, a strided 1x1 shortcut.</summary>
    internal static NetworkDescription OddTails() => new(
    [
        new InputLayer(15, 13), new ConcatenateLayer(),
        new Conv2DLayer(37, 3, Padding.Same, Activation.Relu),                // 2
        new GeneralConv2DLayer(37, 1, 1, Padding.Valid, Activation.None),     // 3
        new AddLayer(2, Activation.None),                                     // 4
        new GeneralConv2DLayer(19, 3, 2, Padding.Valid, Activation.Relu),     // 5: 7x6
        new AveragePool2DLayer(),                                             // 6: 3x3
        new BranchLayer(4),                                                   // 7
        new GeneralConv2DLayer(19, 5, 2, Padding.Same, Activation.None),      // 8: 8x7
        new AveragePool2DLayer(),                                             // 9: 4x3
        new GeneralConv2DLayer(19, 3, 1, Padding.Valid, Activation.None),     // 10: 2x1
        new FlattenLayer(), new DenseLayer(5, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
    ]);

    public static TheoryData<string> Networks() => ["Residual", "Mixed", "OddTails"];

    private static NetworkDescription Network(string name) => name switch
    {
        "Residual" => BranchLayerTests.Residual(),
        "Mixed" => BranchLayerTests.Mixed(),
        _ => OddTails(),
    };

    private static IEnumerable<KernelPath> Paths() =>
        new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_step_matches_the_naive_int8_network_at_extreme_parameters_on_every_path(string name)
    {
        NetworkDescription network = Network(name);
        for (int seed = 0; seed < 5; seed++)
        {
            ModelDocument doc = Int8TestModels.ExtremeRandom(network, 300 + seed, leftShifts: seed < 2);
            Int8Parameters parameters = Int8Parameters.FromDocument(doc);
            foreach (KernelPath path in Paths())
            {
                foreach (bool everyStep in new[] { true, false })
                {
                    Int8Model model = Int8Model.FromDocument(doc, new ModelOptions { KernelPath = path, KeepEveryStep = everyStep });
                    Int8Context context = model.CreateContext();
                    for (int input = 0; input < 2; input++)
                    {
                        sbyte[] q = Int8TestModels.RandomQuantizedInput(network, (seed * 7) + input);
                        sbyte[][] expected = NaiveInt8.Run(network, parameters, q);
                        Int8ClassificationResult r = context.ClassifyQuantized(q);
                        for (int s = 1; s < context.StepCount; s++)
                        {
                            if (context.HasStepOutput(s))
                            {
                                int layer = context.StepLayerIndex(s);
                                Assert.True(expected[layer].AsSpan().SequenceEqual(context.StepOutput(s)),
                                    $"{name} seed {seed} {path} everyStep {everyStep}: step {s} (layer {layer}, {context.StepKind(s)}) differs from the naive int8 network");
                            }
                        }
                        Assert.Equal(expected[^2][0], r.RawLogit);
                    }
                }
            }
        }
    }

    [Fact]
    public void The_selector_plans_each_new_layer_once_at_load_and_the_step_holds_its_constants()
    {
        ModelDocument doc = Int8TestModels.ExtremeRandom(BranchLayerTests.Residual(), 5, leftShifts: false);
        Int8Parameters p = Int8Parameters.FromDocument(doc);
        foreach (KernelPath path in Paths())
        {
            Int8Step[] steps = Int8Model.FromDocument(doc, path).StepsCopy();
            bool scalar = path == KernelPath.Scalar;
            bool arm = !scalar && !Int8Simd.IsSupportedX64;
            Assert.Equal(2, steps.Count(s => s.Kind == Int8StepKind.Add && s.Algorithm == (scalar || arm ? KernelAlgorithm.ReferenceAdd : KernelAlgorithm.Add)));
            Assert.Equal(1, steps.Count(s => s.Kind == Int8StepKind.AveragePool2D && s.Algorithm == (scalar ? KernelAlgorithm.ReferenceAveragePool : KernelAlgorithm.AveragePool)));
            Assert.Equal(3, steps.Count(s => s.Kind == Int8StepKind.GeneralConv2D && s.Algorithm == (scalar ? KernelAlgorithm.ReferenceGeneralConv2D : KernelAlgorithm.StridedConv2D)));
            // No Branch step: every output keeps its own slot; the 1x1 shortcut (layer 9) reads layer 5's slot.
            Assert.DoesNotContain(steps, s => s.LayerIndex == 8);
            Int8Step add5 = steps.Single(s => s.LayerIndex == 5), conv4 = steps.Single(s => s.LayerIndex == 4), conv2 = steps.Single(s => s.LayerIndex == 2);
            Assert.Equal(conv4.Destination, add5.Source);
            Assert.Equal(conv2.Destination, add5.Residual);
            Assert.Equal((conv4.OutputZeroPoint, conv2.OutputZeroPoint), (add5.InputZeroPoint, add5.ResidualZeroPoint));
            Assert.Equal(add5.Destination, steps.Single(s => s.LayerIndex == 9).Source);
            Assert.Equal(2, steps.Single(s => s.LayerIndex == 9).Stride);
            Int8AddParameters a = p.Adds.Single(x => x.LayerIndex == 5);
            Assert.Equal((20, a.InputMultiplier, a.InputShift, a.SourceMultiplier, a.SourceShift, a.OutputMultiplier, a.OutputShift),
                (add5.AddLeftShift, add5.AddInputMultiplier, add5.AddInputShift, add5.AddResidualMultiplier, add5.AddResidualShift, add5.AddOutputMultiplier, add5.AddOutputShift));
            Assert.Equal(Math.Max(-128, a.OutputZeroPoint), add5.ActivationMin); // the Add's fused ReLU
        }
    }

    [Fact]
    public void Add_reference_and_simd_match_the_naive_formula_on_every_input_pair_at_extreme_parameters()
    {
        var random = new Random(17);
        var x1 = new sbyte[65536 + 7];
        var x2 = new sbyte[x1.Length];
        for (int i = 0; i < 65536; i++)
        {
            (x1[i], x2[i]) = ((sbyte)(i & 255), (sbyte)(i >> 8));
        }
        random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x1.AsSpan(65536)));
        random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x2.AsSpan(65536)));
        int[][] multipliers = [[int.MaxValue, int.MaxValue, int.MaxValue], [1 << 30, 1 << 30, 1 << 30], [0, int.MaxValue, 1 << 30],
            [1518500250, 1073741825, 2147483646]];
        int[][] shifts = [[0, 0, 0], [-1, -1, -1], [-31, 0, -5], [-3, -9, -13], [0, -1, -31]];
        (int, int, int, int)[] zeroPoints = [(-128, -128, -128, -128), (127, 127, 127, -128), (-128, 127, 0, 0), (3, -7, 11, 11)];
        var reference = new sbyte[x1.Length];
        var simd = new sbyte[x1.Length];
        int cases = 0;
        foreach (int[] m in multipliers)
        {
            foreach (int[] s in shifts)
            {
                foreach ((int zp1, int zp2, int zpo, int min) in zeroPoints)
                {
                    var p = new AddParams(zp1, zp2, zpo, Int8AddParameters.LeftShift, m[0], s[0], m[1], s[1], m[2], s[2], min, 127);
                    Int8ReferenceKernels.Add(p, x1, x2, reference);
                    for (int i = 0; i < x1.Length; i++)
                    {
                        sbyte want = NaiveInt8.Add(x1[i], x2[i], zp1, zp2, zpo, m, s, min, 127);
                        if (want != reference[i])
                        {
                            Assert.Fail($"reference Add({x1[i]}, {x2[i]}) = {reference[i]}, naive {want}; M [{string.Join(", ", m)}] s [{string.Join(", ", s)}] zp {zp1} {zp2} {zpo}");
                        }
                    }
                    if (Int8Simd.IsSupportedX64)
                    {
                        RunSimdAdd(p, x1, x2, simd);
                        Assert.Equal(reference, simd);
                    }
                    cases++;
                }
            }
        }
        Assert.Equal(80, cases);
    }

    private static unsafe void RunSimdAdd(AddParams p, sbyte[] x1, sbyte[] x2, sbyte[] output)
    {
        var step = new Int8Step
        {
            InputZeroPoint = p.Input1ZeroPoint, ResidualZeroPoint = p.Input2ZeroPoint, OutputZeroPoint = p.OutputZeroPoint, AddLeftShift = p.LeftShift,
            AddInputMultiplier = p.Input1Multiplier, AddInputShift = p.Input1Shift, AddResidualMultiplier = p.Input2Multiplier, AddResidualShift = p.Input2Shift,
            AddOutputMultiplier = p.OutputMultiplier, AddOutputShift = p.OutputShift, ActivationMin = p.ActivationMin, ActivationMax = p.ActivationMax,
        };
        // Every length up to 17 exercises the 8-wide body and each tail; then the whole array.
        fixed (sbyte* a = x1, b = x2, o = output)
        {
            for (int n = 0; n <= 17; n++)
            {
                Int8ResidualSimd.Add(step, a + 3, b + 3, o + 3, n);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(Int8ReferenceKernels.Add(p, x1[3 + i], x2[3 + i]), o[3 + i]);
                }
            }
            Int8ResidualSimd.Add(step, a, b, o, x1.Length);
        }
    }

    [Fact]
    public void Average_pool_rounding_is_tflm_for_every_window_sum_and_simd_matches_the_reference()
    {
        // The SIMD kernel's RDBPOT(sum, 2) against TFLM's (sum ± 2) / 4 and the real mean rounded half away from zero.
        for (int sum = -512; sum <= 508; sum++)
        {
            int tflm = sum > 0 ? (sum + 2) / 4 : (sum - 2) / 4;
            Assert.Equal(tflm, FixedPoint.RoundingDivideByPot(sum, 2));
            Assert.Equal(tflm, NaiveInt8.Mean(sum, 4));
            Assert.Equal(tflm, Int8ReferenceKernels.RoundedMean(sum, 4));
        }
        var random = new Random(5);
        foreach ((int h, int w, int c) in new[] { (2, 2, 1), (5, 7, 16), (4, 3, 17), (9, 9, 35), (3, 2, 48) })
        {
            var inShape = new TensorShape(h, w, c);
            var outShape = new TensorShape(h / 2, w / 2, c);
            foreach (int fill in new[] { 0, -128, 127 })
            {
                var input = new sbyte[inShape.Size];
                if (fill == 0)
                {
                    random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()));
                }
                else
                {
                    Array.Fill(input, (sbyte)fill);
                }
                var want = new sbyte[outShape.Size];
                Int8ReferenceKernels.AveragePool2D(input, inShape, want, outShape);
                for (int oy = 0; oy < outShape.Height; oy++)
                {
                    for (int ox = 0; ox < outShape.Width; ox++)
                    {
                        for (int ch = 0; ch < c; ch++)
                        {
                            int a = (((2 * oy) * w) + (2 * ox)) * c + ch;
                            int sum = input[a] + input[a + c] + input[a + (w * c)] + input[a + (w * c) + c];
                            Assert.Equal(NaiveInt8.Mean(sum, 4), want[(((oy * outShape.Width) + ox) * c) + ch]);
                        }
                    }
                }
                var got = new sbyte[outShape.Size];
                unsafe
                {
                    fixed (sbyte* i = input, o = got)
                    {
                        Int8ResidualSimd.AveragePool2D(i, inShape, o, outShape);
                    }
                }
                Assert.Equal(want, got);
            }
        }
    }

    [Fact]
    public void Residual_int8_model_agrees_with_its_float_model_layer_by_layer_and_in_decisions()
    {
        (ModelDocument f, ModelDocument q) = ResidualModel.Value;
        Int8Model model = Int8Model.FromDocument(q, new ModelOptions { KernelPath = KernelPath.Scalar, KeepEveryStep = true });
        Assert.NotEmpty(model.Parameters.Adds);
        List<CalibrationInput> alerts = Int8TestModels.Alerts(f.Network, 24, 9100);
        IReadOnlyList<StepNoise> noise = QuantizationNoise.Measure(f, model, alerts);
        foreach (StepNoise n in noise)
        {
            output.WriteLine($"step {n.Step} layer {n.LayerIndex} {n.Kind}: SQNR {n.SqnrDecibels:F1} dB");
        }
        Assert.Contains(noise, n => n.Kind == Int8StepKind.Add);
        Assert.Contains(noise, n => n.Kind == Int8StepKind.AveragePool2D);
        Assert.Contains(noise, n => n.Kind == Int8StepKind.GeneralConv2D);
        Assert.All(noise, n => Assert.True(n.SqnrDecibels > 20, $"step {n.Step} (layer {n.LayerIndex}, {n.Kind}): SQNR {n.SqnrDecibels:F1} dB"));

        InferenceContext floatContext = Model.FromDocument(f).CreateContext();
        foreach (KernelPath path in Paths())
        {
            Int8Context context = Int8Model.FromDocument(q, path).CreateContext();
            int agree = 0, n = 0;
            var pairs = new List<(double F, double Q)>();
            foreach (CalibrationInput a in Int8TestModels.Alerts(f.Network, 60, 9300))
            {
                ClassificationResult fr = floatContext.Classify(a.Snr, a.Mask);
                Int8ClassificationResult qr = context.Classify(a.Snr, a.Mask);
                agree += fr.IsTrueAlert == qr.IsTrueAlert ? 1 : 0;
                pairs.Add((fr.Logit, qr.Logit));
                n++;
            }
            double mf = pairs.Average(x => x.F), mq = pairs.Average(x => x.Q);
            double correlation = pairs.Sum(x => (x.F - mf) * (x.Q - mq)) / Math.Sqrt(pairs.Sum(x => (x.F - mf) * (x.F - mf)) * pairs.Sum(x => (x.Q - mq) * (x.Q - mq)));
            output.WriteLine($"{path}: decisions agree on {agree}/{n}, logit correlation {correlation:F3}");
            Assert.True(agree >= 0.9 * n, $"{path}: int8 and float decisions agree on {agree}/{n}");
            Assert.True(correlation > 0.9, $"{path}: int8 and float logits correlate at {correlation:F3}");
        }
    }

    [Fact]
    public void Golden_vectors_of_a_residual_model_replay_bit_for_bit_on_every_path_and_fail_when_altered()
    {
        (ModelDocument _, ModelDocument q) = ResidualModel.Value;
        GoldenVectorSet set = GoldenVectors.Create(Int8Model.FromDocument(q, KernelPath.Scalar), Int8TestModels.Alerts(q.Network, 6, 700));
        GoldenVectorSet back = GoldenVectors.Read(GoldenVectors.ToBytes(set));
        Assert.Contains(back.Steps, s => s.Kind == Int8StepKind.Add);
        foreach (KernelPath path in Paths())
        {
            Assert.Equal(0, GoldenVectors.CountMismatches(Int8Model.FromDocument(q, path), back));
            Assert.Equal(0, GoldenVectors.CountMismatches(Int8Model.FromDocument(q, new ModelOptions { KernelPath = path, KeepEveryStep = true }), back));
        }
        // One Add multiplier changed: the vectors no longer match.
        Int8Parameters p = Int8Parameters.FromDocument(q);
        Int8AddParameters a = p.Adds[0];
        var altered = new Int8Parameters(p.InputSteps, p.InputZeroPoint, p.DecisionThreshold, p.Layers,
            [a with { Multiplier = [a.Multiplier[0] ^ (1 << 29), a.Multiplier[1], a.Multiplier[2]] }, .. p.Adds.Skip(1)]);
        ModelDocument changed = q with { Tensors = altered.ToTensors(q.Network) };
        Assert.True(GoldenVectors.CountMismatches(Int8Model.FromDocument(changed, KernelPath.Scalar), back) > 0);
    }

    [Fact]
    public void Verify_covers_the_add_constants_in_the_plan()
    {
        foreach (KernelPath path in Paths())
        {
            Int8Model model = Int8Model.FromDocument(ResidualModel.Value.Int8, path);
            Assert.True(model.Verify());
            Span<Int8Step> steps = model.Steps;
            int index = steps.ToArray().ToList().FindIndex(s => s.Kind == Int8StepKind.Add);
            steps[index].AddOutputMultiplier ^= 1;
            Assert.False(model.Verify());
            steps[index].AddOutputMultiplier ^= 1;
            Assert.True(model.Verify());
        }
    }

    [Theory]
    [InlineData("add-shift", "layer 5 (Add) Shift: element 2 is 1; an Add's shifts lie in [-31, 0]")]
    [InlineData("add-multiplier", "layer 5 (Add) Multiplier: element 0 is 5; a multiplier is 0 or in [2^30, 2^31)")]
    [InlineData("add-zero-point", "layer 5 (Add) OutputZeroPoint: zero point 128 outside [-128, 127]")]
    [InlineData("add-missing", "layer 10 (Add) Shift [3] is missing")]
    [InlineData("add-shape", "layer 5 (Add) Multiplier: expected shape [3], found [2]")]
    [InlineData("general-weights", "layer 9 (GeneralConv2D) Weights: expected shape [1, 1, 8, 12], found [3, 3, 8, 12]")]
    [InlineData("pool-tensor", "layer 11 (AveragePool2D) Bias: this layer takes no such tensor in an int8 model")]
    public void Bad_residual_files_are_refused_naming_the_layer_and_tensor(string what, string message)
    {
        ModelDocument q = ResidualModel.Value.Int8;
        List<TensorEntry> tensors = [.. q.Tensors];
        int Find(int layer, TensorRole role) => tensors.FindIndex(t => t.LayerIndex == layer && t.Role == role);
        TensorEntry Ints(int layer, TensorRole role, int[] values) =>
            new(layer, role, ElementType.Int32, [values.Length], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        switch (what)
        {
            case "add-shift":
                tensors[Find(5, TensorRole.Shift)] = Ints(5, TensorRole.Shift, [-1, -1, 1]);
                break;
            case "add-multiplier":
                tensors[Find(5, TensorRole.Multiplier)] = Ints(5, TensorRole.Multiplier, [5, 1 << 30, 1 << 30]);
                break;
            case "add-zero-point":
                tensors[Find(5, TensorRole.OutputZeroPoint)] = Ints(5, TensorRole.OutputZeroPoint, [128]);
                break;
            case "add-missing":
                tensors.RemoveAt(Find(10, TensorRole.Shift));
                break;
            case "add-shape":
                tensors[Find(5, TensorRole.Multiplier)] = Ints(5, TensorRole.Multiplier, [1 << 30, 1 << 30]);
                break;
            case "general-weights":
                tensors[Find(9, TensorRole.Weights)] = new TensorEntry(9, TensorRole.Weights, ElementType.Int8, [3, 3, 8, 12], new byte[3 * 3 * 8 * 12]);
                break;
            case "pool-tensor":
                tensors.Add(Ints(11, TensorRole.Bias, [0]));
                break;
        }
        ModelDocument bad = q with { Tensors = tensors };
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Int8Model.FromDocument(bad));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => Int8Model.Load(EclwWriter.ToBytes(bad)));
    }

    [Fact]
    public void The_quantizer_derives_the_add_multipliers_from_the_producers_scales_as_tflm()
    {
        (ModelDocument _, ModelDocument q) = ResidualModel.Value;
        Int8Parameters p = Int8Parameters.FromDocument(q);
        (float Scale, int ZeroPoint)[] quantization = p.LayerOutputQuantization(q.Network);
        foreach (Int8AddParameters a in p.Adds)
        {
            var add = (AddLayer)q.Network.Layers[a.LayerIndex];
            double s1 = quantization[a.LayerIndex - 1].Scale, s2 = quantization[add.Source].Scale, so = a.OutputScale;
            double twiceMax = 2 * Math.Max(s1, s2);
            // Each multiplier · 2^shift / 2^31 is the real ratio TFLM's Prepare computes, within the Q31 rounding.
            double[] real = [s1 / twiceMax, s2 / twiceMax, twiceMax / ((1 << 20) * so)];
            for (int k = 0; k < 3; k++)
            {
                double got = a.Multiplier[k] * Math.Pow(2, a.Shift[k] - 31);
                Assert.True(Math.Abs(got - real[k]) <= real[k] * 1e-9, $"layer {a.LayerIndex} multiplier {k}: {got} for {real[k]}");
                Assert.True(a.Shift[k] <= 0);
            }
        }
        // The branch (layer 8) passes layer 5's quantization to the shortcut convolution; the pool (11) its input's.
        Assert.Equal(quantization[5], quantization[8]);
        Assert.Equal(quantization[10], quantization[11]);
        Assert.Equal(3, p.Layers.Count(l => q.Network.Layers[l.LayerIndex] is GeneralConv2DLayer));
    }
}
