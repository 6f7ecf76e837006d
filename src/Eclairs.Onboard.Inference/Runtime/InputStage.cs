using System;
using System.Globalization;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Checks one SNR image and mask and writes them as the two-channel NHWC input (SNR, mask as float 0..3).
/// Pixels with mask 0 enter as 0 whatever they hold (NaN included); elsewhere SNR is normalised.
/// </summary>
internal static class InputStage
{
    /// <summary>Writes pixel (y, x) at <c>destination + y * rowStride + 2 * x</c> (a row stride above 2·width writes into a padded region).</summary>
    public static unsafe void Write(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int height, int width, InputNormalization normalization,
        float* destination, int rowStride)
    {
        int pixels = height * width;
        if (snr.Length != pixels || mask.Length != pixels)
        {
            throw new InputValidationException(InputError.BadLength, -1,
                string.Create(CultureInfo.InvariantCulture, $"expected {pixels} SNR and {pixels} mask values, got {snr.Length} and {mask.Length}"));
        }
        float scale = normalization.Scale, offset = normalization.Offset;
        // Validate everything first, so a refused input leaves no partial write behind.
        for (int i = 0; i < pixels; i++)
        {
            byte m = mask[i];
            float s = snr[i];
            if (m > 3)
            {
                throw new InputValidationException(InputError.MaskOutOfRange, i,
                    string.Create(CultureInfo.InvariantCulture, $"mask value {m} at pixel {i} is outside 0..3"));
            }
            if (m != 0 && !float.IsFinite(s))
            {
                throw new InputValidationException(InputError.NonFiniteSnr, i,
                    string.Create(CultureInfo.InvariantCulture, $"SNR {s} at pixel {i} (mask {m}) is not finite"));
            }
        }
        for (int y = 0; y < height; y++)
        {
            float* row = destination + ((long)y * rowStride);
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                byte m = mask[i];
                row[2 * x] = m == 0 ? 0f : (snr[i] * scale) + offset;
                row[(2 * x) + 1] = m;
            }
        }
    }
}
