using System;

namespace Eclairs.Training.Data;

/// <summary>
/// The network input of one alert, channels last: channel 0 the SNR (0 where the mask is 0, i.e. no data),
/// channel 1 the mask value 0..3 as a float. The engine builds the same tensor on board.
/// </summary>
public static class AlertEncoding
{
    /// <summary>Interleaves SNR and mask into <paramref name="destination"/> (2 floats per pixel).</summary>
    public static void Encode(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, Span<float> destination)
    {
        if (mask.Length != snr.Length || destination.Length != 2 * snr.Length)
        {
            throw new ArgumentException(
                $"Encoding needs snr, mask of equal length and a destination twice as long; got {snr.Length}, {mask.Length}, {destination.Length}.");
        }

        for (int p = 0; p < snr.Length; p++)
        {
            byte m = mask[p];
            destination[2 * p] = m == 0 ? 0f : snr[p];
            destination[2 * p + 1] = m;
        }
    }

    /// <summary>
    /// Zeroes the mask channel of an encoded input, for networks trained without the mask (the mask ablation). The
    /// SNR keeps its 0 where there is no data: a network without a mask still has to be given some value there.
    /// </summary>
    public static void DropMask(Span<float> encoded)
    {
        for (int p = 1; p < encoded.Length; p += 2)
        {
            encoded[p] = 0f;
        }
    }
}
