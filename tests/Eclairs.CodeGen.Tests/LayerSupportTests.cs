using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// The generator accepts exactly the layers and shapes its C computes (issue 17's residual Add, Branch, average pooling,
/// strided and 1x1 convolutions included) and refuses the rest, naming the layer, instead of writing C that computes
/// something else.
/// </summary>
public sealed class LayerSupportTests
{
    private static LayerInfo Info(int index, LayerSpec spec, TensorShape input, TensorShape output) => new(index, spec, input, output, 0, 0);

    [Fact]
    public void EveryLayerOfTheShippedAndTestNetworksIsSupported()
    {
        foreach (string name in new[] { "eclairs-compact-v1.int8", "eclairs-cnn-v1.int8" })
        {
            NetworkDescription network = EclwReader.Read(RepositoryFiles.Read($"weights/{name}.eclw")).Network;
            CLayerSupport.Check(network.LayerInfos);
            Assert.All(network.LayerInfos, l => Assert.Null(CLayerSupport.Refusal(l)));
        }
        foreach (string name in ExtremeModels.Names)
        {
            CLayerSupport.Check(ExtremeModels.Network(name).LayerInfos);
        }
    }

    /// <summary>A layer kind the C has no kernel for (none exists in the format today: a spec defined here).</summary>
    private sealed record UnknownLayer : LayerSpec
    {
        public override LayerKind Kind => (LayerKind)99;
    }

    [Fact]
    public void AnUnknownLayerKindIsRefusedWithItsIndexAndKind()
    {
        NetworkDescription compact = EclwReader.Read(RepositoryFiles.Read("weights/eclairs-compact-v1.int8.eclw")).Network;
        var layers = compact.LayerInfos.ToList();
        var shape = new TensorShape(28, 28, 16);
        layers.Insert(4, Info(4, new UnknownLayer(), shape, shape));
        var e = Assert.Throws<NotSupportedException>(() => CLayerSupport.Check(layers));
        Assert.StartsWith("layer 4 (UnknownLayer, kind 99): no kernel in the generated C", e.Message, StringComparison.Ordinal);
        Assert.Contains(CLayerSupport.Supported, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheResidualLayersAreAcceptedWithTheShapesTheCComputes()
    {
        var shape = new TensorShape(28, 28, 16);
        Assert.Null(CLayerSupport.Refusal(Info(7, new AddLayer(3, Activation.Relu), shape, shape)));
        Assert.Null(CLayerSupport.Refusal(Info(7, new BranchLayer(3), shape, shape)));
        Assert.Null(CLayerSupport.Refusal(Info(7, new AveragePool2DLayer(), new TensorShape(13, 11, 4), new TensorShape(6, 5, 4))));
        // Side floor((n + 2 pad - k) / stride) + 1, by hand: 28 'same' 3x3 stride 2 -> 14; 'valid' -> 13; 1x1 stride 2 -> 14; 7x7 'same' stride 2 on 9 -> 5.
        Assert.Null(CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(32, 3, 2, Padding.Same, Activation.Relu), shape, new TensorShape(14, 14, 32))));
        Assert.Null(CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(32, 3, 2, Padding.Valid, Activation.Relu), shape, new TensorShape(13, 13, 32))));
        Assert.Null(CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(32, 1, 2, Padding.Same, Activation.None), shape, new TensorShape(14, 14, 32))));
        Assert.Null(CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(8, 1, 1, Padding.Valid, Activation.None), shape, new TensorShape(28, 28, 8))));
        Assert.Null(CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(3, 7, 2, Padding.Same, Activation.Relu), new TensorShape(9, 9, 4), new TensorShape(5, 5, 3))));
        foreach (string name in new[] { "Residual", "ResidualSmall" })
        {
            CLayerSupport.Check(ExtremeModels.Network(name).LayerInfos);
        }
    }

    [Fact]
    public void ResidualLayersWithOtherShapesOrParametersAreRefusedNamingTheLayer()
    {
        var shape = new TensorShape(28, 28, 16);
        Assert.Equal("output 28x28x8 is not its input's shape 28x28x16", CLayerSupport.Refusal(Info(7, new AddLayer(3, Activation.None), shape, new TensorShape(28, 28, 8))));
        Assert.Equal("output 13x13x4 is not the 2x2 stride-2 pooling's 14x14x16",
            CLayerSupport.Refusal(Info(7, new AveragePool2DLayer(), shape, new TensorShape(13, 13, 4))));
        Assert.Equal("output 14x14x32 is not the stride-1 convolution's 28x28x32",
            CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(32, 1, 1, Padding.Same, Activation.None), shape, new TensorShape(14, 14, 32))));
        Assert.Equal("a 3x3 stride-3 kernel has no C kernel",
            CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(32, 3, 3, Padding.Same, Activation.None), shape, new TensorShape(10, 10, 32))));
        Assert.Equal("a 9x9 stride-1 kernel has no C kernel",
            CLayerSupport.Refusal(Info(7, new GeneralConv2DLayer(32, 9, 1, Padding.Same, Activation.None), shape, shape)));
        var e = Assert.Throws<NotSupportedException>(() => CLayerSupport.Check([Info(5, new GeneralConv2DLayer(32, 3, 3, Padding.Same, Activation.None), shape, new TensorShape(10, 10, 32))]));
        Assert.StartsWith("layer 5 (GeneralConv2D): a 3x3 stride-3 kernel", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, Padding.Same, 56, 28)] // stride 2, 'same'
    [InlineData(3, Padding.Valid, 56, 27)] // stride 2, 'valid'
    [InlineData(3, Padding.Same, 56, 57)] // not a convolution's shape at all
    public void AConvolutionWhoseShapeIsNotStrideOneIsRefused(int kernel, Padding padding, int inputSize, int outputSize)
    {
        var conv = new Conv2DLayer(16, kernel, padding, Activation.Relu);
        var input = new TensorShape(inputSize, inputSize, 8);
        var output = new TensorShape(outputSize, outputSize, 16);
        var e = Assert.Throws<NotSupportedException>(() => CLayerSupport.Check([Info(2, conv, input, output)]));
        Assert.StartsWith($"layer 2 (Conv2D): output {output} is not the stride-1 convolution's", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvolutionsOtherThan3x3And5x5AreRefused()
    {
        var shape = new TensorShape(28, 28, 16);
        Assert.Equal("a 1x1 kernel has no C kernel", CLayerSupport.Refusal(Info(3, new Conv2DLayer(16, 1, Padding.Same, Activation.None), shape, shape)));
        Assert.Equal("a 7x7 kernel has no C kernel", CLayerSupport.Refusal(Info(3, new Conv2DLayer(16, 7, Padding.Same, Activation.None), shape, shape)));
        Assert.Null(CLayerSupport.Refusal(Info(3, new Conv2DLayer(16, 5, Padding.Same, Activation.None), shape, shape)));
        Assert.Null(CLayerSupport.Refusal(Info(3, new Conv2DLayer(16, 3, Padding.Valid, Activation.None), shape, new TensorShape(26, 26, 16))));
    }

    [Fact]
    public void PoolingsAndDenseLayersWithOtherShapesAreRefused()
    {
        var input = new TensorShape(13, 11, 4);
        Assert.Null(CLayerSupport.Refusal(Info(5, new MaxPool2DLayer(), input, new TensorShape(6, 5, 4))));
        Assert.Equal("output 12x10x4 is not the 2x2 stride-2 pooling's 6x5x4",
            CLayerSupport.Refusal(Info(5, new MaxPool2DLayer(), input, new TensorShape(12, 10, 4)))); // 2x2 stride 1
        Assert.Equal("output 2x2x4 is not 1x1x4", CLayerSupport.Refusal(Info(6, new GlobalAveragePoolLayer(), input, new TensorShape(2, 2, 4))));
        Assert.Equal("13x11x4 to 1x1x8 is not a vector to 1x1x8",
            CLayerSupport.Refusal(Info(7, new DenseLayer(8, Activation.None), input, new TensorShape(1, 1, 8))));
    }
}
