using System;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// The float edge of the int8 path: SNR and mask to the two-channel int8 input. With input scale 1/n and zero point
/// zp: SNR channel q = clamp(round(x · n) + zp, -128, 127) with x = snr · scale + offset (float32, no fused multiply-add;
/// round half away from zero) and x = 0 where the mask is 0; mask channel q = zp + n · m, exact.
/// </summary>
public static class Int8Input
{
    /// <summary>Checks and quantizes one alert into <paramref name="destination"/> (2 · pixels values, NHWC).</summary>
    /// <exception cref="InputValidationException">A length, mask value or SNR value is refused (nothing is written).</exception>
    public static void Quantize(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, InputNormalization normalization, int steps, int zeroPoint,
        Span<sbyte> destination)
    {
        int pixels = destination.Length / 2;
        InputError error = InputStage.Validate(snr, mask, pixels, out int pixel);
        if (error != InputError.None)
        {
            throw InputStage.Describe(error, pixel, snr, mask, pixels);
        }
        QuantizeValidated(snr, mask, normalization, steps, zeroPoint, destination);
    }

    /// <summary>Quantizes an alert that has passed <see cref="InputStage.Validate"/> (the same rules, checked once).</summary>
    internal static void QuantizeValidated(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, InputNormalization normalization, int steps, int zeroPoint,
        Span<sbyte> destination)
    {
        for (int i = 0; i < destination.Length / 2; i++)
        {
            byte m = mask[i];
            destination[2 * i] = m == 0 ? (sbyte)zeroPoint : QuantizeSnr((snr[i] * normalization.Scale) + normalization.Offset, steps, zeroPoint);
            destination[(2 * i) + 1] = (sbyte)(zeroPoint + (steps * m));
        }
    }

    /// <summary>One normalised SNR value to its int8 code (clipping at the calibrated range).</summary>
    public static sbyte QuantizeSnr(float normalized, int steps, int zeroPoint)
    {
        float scaled = MathF.Round(normalized * steps, MidpointRounding.AwayFromZero);
        // Clamp in float first so huge finite values convert safely; ±512 is already outside every int8 code.
        int code = (int)Math.Clamp(scaled, -512f, 512f) + zeroPoint;
        return (sbyte)Math.Clamp(code, sbyte.MinValue, sbyte.MaxValue);
    }
}
