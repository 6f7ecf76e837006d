using System;

namespace Eclairs.Training.Networks;

/// <summary>The architectures the project trains and ships.</summary>
public static class Architectures
{
    /// <summary>Side of the alert sub-image.</summary>
    public const int ImageSide = 56;

    /// <summary>Input: SNR and mask as two channels.</summary>
    public static readonly TensorShape AlertInput = new(ImageSide, ImageSide, 2);

    /// <summary>
    /// The seed deck's network: conv3x3 32 same ReLU, pool, conv3x3 64 same ReLU, pool, flatten (12,544),
    /// dense 128 ReLU, dropout, dense 1 (logit): 1,624,993 parameters.
    /// </summary>
    public static NetworkSpec CnnV1(double dropout = 0.5) => new("cnn-v1", AlertInput,
    [
        new Conv2DSpec(32, 3, Padding.Same, Activation.Relu),
        new MaxPool2DSpec(),
        new Conv2DSpec(64, 3, Padding.Same, Activation.Relu),
        new MaxPool2DSpec(),
        new FlattenSpec(),
        new DenseSpec(128, Activation.Relu),
        new DropoutSpec(dropout),
        new DenseSpec(1, Activation.None),
    ]);

    /// <summary>The mask ablation: the deck's network given the SNR only (the mask channel zeroed, its weights 0).</summary>
    public static NetworkSpec CnnV1NoMask(double dropout = 0.5) => new("cnn-v1-nomask", AlertInput, CnnV1(dropout).Layers) { UsesMask = false };

    /// <summary>
    /// A compact network under 50,000 parameters, the same as the engine's compact-v1: conv 16, pool, conv 32, pool,
    /// conv 48, pool, conv 48 (all 3x3 same ReLU), global average pool, dense 32 ReLU, dropout, dense 1 (logit):
    /// 41,201 parameters.
    /// </summary>
    public static NetworkSpec CompactV1(double dropout = 0.3) => new("compact-v1", AlertInput,
    [
        new Conv2DSpec(16, 3, Padding.Same, Activation.Relu),
        new MaxPool2DSpec(),
        new Conv2DSpec(32, 3, Padding.Same, Activation.Relu),
        new MaxPool2DSpec(),
        new Conv2DSpec(48, 3, Padding.Same, Activation.Relu),
        new MaxPool2DSpec(),
        new Conv2DSpec(48, 3, Padding.Same, Activation.Relu),
        new GlobalAveragePoolSpec(),
        new DenseSpec(32, Activation.Relu),
        new DropoutSpec(dropout),
        new DenseSpec(1, Activation.None),
    ]);

    /// <summary>The names <see cref="ByName"/> knows.</summary>
    public static readonly string[] Names = ["cnn-v1", "compact-v1", "cnn-v1-nomask"];

    /// <summary>Looks an architecture up by its CLI name.</summary>
    public static NetworkSpec ByName(string name) => name switch
    {
        "cnn-v1" => CnnV1(),
        "compact-v1" => CompactV1(),
        "cnn-v1-nomask" => CnnV1NoMask(),
        _ => throw new ArgumentException($"unknown architecture '{name}'; known: {string.Join(", ", Names)}, or a .json architecture file"),
    };
}
