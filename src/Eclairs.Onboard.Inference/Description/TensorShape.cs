using System.Globalization;

namespace Eclairs.Onboard.Inference;

/// <summary>Shape of one activation, batch 1, channels last (NHWC without N). A vector is 1 x 1 x N.</summary>
public readonly record struct TensorShape(int Height, int Width, int Channels)
{
    /// <summary>Number of elements.</summary>
    public long Size => (long)Height * Width * Channels;

    /// <summary>True for 1 x 1 x N: what a dense layer takes.</summary>
    public bool IsVector => Height == 1 && Width == 1;

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}x{Channels}");
}
