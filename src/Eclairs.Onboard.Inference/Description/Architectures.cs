using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>The network descriptions this project uses.</summary>
public static class Architectures
{
    /// <summary>Side of the alert sub-image (ICD: ECL_SUBIMAGE_SIDE).</summary>
    public const int SubImageSide = 56;

    /// <summary>
    /// The seed deck's classifier: Conv 3x3 32 same + ReLU, MaxPool, Conv 3x3 64 same + ReLU, MaxPool, Flatten,
    /// Dense 128 + ReLU, Dropout, Dense 1, Sigmoid. 1,624,993 parameters, 17,862,784 MACs.
    /// </summary>
    public static NetworkDescription CnnV1() => new(
    [
        new InputLayer(SubImageSide, SubImageSide),
        new ConcatenateLayer(),
        new Conv2DLayer(32, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new Conv2DLayer(64, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new FlattenLayer(),
        new DenseLayer(128, Activation.Relu),
        new DropoutLayer(0.5f),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>
    /// A small relative of <see cref="CnnV1"/> for a data set of a few hundred alerts: four 3x3 'same' convolutions
    /// (16, 32, 48, 48 filters, ReLU) with 2x2 pooling between them, global average pooling, Dense 32 + ReLU, Dropout,
    /// Dense 1. 41,201 parameters (under the 50,000 budget; 64/64 filters would give 60,368).
    /// </summary>
    public static NetworkDescription CompactV1() => new(
    [
        new InputLayer(SubImageSide, SubImageSide),
        new ConcatenateLayer(),
        new Conv2DLayer(16, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new Conv2DLayer(32, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new Conv2DLayer(48, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new Conv2DLayer(48, 3, Padding.Same, Activation.Relu),
        new GlobalAveragePoolLayer(),
        new DenseLayer(32, Activation.Relu),
        new DropoutLayer(0.3f),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>Names accepted by <see cref="FromName"/> (and by the tools' --arch option).</summary>
    public static IReadOnlyList<string> Names { get; } = ["cnn-v1", "compact-v1"];

    /// <summary>The architecture called <paramref name="name"/>, or null for an unknown name.</summary>
    public static NetworkDescription? FromName(string name) => name switch
    {
        "cnn-v1" => CnnV1(),
        "compact-v1" => CompactV1(),
        _ => null,
    };
}
