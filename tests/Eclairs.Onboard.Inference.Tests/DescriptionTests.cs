using System.Linq;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

public class DescriptionTests
{
    [Fact]
    public void Deck_network_has_the_decks_parameter_count_and_macs()
    {
        NetworkDescription n = Architectures.CnnV1();
        Assert.Equal(1_624_993, n.ParameterCount);
        // conv1 56·56·32·9·2, conv2 28·28·64·9·32, dense 12544·128, dense 128·1 (ECLAIRS.md).
        Assert.Equal(1_806_336L + 14_450_688L + 1_605_632L + 128L, n.Macs);
        Assert.Equal([608L, 18_496L, 1_605_760L, 129L], n.LayerInfos.Where(l => l.ParameterCount > 0).Select(l => l.ParameterCount));
        Assert.Equal(new TensorShape(14, 14, 64), n.LayerInfos[5].OutputShape);
        Assert.Equal(new TensorShape(1, 1, 12544), n.LayerInfos[6].OutputShape);
        Assert.True(n.IsClassifier);
        Assert.Equal(56 * 56 * 32, n.MaxActivationSize);
    }

    [Fact]
    public void Compact_network_stays_under_fifty_thousand_parameters()
    {
        NetworkDescription n = Architectures.CompactV1();
        // 3·3·2·16+16 + 3·3·16·32+32 + 3·3·32·48+48 + 3·3·48·48+48 + 48·32+32 + 32+1
        Assert.Equal(304 + 4_640 + 13_872 + 20_784 + 1_568 + 33, n.ParameterCount);
        Assert.True(n.ParameterCount <= 50_000);
        Assert.Equal(new TensorShape(7, 7, 48), n.LayerInfos[8].OutputShape);
    }

    [Fact]
    public void Valid_padding_and_odd_pooling_shapes()
    {
        NetworkDescription n = TestModels.OddSmall();
        Assert.Equal(new TensorShape(3, 5, 3), n.LayerInfos[2].OutputShape);   // 7x9, 5x5 valid
        Assert.Equal(new TensorShape(3, 5, 5), n.LayerInfos[3].OutputShape);   // same
        Assert.Equal(new TensorShape(1, 2, 5), n.LayerInfos[4].OutputShape);   // floor(3/2), floor(5/2)
        Assert.Equal(3L * 5 * 3 * (5 * 5 * 2), n.LayerInfos[2].Macs);
    }

    [Theory]
    [InlineData(4, ModelFormatError.InvalidLayerParameter)]
    [InlineData(7, ModelFormatError.InvalidLayerParameter)]
    public void Kernel_sizes_other_than_3_and_5_are_refused(int kernel, ModelFormatError error)
    {
        var e = Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new InputLayer(8, 8), new ConcatenateLayer(), new Conv2DLayer(4, kernel, Padding.Same, Activation.Relu)]));
        Assert.Equal(error, e.Error);
        Assert.Contains("layer 2", e.Message);
    }

    [Fact]
    public void Dense_on_an_image_is_a_shape_mismatch()
    {
        var e = Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new InputLayer(8, 8), new ConcatenateLayer(), new DenseLayer(4, Activation.None)]));
        Assert.Equal(ModelFormatError.ShapeMismatch, e.Error);
        Assert.Contains("8x8x2", e.Message);
    }

    [Fact]
    public void Valid_convolution_larger_than_its_input_is_a_shape_mismatch()
    {
        var e = Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new InputLayer(4, 9), new ConcatenateLayer(), new Conv2DLayer(4, 5, Padding.Valid, Activation.None)]));
        Assert.Equal(ModelFormatError.ShapeMismatch, e.Error);
    }

    [Fact]
    public void Sigmoid_needs_a_single_logit_and_the_last_place()
    {
        Assert.Equal(ModelFormatError.ShapeMismatch, Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new InputLayer(4, 4), new ConcatenateLayer(), new FlattenLayer(), new SigmoidLayer()])).Error);
        Assert.Equal(ModelFormatError.ShapeMismatch, Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new InputLayer(4, 4), new ConcatenateLayer(), new FlattenLayer(), new DenseLayer(1, Activation.None), new SigmoidLayer(), new DropoutLayer(0)])).Error);
    }

    [Fact]
    public void Input_and_concatenate_must_open_the_network()
    {
        Assert.Equal(ModelFormatError.ShapeMismatch, Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new ConcatenateLayer(), new InputLayer(4, 4)])).Error);
        Assert.Equal(ModelFormatError.ShapeMismatch, Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new InputLayer(4, 4), new ConcatenateLayer(), new ConcatenateLayer()])).Error);
    }

    [Fact]
    public void Dropout_rate_must_be_below_one()
    {
        Assert.Equal(ModelFormatError.InvalidLayerParameter, Assert.Throws<ModelFormatException>(() => new NetworkDescription(
            [new InputLayer(4, 4), new ConcatenateLayer(), new DropoutLayer(1f)])).Error);
    }

    [Fact]
    public void Required_tensors_follow_the_weight_layout()
    {
        NetworkDescription n = Architectures.CnnV1();
        Assert.Equal([3, 3, 2, 32], n.RequiredTensors[0].Shape);
        Assert.Equal([32], n.RequiredTensors[1].Shape);
        Assert.Equal([3, 3, 32, 64], n.RequiredTensors[2].Shape);
        Assert.Equal([12544, 128], n.RequiredTensors[4].Shape);
        Assert.Equal([128, 1], n.RequiredTensors[6].Shape);
    }
}
