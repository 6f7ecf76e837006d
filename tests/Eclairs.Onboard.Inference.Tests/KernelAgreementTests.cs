using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>Every kernel path against the double-precision naive network, end to end and layer by layer.</summary>
public class KernelAgreementTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<KernelPath> Paths => TestModels.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Logits_agree_with_the_naive_network_on_every_architecture(KernelPath path)
    {
        int seed = 1;
        foreach (NetworkDescription network in TestModels.All())
        {
            ModelDocument doc = TestModels.RandomDocument(network, seed, out List<float[]> parameters);
            InferenceContext context = Model.FromDocument(doc, new ModelOptions { KernelPath = path }).CreateContext();
            for (int sample = 0; sample < 2; sample++)
            {
                (float[] snr, byte[] mask) = TestModels.RandomInput(network.InputHeight, network.InputWidth, (seed * 100) + sample);
                List<NaiveTensor> expected = NaiveNetwork.Run(network.Layers, parameters, snr, mask);
                ClassificationResult r = context.Classify(snr, mask);
                double logit = expected[^2].Data[0];
                Assert.True(Math.Abs(r.Logit - logit) <= Tolerance * Math.Max(1, Math.Abs(logit)),
                    $"{path} on {network.LayerCount}-layer network: logit {r.Logit}, naive {logit}");
                Assert.Equal(expected[^1].Data[0], r.Probability, 5e-6);
                Assert.Equal(r.Probability >= doc.DecisionThreshold, r.IsTrueAlert);
            }
            seed++;
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_layer_agrees_with_the_naive_network(KernelPath path)
    {
        int seed = 11;
        foreach (NetworkDescription network in TestModels.All())
        {
            ModelDocument doc = TestModels.RandomDocument(network, seed, out List<float[]> parameters);
            (float[] snr, byte[] mask) = TestModels.RandomInput(network.InputHeight, network.InputWidth, seed);
            List<NaiveTensor> expected = NaiveNetwork.Run(network.Layers, parameters, snr, mask);
            for (int layers = 2; layers < network.LayerCount; layers++)
            {
                InferenceContext context = Model.FromDocument(doc.Prefix(layers), new ModelOptions { KernelPath = path }).CreateContext();
                NaiveTensor want = expected[layers - 1];
                var got = new float[context.OutputLength];
                Assert.Equal(want.Data.Length, context.Evaluate(snr, mask, got));
                AssertClose(want.Data, got, $"{path}, layer {layers - 1} ({network.Layers[layers - 1].Kind}) of a {network.LayerCount}-layer network");
            }
            seed++;
        }
    }

    public static TheoryData<KernelPath, int, int> VectorPathsAndTiles()
    {
        var data = new TheoryData<KernelPath, int, int>();
        foreach (KernelPath p in TestModels.SupportedPaths())
        {
            if (p != KernelPath.Scalar)
            {
                foreach (int tile in new[] { 1, 2, 4 })
                {
                    data.Add(p, tile, 4);
                    data.Add(p, tile, 2);
                }
            }
        }
        return data;
    }

    /// <summary>
    /// Each register tile width the selector can choose (4 vectors with 32 registers, 2 with 16; 1 exercises the
    /// one-vector loop alone), forced on every vector path, with Winograd F(4x4) where it applies and F(2x2) only:
    /// every layer, pooled (fused) and unpooled, against the naive network, on channel counts that leave 2-vector,
    /// 1-vector and scalar tails.
    /// </summary>
    [Theory]
    [MemberData(nameof(VectorPathsAndTiles))]
    public void Every_float_tile_width_agrees_with_the_naive_network_layer_by_layer(KernelPath path, int tile, int winograd)
    {
        int seed = 31;
        foreach (NetworkDescription network in TestModels.All())
        {
            ModelDocument doc = TestModels.RandomDocument(network, seed, out List<float[]> parameters);
            (float[] snr, byte[] mask) = TestModels.RandomInput(network.InputHeight, network.InputWidth, seed);
            List<NaiveTensor> expected = NaiveNetwork.Run(network.Layers, parameters, snr, mask);
            for (int layers = 2; layers < network.LayerCount; layers++)
            {
                Model model = Model.FromDocument(doc.Prefix(layers), new ModelOptions { KernelPath = path, FloatTileVectors = tile, MaxWinogradTile = winograd });
                foreach (PlanStep step in model.Steps)
                {
                    Assert.Equal(tile, step.TileVectors);
                }
                InferenceContext context = model.CreateContext();
                var got = new float[context.OutputLength];
                Assert.Equal(expected[layers - 1].Data.Length, context.Evaluate(snr, mask, got));
                AssertClose(expected[layers - 1].Data, got, $"{path} tile {tile} F({winograd}), layer {layers - 1} ({network.Layers[layers - 1].Kind}) of a {network.LayerCount}-layer network");
            }
            seed++;
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Same_input_gives_the_same_bits_as_the_scalar_path_within_tolerance_and_itself_exactly(KernelPath path)
    {
        NetworkDescription network = TestModels.OddWide();
        ModelDocument doc = TestModels.RandomDocument(network, 5, out _);
        InferenceContext context = Model.FromDocument(doc, new ModelOptions { KernelPath = path }).CreateContext();
        InferenceContext scalar = Model.FromDocument(doc, new ModelOptions { KernelPath = KernelPath.Scalar }).CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(network.InputHeight, network.InputWidth, 5);
        ClassificationResult first = context.Classify(snr, mask);
        ClassificationResult second = context.Classify(snr, mask);
        Assert.Equal(first, second);
        float reference = scalar.Classify(snr, mask).Logit;
        Assert.True(Math.Abs(first.Logit - reference) <= Tolerance * Math.Max(1, Math.Abs(reference)));
    }

    internal static void AssertClose(double[] expected, float[] actual, string what)
    {
        double scale = 0;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }
        for (int i = 0; i < expected.Length; i++)
        {
            // Relative 1e-4, with the same floor of 1 as for logits (a value near 0 that results from cancelling
            // terms of order 1 carries float32 rounding of order 1e-6 in absolute terms), and 5 % of the tensor's
            // largest value for layers whose activations are large.
            double tolerance = Tolerance * Math.Max(Math.Abs(expected[i]), Math.Max(0.05 * scale, 1));
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, naive {expected[i]} (tolerance {tolerance})");
            }
        }
    }
}
