using System;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Data;

/// <summary>
/// Augmentation of an encoded alert (channels last: SNR, mask), applied to both channels together so image and
/// mask stay aligned.
/// <para>
/// Geometry: the trigger pixel of an n x n sub-image (n even) is at row n/2, column n/2, e.g. (28, 28) of 56 x 56,
/// so offsets from it run from -n/2 to n/2 - 1 and the image is not symmetric about it. Symmetries are taken about
/// the trigger pixel's centre, which therefore never moves. The one row (and column) at offset -n/2 has no mirror
/// image inside the sub-image; output pixels whose source would lie outside the sub-image get SNR 0 and mask 0,
/// which is exactly the mask's meaning of "no data". No wrap-around, no resampling.
/// </para>
/// </summary>
public static class Augmentation
{
    /// <summary>Writes <paramref name="symmetry"/> of the n x n two-channel <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Apply(Symmetry symmetry, int side, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (side <= 0 || side % 2 != 0)
        {
            throw new ArgumentException($"Symmetries about the trigger pixel need an even square side; got {side}.", nameof(side));
        }

        if (source.Length != 2 * side * side || destination.Length != source.Length)
        {
            throw new ArgumentException($"A {side}x{side}x2 alert has {2 * side * side} values; got {source.Length} and {destination.Length}.");
        }

        if (source.Overlaps(destination))
        {
            throw new ArgumentException("Source and destination must not overlap.", nameof(destination));
        }

        int c = side / 2;
        for (int y = 0; y < side; y++)
        {
            int dy = y - c;
            for (int x = 0; x < side; x++)
            {
                int dx = x - c;
                (int sy, int sx) = symmetry switch
                {
                    Symmetry.Identity => (dy, dx),
                    Symmetry.Rotate90 => (dx, -dy),
                    Symmetry.Rotate180 => (-dy, -dx),
                    Symmetry.Rotate270 => (-dx, dy),
                    Symmetry.FlipRows => (-dy, dx),
                    Symmetry.FlipColumns => (dy, -dx),
                    Symmetry.Transpose => (dx, dy),
                    Symmetry.AntiTranspose => (-dx, -dy),
                    _ => throw new ArgumentOutOfRangeException(nameof(symmetry), symmetry, "Unknown symmetry."),
                };
                int row = sy + c, col = sx + c;
                int o = 2 * (y * side + x);
                if ((uint)row < (uint)side && (uint)col < (uint)side)
                {
                    int s = 2 * (row * side + col);
                    destination[o] = source[s];
                    destination[o + 1] = source[s + 1];
                }
                else
                {
                    destination[o] = 0f;
                    destination[o + 1] = 0f;
                }
            }
        }
    }

    /// <summary>Adds sigma * N(0, 1) to the SNR channel wherever the mask channel is non-zero.</summary>
    public static void AddSnrNoise(Span<float> encoded, double sigma, ref Xoshiro256StarStar rng)
    {
        if (!(sigma >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Noise sigma must be >= 0.");
        }

        if (sigma == 0)
        {
            return;
        }

        for (int p = 0; p + 1 < encoded.Length; p += 2)
        {
            if (encoded[p + 1] != 0f)
            {
                encoded[p] += (float)(sigma * rng.NextGaussian());
            }
        }
    }
}
