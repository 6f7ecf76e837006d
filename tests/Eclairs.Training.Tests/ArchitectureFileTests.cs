using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Xunit;
using TrainingArchitectures = Eclairs.Training.Networks.Architectures;

namespace Eclairs.Training.Tests;

/// <summary>Layers as text (describe, --arch files, --freeze names), checked against the engine's own descriptions.</summary>
public sealed class ArchitectureFileTests
{
    [Theory]
    [InlineData("conv2d 3x3 16 same relu")]
    [InlineData("conv2d 5x5 7 valid")]
    [InlineData("maxpool 2x2")]
    [InlineData("globalavgpool")]
    [InlineData("flatten")]
    [InlineData("dense 32 relu")]
    [InlineData("dense 1")]
    [InlineData("dropout 0.25")]
    public void Layer_text_reads_back_as_written(string text) =>
        Assert.Equal(text, LayerText.Format(LayerText.Parse(text)));

    [Theory]
    [InlineData("conv2d 3x3", "FILTERS")]
    [InlineData("conv2d 7x7 16", "3x3 or 5x5")]
    [InlineData("conv2d 3x5 16", "3x3 or 5x5")]
    [InlineData("conv2d 3x3 16 same tanh", "'tanh'")]
    [InlineData("maxpool 3x3", "only 2x2")]
    [InlineData("dense 0", "UNITS '0'")]
    [InlineData("dropout 1", "[0, 1)")]
    [InlineData("lstm 4", "not a layer")]
    public void Layer_text_errors_say_what_was_expected(string text, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<FormatException>(() => LayerText.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Names_and_indices_follow_describe_and_select_only_layers_with_parameters()
    {
        NetworkDescription compact = Onboard.Inference.Architectures.CompactV1();
        Assert.Equal(
            ["input", "concat", "conv1", "pool1", "conv2", "pool2", "conv3", "pool3", "conv4", "gap1", "dense1", "dropout1", "dense2", "sigmoid"],
            LayerText.Names(compact));
        Assert.Equal([2, 4, 6, 8], LayerText.Select("conv1, CONV2,6,conv4", compact));
        Assert.Contains("has no parameters", Assert.Throws<FormatException>(() => LayerText.Select("pool1", compact)).Message, StringComparison.Ordinal);
        Assert.Contains("'conv9' is not a layer", Assert.Throws<FormatException>(() => LayerText.Select("conv9", compact)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compact-v1")]
    [InlineData("cnn-v1")]
    public void A_named_architecture_written_as_a_file_reads_back_as_the_engine_s_description(string name)
    {
        NetworkSpec spec = TrainingArchitectures.ByName(name);
        NetworkSpec back = ArchitectureFile.Parse(ArchitectureFile.Format(spec), "net.json");
        Assert.Equal(Onboard.Inference.Architectures.FromName(name)!.Layers, EngineModel.ToDescription(back).Layers);
        Assert.Equal(spec.Layers, back.Layers);
    }

    [Fact]
    public void A_hand_written_file_with_comments_defaults_the_input_to_56()
    {
        NetworkSpec spec = ArchitectureFile.Parse("""
            // the deck's network with a third convolution
            { "name": "cnn-v2", "layers": ["conv2d 3x3 32 same relu", "maxpool 2x2", "conv2d 3x3 64 same relu", "maxpool 2x2",
              "conv2d 3x3 64 same relu", "maxpool 2x2", "flatten", "dense 128 relu", "dropout 0.5", "dense 1"], }
            """, "cnn-v2.json");
        Assert.Equal(new Eclairs.Training.Networks.TensorShape(56, 56, 2), spec.Input);
        Assert.Equal(7 * 7 * 64 * 128 + 128, new TrainingNetwork(spec).Layers[7].ParameterCount);
    }

    [Theory]
    [InlineData("{ \"name\": \"x\", \"layers\": [\"dense 1\"], \"colour\": 1 }", "unknown key 'colour'")]
    [InlineData("{ \"layers\": [\"dense 1\"] }", "\"name\"")]
    [InlineData("{ \"name\": \"x\", \"layers\": [] }", "non-empty array")]
    [InlineData("{ \"name\": \"x\", \"layers\": [\"flatten\", \"dense 8 relu\", \"conv2d 9x9 4\"] }", "layers[2] 'conv2d 9x9 4': kernel")]
    [InlineData("{ \"name\": \"x\", \"layers\": [\"conv2d 5x5 4 valid\", \"maxpool\", \"conv2d 5x5 4 valid\", \"maxpool\", \"conv2d 5x5 4 valid\", \"maxpool\", \"conv2d 5x5 4 valid\", \"gap\", \"dense 1\"] }", "layers[6] 'conv2d 5x5 4 valid': a 5x5 'valid' convolution needs")]
    [InlineData("{ \"name\": \"x\", \"layers\": [\"flatten\", \"dense 8 relu\", 4] }", "layers[2] is not a string")]
    [InlineData("{ \"name\": \"x\", \"layers\": [\"flatten\", \"dense 2\"] }", "one logit")]
    [InlineData("{ \"name\": \"x\", \"layers\": [\"conv2d 3x3 4\", \"dense 1\"] }", "Dense takes a 1x1xN vector")]
    [InlineData("[1, 2]", "expected an object")]
    [InlineData("{ \"name\": ", "not JSON")]
    public void Malformed_files_name_the_file_and_what_is_wrong(string json, string fragment)
    {
        FormatException e = Assert.Throws<FormatException>(() => ArchitectureFile.Parse(json, "net.json"));
        Assert.StartsWith("net.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }
}
