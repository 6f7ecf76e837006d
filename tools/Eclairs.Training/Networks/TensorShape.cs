using System;

namespace Eclairs.Training.Networks;

/// <summary>Shape of one sample's activation, channels last (NHWC without the batch axis).</summary>
public readonly record struct TensorShape(int Height, int Width, int Channels)
{
    /// <summary>Number of floats in one sample's activation.</summary>
    public int Size => checked(Height * Width * Channels);

    /// <summary>A flat vector of <paramref name="length"/> values (1 x 1 x length).</summary>
    public static TensorShape Vector(int length) => new(1, 1, length);

    internal void Validate(string what)
    {
        if (Height <= 0 || Width <= 0 || Channels <= 0)
        {
            throw new ArgumentException($"{what}: shape {this} must have positive height, width and channels.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Height}x{Width}x{Channels}";
}
