using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// Layers the engine runs before the generated C does (issue 17 phase 2's residual Add, Branch, average pooling,
/// strided or 1x1 convolution): the generator refuses them, naming the layer, instead of writing C that computes
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

    [Fact]
    public void AnUnknownLayerKindIsRefusedWithItsIndexAndKind()
    {
        NetworkDescription compact = EclwReader.Read(RepositoryFiles.Read("weights/eclairs-compact-v1.int8.eclw")).Network;
        var layers = compact.LayerInfos.ToList();
        var shape = new TensorShape(28, 28, 16);
        layers.Insert(4, Info(4, new AddLayer(2, Activation.None), shape, shape));
        var e = Assert.Throws<NotSupportedException>(() => CLayerSupport.Check(layers));
        Assert.StartsWith("layer 4 (Add): no kernel in the generated C", e.Message, StringComparison.Ordinal);
        Assert.Contains(CLayerSupport.Supported, e.Message, StringComparison.Ordinal);

        foreach (LayerSpec spec in new LayerSpec[] { new AveragePool2DLayer(), new BranchLayer(2), new GeneralConv2DLayer(16, 3, 2, Padding.Same, Activation.Relu) })
        {
            Assert.Equal("no kernel in the generated C", CLayerSupport.Refusal(Info(7, spec, shape, new TensorShape(14, 14, 16))));
        }
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
