using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Eclairs.Budget;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Budget.Tests;

public class LayerBudgetTests
{
    [Fact]
    public void CnnV1FloatLayersCostWhatTheShapesSay()
    {
        IReadOnlyList<LayerBudget> layers = LayerBudgets.For(Architectures.CnnV1(), NumberFormat.Float32);
        LayerBudget conv1 = layers[2];
        Assert.Equal("Conv2D 3x3x32 ReLU", conv1.Layer);
        Assert.Equal(56L * 56 * 32 * (3 * 3 * 2), conv1.Macs);
        Assert.Equal((3 * 3 * 2 * 32) + 32, conv1.Parameters);
        Assert.Equal(4L * 608, conv1.ParameterBytes);
        Assert.Equal(4L * 56 * 56 * 32, conv1.ActivationBytes);
        LayerBudget dense = layers[7];
        Assert.Equal(12544L * 128, dense.Macs);
        Assert.Equal((12544L * 128) + 128, dense.Parameters);
        Assert.Equal(4 * dense.Parameters, dense.ParameterBytes);
        Assert.Equal(4L * 128, dense.ActivationBytes);
        // The input holds an SNR float and a mask byte per pixel.
        Assert.Equal(56L * 56 * 5, layers[0].ActivationBytes);
        Assert.Equal(0, layers[3].Parameters);
        Assert.Equal(4L * 28 * 28 * 32, layers[3].ActivationBytes);
        Assert.Equal(17_862_784L, layers.Sum(l => l.Macs));
        Assert.Equal(1_624_993L, layers.Sum(l => l.Parameters));
    }

    [Fact]
    public void Int8LayersStoreOneByteAWeightAndTwelveBytesAChannel()
    {
        IReadOnlyList<LayerBudget> layers = LayerBudgets.For(Architectures.CnnV1(), NumberFormat.Int8);
        Assert.Equal(576 + (12 * 32), layers[2].ParameterBytes);
        Assert.Equal(56L * 56 * 32, layers[2].ActivationBytes);
        Assert.Equal((12544L * 128) + (12 * 128), layers[7].ParameterBytes);
        Assert.Equal(128 + 12, layers[9].ParameterBytes);
        Assert.Equal(0, layers[5].ParameterBytes);
    }

    [Theory]
    [InlineData("eclairs-cnn-v1.int8.eclw")]
    [InlineData("eclairs-compact-v1.int8.eclw")]
    public void Int8TotalsAgreeWithTheEngineOnTheShippedModels(string file)
    {
        Int8Model model = Int8Model.Load(File.ReadAllBytes(Repository.Weights(file)), KernelPath.Scalar);
        IReadOnlyList<LayerBudget> layers = LayerBudgets.For(model.Network, NumberFormat.Int8);
        Assert.Equal(model.ParameterBytes, layers.Sum(l => l.ParameterBytes));
    }

    [Fact]
    public void FloatTotalsAgreeWithTheNetworkFigures()
    {
        NetworkDescription compact = Architectures.CompactV1();
        IReadOnlyList<LayerBudget> layers = LayerBudgets.For(compact, NumberFormat.Float32);
        Assert.Equal(compact.Macs, layers.Sum(l => l.Macs));
        Assert.Equal(compact.ParameterCount, layers.Sum(l => l.Parameters));
        Assert.Equal(4 * compact.ParameterCount, layers.Sum(l => l.ParameterBytes));
    }
}

internal static class Repository
{
    public static string Root
    {
        get
        {
            for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (Directory.Exists(Path.Combine(d.FullName, "weights")) && File.Exists(Path.Combine(d.FullName, "Eclairs.Onboard.sln")))
                {
                    return d.FullName;
                }
            }
            throw new DirectoryNotFoundException($"no repository root above {AppContext.BaseDirectory}");
        }
    }

    public static string Weights(string file) => Path.Combine(Root, "weights", file);
}
