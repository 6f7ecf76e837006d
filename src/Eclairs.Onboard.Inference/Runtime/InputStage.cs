using System;
using System.Globalization;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Checks one SNR image and mask and writes them as the two-channel NHWC input (SNR, mask as float 0..3).
/// Pixels with mask 0 enter as 0 whatever they hold (NaN included); elsewhere SNR is normalised.
/// </summary>
internal static class InputStage
{
    /// <summary>
    /// Checks lengths, mask values and SNR values without throwing: the first problem and its pixel (-1 for a length
    /// error), or <see cref="InputError.None"/>.
    /// </summary>
    public static InputError Validate(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int pixels, out int pixel)
    {
        pixel = -1;
        if (snr.Length != pixels || mask.Length != pixels)
        {
            return InputError.BadLength;
        }
        for (int i = 0; i < pixels; i++)
        {
            byte m = mask[i];
            if (m > 3)
            {
                pixel = i;
                return InputError.MaskOutOfRange;
            }
            float v = snr[i];
            if (m != 0 && !(MathF.Abs(v) <= InputLimits.MaxAbsoluteSnr))
            {
                pixel = i;
                return float.IsFinite(v) ? InputError.SnrOutOfRange : InputError.NonFiniteSnr;
            }
        }
        return InputError.None;
    }

    /// <summary>Throws the <see cref="InputValidationException"/> that describes <paramref name="error"/>.</summary>
    public static InputValidationException Describe(InputError error, int pixel, ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int pixels) => error switch
    {
        InputError.BadLength => new InputValidationException(InputError.BadLength, -1,
            string.Create(CultureInfo.InvariantCulture, $"expected {pixels} SNR and {pixels} mask values, got {snr.Length} and {mask.Length}")),
        InputError.MaskOutOfRange => new InputValidationException(InputError.MaskOutOfRange, pixel,
            string.Create(CultureInfo.InvariantCulture, $"mask value {mask[pixel]} at pixel {pixel} is outside 0..3")),
        InputError.SnrOutOfRange => new InputValidationException(InputError.SnrOutOfRange, pixel,
            string.Create(CultureInfo.InvariantCulture, $"SNR {snr[pixel]} at pixel {pixel} (mask {mask[pixel]}) is beyond ±{InputLimits.MaxAbsoluteSnr}")),
        _ => new InputValidationException(InputError.NonFiniteSnr, pixel,
            string.Create(CultureInfo.InvariantCulture, $"SNR {snr[pixel]} at pixel {pixel} (mask {mask[pixel]}) is not finite")),
    };

    /// <summary>
    /// Writes pixel (y, x) at <c>destination + y * rowStride + 2 * x</c> (a row stride above 2·width writes into a
    /// padded region). The input must have passed <see cref="Validate"/>.
    /// </summary>
    public static unsafe void Write(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int height, int width, InputNormalization normalization,
        float* destination, int rowStride)
    {
        float scale = normalization.Scale, offset = normalization.Offset;
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
