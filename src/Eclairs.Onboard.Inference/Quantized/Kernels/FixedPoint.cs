using System;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// gemmlowp / TFLM fixed-point arithmetic, exactly as docs/int8.md and QUANTIZATION.md state it. Integer only;
/// <see cref="QuantizeMultiplier"/> is the one offline (double) helper.
/// </summary>
public static class FixedPoint
{
    /// <summary>Most negative shift <see cref="QuantizeMultiplier"/> keeps (TFLM: below it the multiplier is 0).</summary>
    public const int MinShift = -31;

    /// <summary>Largest left shift a requantization may use (x · 2^30 still fits the int32 wrap-around arithmetic).</summary>
    public const int MaxShift = 30;

    /// <summary>Smallest non-zero multiplier: 2^30 (a normalised Q31 fraction in [0.5, 1)).</summary>
    public const int MinMultiplier = 1 << 30;

    /// <summary>
    /// SaturatingRoundingDoublingHighMul (NEON VQRDMULH): a · b / 2^31 rounded to nearest with ties towards +infinity
    /// (the nudge then C's truncating division give floor(a · b / 2^31 + 1/2)), saturating the one overflow
    /// (INT32_MIN · INT32_MIN) to INT32_MAX.
    /// </summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue)
        {
            return int.MaxValue;
        }
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1L - (1L << 30);
        return (int)((ab + nudge) / (1L << 31)); // C# division truncates towards zero, as C's does.
    }

    /// <summary>RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero; exponent in 0..31.</summary>
    public static int RoundingDivideByPot(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>
    /// MultiplyByQuantizedMultiplier with TFLM's default double rounding: RDBPOT(SRDHM(x · 2^max(s,0), M), max(-s,0)).
    /// The left shift is an int32 multiply that wraps (C code must do it in uint32 to avoid undefined behaviour).
    /// </summary>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        return RoundingDivideByPot(SaturatingRoundingDoublingHighMul(unchecked(x * (1 << left)), multiplier), right);
    }

    /// <summary>
    /// TFLM's QuantizeMultiplier: real = q · 2^s with q in [0.5, 1) (frexp), M = round(q · 2^31) (ties away from zero,
    /// as std::round); M = 2^31 becomes 2^30 with s + 1; s &lt; -31 gives (0, 0). Real 0 gives (0, 0).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Real is negative, not finite, or needs a left shift above 30.</exception>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (!double.IsFinite(real) || real < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(real), real, "a requantization multiplier must be finite and >= 0");
        }
        if (real == 0)
        {
            return (0, 0);
        }
        (double q, int s) = Frexp(real);
        long m = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (m == 1L << 31)
        {
            m /= 2;
            s++;
        }
        if (s < MinShift)
        {
            return (0, 0);
        }
        if (s > MaxShift)
        {
            throw new ArgumentOutOfRangeException(nameof(real), real, "multiplier needs a left shift above 30");
        }
        return ((int)m, s);
    }

    /// <summary>C's frexp for finite positive x: x = q · 2^e, q in [0.5, 1). Exact (scaling by powers of two).</summary>
    internal static (double Fraction, int Exponent) Frexp(double x)
    {
        int e = Math.ILogB(x) + 1;
        double q = Math.ScaleB(x, -e);
        return (q, e);
    }
}
