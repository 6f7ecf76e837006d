using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Training.Tests;

/// <summary>
/// End-to-end check of the chained backward pass (all layer kinds plus weighted sigmoid cross-entropy) against
/// central differences of the loss. Kinks are detected from the activation pattern (every ReLU's sign and every
/// pool window's winner) at -e, 0, +e. Bound: relative error 5e-3 (floor 1e-3), epsilon 1e-2, float.
/// </summary>
public class NetworkGradientTests(ITestOutputHelper output)
{
    private static NetworkSpec Small(bool globalPool) => new("small", new TensorShape(10, 10, 2), globalPool
        ? [
            new Conv2DSpec(4, 3, Padding.Same, Activation.Relu),
            new MaxPool2DSpec(),
            new Conv2DSpec(6, 5, Padding.Same, Activation.Relu),
            new GlobalAveragePoolSpec(),
            new DenseSpec(5, Activation.Relu),
            new DropoutSpec(0.3),
            new DenseSpec(1, Activation.None),
        ]
        : [
            new Conv2DSpec(4, 3, Padding.Same, Activation.Relu),
            new MaxPool2DSpec(),
            new Conv2DSpec(7, 3, Padding.Valid, Activation.Relu),
            new FlattenSpec(),
            new DenseSpec(16, Activation.Relu),
            new DropoutSpec(0.3),
            new DenseSpec(1, Activation.None),
        ]);

    [Theory]
    [InlineData(false, 1, 2.0)]
    [InlineData(false, 0, 0.6)]
    [InlineData(true, 1, 1.3)]
    public void Network_gradient_matches_finite_differences(bool globalPool, int label, double classWeight)
    {
        var network = new TrainingNetwork(Small(globalPool));
        network.Initialize(5);
        var rng = new Xoshiro256StarStar(77);
        foreach (ref float p in network.Parameters)
        {
            p += (float)(0.05 * rng.NextGaussian()); // non-zero biases
        }

        NetworkWorkspace workspace = network.CreateWorkspace();
        for (int i = 0; i < workspace.Input.Length; i++)
        {
            workspace.Input[i] = (float)rng.NextDouble();
        }

        const ulong dropoutSeed = 1234;
        float[] gradient = new float[network.ParameterCount];
        network.ForwardBackward(workspace, label, classWeight, gradient, dropoutSeed);
        double outputGradient = SigmoidCrossEntropy.Gradient(network.Forward(workspace, true, dropoutSeed), label, classWeight);
        output.WriteLine($"dloss/dlogit {outputGradient:F4}");
        Assert.True(Math.Abs(outputGradient) > 0.05 * classWeight, "the sigmoid is saturated: the check would be vacuous");
        int live = 0;
        foreach (float g in gradient)
        {
            live += Math.Abs(g) > 1e-4 ? 1 : 0;
        }

        Assert.True(live > 100, $"only {live} of {gradient.Length} gradients are non-zero");

        Span<float> parameters = network.Parameters;
        int checkedCount = 0, kinks = 0;
        double worst = 0;
        const float eps = 1e-2f;
        for (int i = 0; i < parameters.Length; i += 3)
        {
            float saved = parameters[i];
            List<int> center = Pattern(network, workspace, dropoutSeed, out _, label, classWeight);
            parameters[i] = saved + eps;
            List<int> up = Pattern(network, workspace, dropoutSeed, out double plus, label, classWeight);
            parameters[i] = saved - eps;
            List<int> down = Pattern(network, workspace, dropoutSeed, out double minus, label, classWeight);
            parameters[i] = saved;
            if (!center.SequenceEqual(up) || !center.SequenceEqual(down))
            {
                kinks++;
                continue;
            }

            double numeric = (plus - minus) / (2 * eps);
            double error = Math.Abs(numeric - gradient[i]) / Math.Max(1e-3, Math.Max(Math.Abs(numeric), Math.Abs(gradient[i])));
            worst = Math.Max(worst, error);
            checkedCount++;
        }

        output.WriteLine($"checked {checkedCount}, kinks {kinks}, worst {worst:E2}");
        Assert.True(checkedCount > 100);
        Assert.True(kinks < 0.2 * (checkedCount + kinks));
        Assert.True(worst < 5e-3, $"worst relative error {worst:E2}");
    }

    private static List<int> Pattern(TrainingNetwork network, NetworkWorkspace workspace, ulong seed, out double loss, int label, double weight)
    {
        float logit = network.Forward(workspace, training: true, seed);
        loss = SigmoidCrossEntropy.Loss(logit, label, weight);
        var pattern = new List<int>();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            TrainingLayer layer = network.Layers[l];
            float[] output = workspace.Activations[l];
            if (layer.Spec is MaxPool2DSpec)
            {
                float[] input = l == 0 ? workspace.Input : workspace.Activations[l - 1];
                int c = layer.InputShape.Channels, w = layer.InputShape.Width, ow = layer.OutputShape.Width;
                for (int o = 0; o < output.Length; o++)
                {
                    int ch = o % c, ox = o / c % ow, oy = o / c / ow;
                    int best = -1;
                    for (int d = 0; d < 4; d++)
                    {
                        int idx = ((2 * oy + d / 2) * w + 2 * ox + d % 2) * c + ch;
                        if (best < 0 || input[idx] > input[best])
                        {
                            best = idx;
                        }
                    }

                    pattern.Add(best);
                }
            }
            else
            {
                foreach (float v in output)
                {
                    pattern.Add(v > 0 ? 1 : 0);
                }
            }
        }

        return pattern;
    }
}
