using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>Residual Add, Branch, 2x2 average pooling, 1x1 and stride-2 convolutions against the naive network, on every path.</summary>
public class BranchLayerTests
{
    public static TheoryData<KernelPath> Paths => TestModels.Paths();

    /// <summary>Two residual blocks (identity and strided with a 1x1 shortcut), odd sizes, every new layer.</summary>
    public static NetworkDescription Residual() => new(
    [
        new InputLayer(23, 19), new ConcatenateLayer(),
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),                 // 2
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),                 // 3
        new Conv2DLayer(8, 3, Padding.Same, Activation.None),                 // 4
        new AddLayer(2, Activation.Relu),                                     // 5: identity block
        new GeneralConv2DLayer(12, 3, 2, Padding.Same, Activation.Relu),      // 6: 12x10
        new Conv2DLayer(12, 3, Padding.Same, Activation.None),                // 7
        new BranchLayer(5),                                                   // 8: shortcut from the block input
        new GeneralConv2DLayer(12, 1, 2, Padding.Valid, Activation.None),     // 9: 1x1 stride 2
        new AddLayer(7, Activation.Relu),                                     // 10
        new AveragePool2DLayer(),                                             // 11: 6x5
        new Conv2DLayer(16, 3, Padding.Same, Activation.Relu),                // 12 (max pool fused)
        new MaxPool2DLayer(),                                                 // 13: 3x2
        new GeneralConv2DLayer(20, 1, 1, Padding.Valid, Activation.Relu),     // 14: pointwise, 20 channels (vector tail)
        new GlobalAveragePoolLayer(), new DenseLayer(1, Activation.None), new SigmoidLayer(),
    ]);

    /// <summary>A kept convolution followed by a max pool (no fusion then), a 5x5 valid stride-2 conv, Add on vectors and on the input.</summary>
    public static NetworkDescription Mixed() => new(
    [
        new InputLayer(21, 22), new ConcatenateLayer(),
        new Conv2DLayer(2, 3, Padding.Same, Activation.None),                 // 2
        new AddLayer(1, Activation.None),                                     // 3: + the input itself
        new Conv2DLayer(9, 3, Padding.Same, Activation.Relu),                 // 4: kept, then max pooled
        new MaxPool2DLayer(),                                                 // 5: 10x11
        new BranchLayer(4),                                                   // 6
        new AveragePool2DLayer(),                                             // 7
        new AddLayer(5, Activation.None),                                     // 8: avg + max of one conv
        new GeneralConv2DLayer(6, 5, 2, Padding.Valid, Activation.Relu),      // 9: 3x4
        new GeneralConv2DLayer(7, 7, 1, Padding.Same, Activation.None),       // 10
        new FlattenLayer(),
        new DenseLayer(8, Activation.Relu),                                   // 12
        new DenseLayer(8, Activation.None),                                   // 13
        new AddLayer(12, Activation.Relu),                                    // 14: on vectors
        new DropoutLayer(0.2f), new DenseLayer(1, Activation.None), new SigmoidLayer(),
    ]);

    public static IEnumerable<NetworkDescription> All() => [Residual(), Mixed()];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Logits_and_every_layer_agree_with_the_naive_network(KernelPath path)
    {
        int seed = 40;
        foreach (NetworkDescription network in All())
        {
            ModelDocument doc = TestModels.RandomDocument(network, seed, out List<float[]> parameters);
            (float[] snr, byte[] mask) = TestModels.RandomInput(network.InputHeight, network.InputWidth, seed);
            List<NaiveTensor> expected = NaiveNetwork.Run(network.Layers, parameters, snr, mask);
            ClassificationResult r = Model.FromDocument(doc, new ModelOptions { KernelPath = path }).CreateContext().Classify(snr, mask);
            double logit = expected[^2].Data[0];
            Assert.True(Math.Abs(r.Logit - logit) <= 1e-4 * Math.Max(1, Math.Abs(logit)), $"{path}: logit {r.Logit}, naive {logit}");
            for (int layers = 2; layers < network.LayerCount; layers++)
            {
                InferenceContext context = Model.FromDocument(doc.Prefix(layers), new ModelOptions { KernelPath = path }).CreateContext();
                var got = new float[context.OutputLength];
                Assert.Equal(expected[layers - 1].Data.Length, context.Evaluate(snr, mask, got));
                KernelAgreementTests.AssertClose(expected[layers - 1].Data, got, $"{path}, layer {layers - 1} ({network.Layers[layers - 1].Kind})");
            }
            seed++;
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void The_selector_plans_the_new_layers_and_keeps_what_is_read_later(KernelPath path)
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(Residual(), 3, out _), new ModelOptions { KernelPath = path });
        KernelAlgorithm[] steps = model.StepAlgorithms();
        bool scalar = path == KernelPath.Scalar;
        // Layers 2, 5 and 7 are read later: three Keep copies, one Branch copy.
        Assert.Equal(4, steps.Count(a => a == KernelAlgorithm.CopyActivation));
        Assert.Equal(2, steps.Count(a => a == (scalar ? KernelAlgorithm.ReferenceAdd : KernelAlgorithm.Add)));
        Assert.Equal(1, steps.Count(a => a == (scalar ? KernelAlgorithm.ReferenceAveragePool : KernelAlgorithm.AveragePool)));
        Assert.Equal(scalar ? 3 : 0, steps.Count(a => a == KernelAlgorithm.ReferenceGeneralConv2D));
        Assert.Equal(scalar ? 0 : 1, steps.Count(a => a == KernelAlgorithm.StridedConv2D));
        Assert.Equal(scalar ? 0 : 2, steps.Count(a => a == KernelAlgorithm.PointwiseConv2D));
        // The max pool after layer 12 is still fused on the SIMD paths; after the kept layer 4 of Mixed() it is not.
        Assert.Equal(scalar ? 1 : 0, steps.Count(a => a is KernelAlgorithm.MaxPool or KernelAlgorithm.ReferenceMaxPool));
        Model mixed = Model.FromDocument(TestModels.RandomDocument(Mixed(), 3, out _), new ModelOptions { KernelPath = path });
        Assert.Equal(1, mixed.StepAlgorithms().Count(a => a is KernelAlgorithm.MaxPool or KernelAlgorithm.ReferenceMaxPool));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Vector_paths_give_the_scalar_bits_for_add_and_average_pool(KernelPath path)
    {
        var network = new NetworkDescription(
        [
            new InputLayer(13, 11), new ConcatenateLayer(), new Conv2DLayer(11, 3, Padding.Same, Activation.None),
            new Conv2DLayer(11, 3, Padding.Same, Activation.None), new AddLayer(2, Activation.Relu), new AveragePool2DLayer(),
        ]);
        ModelDocument doc = TestModels.RandomDocument(network, 8, out _);
        (float[] snr, byte[] mask) = TestModels.RandomInput(13, 11, 8);
        var got = new float[6 * 5 * 11];
        var want = new float[got.Length];
        // The same inputs to Add: the conv outputs of the vector path, evaluated by its Add and pool and by the scalar ones.
        InferenceContext vector = Model.FromDocument(doc, new ModelOptions { KernelPath = path }).CreateContext();
        vector.Evaluate(snr, mask, got);
        var convs = new float[13 * 11 * 11];
        var before = new float[convs.Length];
        Model.FromDocument(doc.Prefix(4), new ModelOptions { KernelPath = path }).CreateContext().Evaluate(snr, mask, convs);
        Model.FromDocument(doc.Prefix(3), new ModelOptions { KernelPath = path }).CreateContext().Evaluate(snr, mask, before);
        var sum = new float[convs.Length];
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] = MathF.Max(convs[i] + before[i], 0f);
        }
        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                for (int c = 0; c < 11; c++)
                {
                    int a = ((((2 * y) * 11) + (2 * x)) * 11) + c, b = a + (11 * 11);
                    want[(((y * 5) + x) * 11) + c] = (sum[a] + sum[a + 11] + (sum[b] + sum[b + 11])) * 0.25f;
                }
            }
        }
        Assert.Equal(want, got);
    }

    [Fact]
    public void The_quantizer_takes_them_and_the_int8_engine_runs_them()
    {
        // The int8 side is tested in Quantized/Int8ResidualTests; here: both test networks quantize and load.
        foreach (NetworkDescription network in All())
        {
            ModelDocument doc = TestModels.RandomDocument(network, 4, out _);
            ModelDocument q = Eclairs.Quantization.Quantizer.Quantize(doc, Quantized.Int8TestModels.Alerts(network, 4, 1), new() { RefinementAlerts = 0 });
            Assert.Equal(network.Layers.Count(l => l is AddLayer), Eclairs.Onboard.Inference.Quantized.Int8Parameters.FromDocument(q).Adds.Count);
            Assert.InRange(Eclairs.Onboard.Inference.Quantized.Int8Model.FromDocument(q).CreateContext().Classify(TestModels.RandomInput(network.InputHeight, network.InputWidth, 3).Snr,
                TestModels.RandomInput(network.InputHeight, network.InputWidth, 3).Mask).Probability, 0f, 1f);
        }
    }

    [Fact]
    public void The_file_holds_the_new_layers_and_reads_back_the_same()
    {
        foreach (NetworkDescription network in All())
        {
            ModelDocument doc = TestModels.RandomDocument(network, 2, out _);
            byte[] bytes = EclwWriter.ToBytes(doc);
            ModelDocument back = EclwReader.Read(bytes);
            Assert.Equal(network.Layers, back.Network.Layers);
            Assert.Equal(bytes, EclwWriter.ToBytes(back));
        }
    }

    [Theory]
    [InlineData(0, "earlier layer 1..")]
    [InlineData(4, "earlier layer 1..")]
    [InlineData(9, "earlier layer 1..")]
    public void An_add_reading_the_previous_or_a_missing_layer_is_refused(int source, string message)
    {
        var e = Assert.Throws<ModelFormatException>(() => new NetworkDescription(
        [
            new InputLayer(8, 8), new ConcatenateLayer(), new Conv2DLayer(2, 3, Padding.Same, Activation.None),
            new Conv2DLayer(2, 3, Padding.Same, Activation.None), new Conv2DLayer(2, 3, Padding.Same, Activation.None),
            new AddLayer(source, Activation.None),
        ]));
        Assert.Equal(ModelFormatError.InvalidLayerParameter, e.Error);
        Assert.Contains("layer 5", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_of_different_shapes_and_bad_strides_or_kernels_are_refused()
    {
        var shape = Assert.Throws<ModelFormatException>(() => new NetworkDescription(
        [
            new InputLayer(8, 8), new ConcatenateLayer(), new Conv2DLayer(4, 3, Padding.Same, Activation.None),
            new GeneralConv2DLayer(4, 3, 2, Padding.Same, Activation.None), new AddLayer(2, Activation.None),
        ]));
        Assert.Equal(ModelFormatError.ShapeMismatch, shape.Error);
        Assert.Contains("4x4x4", shape.Message, StringComparison.Ordinal);
        foreach ((int k, int s) in new[] { (2, 1), (9, 1), (3, 3), (1, 0) })
        {
            var e = Assert.Throws<ModelFormatException>(() => new NetworkDescription(
                [new InputLayer(8, 8), new ConcatenateLayer(), new GeneralConv2DLayer(4, k, s, Padding.Same, Activation.None)]));
            Assert.Equal(ModelFormatError.InvalidLayerParameter, e.Error);
        }
    }
}

[Collection(nameof(AllocationTests))]
public class BranchLayerAllocationTests
{
    public static TheoryData<KernelPath> Paths => TestModels.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_residual_network_classifies_without_allocating(KernelPath path)
    {
        ModelDocument doc = TestModels.RandomDocument(BranchLayerTests.Residual(), 5, out _);
        AlertClassifierContext context = AlertClassifier.FromDocument(doc, new ModelOptions { KernelPath = path }).CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(23, 19, 5);
        for (int i = 0; i < 10; i++)
        {
            context.Classify(snr, mask);
        }
        AllocationTests.SettleHeap();
        long before = GC.GetAllocatedBytesForCurrentThread();
        float sum = 0;
        for (int i = 0; i < 300; i++)
        {
            sum += context.Classify(snr, mask).Probability;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }
}

public class BranchLayerLimitTests
{
    [Fact]
    public void Kept_outputs_beyond_any_scratch_are_a_format_error_not_an_overflow()
    {
        // 4096 x 4096 x 2 = 2^25 floats per kept input; 40 Adds each reading the input keep it once, but branches
        // from 20 different 2^25-float layers would need 2^30 floats: refused at load with the layer named.
        var layers = new System.Collections.Generic.List<LayerSpec> { new InputLayer(4096, 4096), new ConcatenateLayer() };
        for (int i = 0; i < 30; i++)
        {
            layers.Add(new DropoutLayer(0f));
        }
        for (int i = 0; i < 30; i++)
        {
            layers.Add(new BranchLayer(2 + i));
        }
        var network = new NetworkDescription(layers);
        var document = ModelDocument.FromParameters("huge", network, []);
        var e = Assert.Throws<ModelFormatException>(() => Model.FromDocument(document));
        Assert.Equal(ModelFormatError.ShapeMismatch, e.Error);
        Assert.Contains("kept", e.Message, StringComparison.Ordinal);
    }
}
