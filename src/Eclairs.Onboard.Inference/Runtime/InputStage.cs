using System;
using System.Globalization;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Checks one SNR image and mask and writes them as the two-channel NHWC input (SNR, mask as float 0..3).
/// Pixels with mask 0 enter as 0 whatever they hold (NaN included); elsewhere SNR is normalised.
/// </summary>
internal static class InputStage
{
    public static void Write(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int pixels, InputNormalization normalization, Span<float> destination)
    {
        if (snr.Length != pixels || mask.Length != pixels)
        {
            throw new InputValidationException(InputError.BadLength, -1,
                string.Create(CultureInfo.InvariantCulture, $"expected {pixels} SNR and {pixels} mask values, got {snr.Length} and {mask.Length}"));
        }
        float scale = normalization.Scale, offset = normalization.Offset;
        destination = destination[..(2 * pixels)];
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
            destination[2 * i] = m == 0 ? 0f : (s * scale) + offset;
            destination[(2 * i) + 1] = m;
        }
    }
}
