using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// Quantizes an alert that has passed <see cref="InputStage.Validate"/> (the same rules, checked once): eight pixels
    /// per step on <see cref="Vector128"/> where it is accelerated, bit-identical to <see cref="QuantizeValidatedScalar"/>.
    /// </summary>
    internal static void QuantizeValidated(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, InputNormalization normalization, int steps, int zeroPoint,
        Span<sbyte> destination)
    {
        int pixels = destination.Length / 2, done = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            done = QuantizeVector(snr, mask, normalization, steps, zeroPoint, destination, pixels);
        }
        QuantizeValidatedScalar(snr, mask, normalization, steps, zeroPoint, destination, done);
    }

    /// <summary>The reference: pixel by pixel from <paramref name="first"/> on, with <see cref="QuantizeSnr"/>.</summary>
    internal static void QuantizeValidatedScalar(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, InputNormalization normalization, int steps, int zeroPoint,
        Span<sbyte> destination, int first = 0)
    {
        for (int i = first; i < destination.Length / 2; i++)
        {
            byte m = mask[i];
            destination[2 * i] = m == 0 ? (sbyte)zeroPoint : QuantizeSnr((snr[i] * normalization.Scale) + normalization.Offset, steps, zeroPoint);
            destination[(2 * i) + 1] = (sbyte)(zeroPoint + (steps * m));
        }
    }

    /// <summary>The whole eights of pixels; returns how many pixels it wrote. Lengths were checked by the caller.</summary>
    private static int QuantizeVector(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, InputNormalization normalization, int steps, int zeroPoint,
        Span<sbyte> destination, int pixels)
    {
        var edge = new SnrEdge(normalization, steps, zeroPoint);
        ref float s = ref MemoryMarshal.GetReference(snr);
        ref byte m = ref MemoryMarshal.GetReference(mask);
        ref sbyte d = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i + 8 <= pixels; i += 8)
        {
            (Vector128<uint> lower, Vector128<uint> upper) = InputStage.MaskLanes(ref m, i);
            Vector128<uint> first = edge.Pixels(Vector128.LoadUnsafe(ref s, (nuint)i), lower.AsInt32());
            Vector128<uint> second = edge.Pixels(Vector128.LoadUnsafe(ref s, (nuint)(i + 4)), upper.AsInt32());
            Vector128.Narrow(first, second).AsSByte().StoreUnsafe(ref d, (nuint)(2 * i));
        }
        return i;
    }

    /// <summary>The constants of <see cref="QuantizeSnr"/> and the mask code, four pixels at a time.</summary>
    private readonly struct SnrEdge(InputNormalization normalization, int steps, int zeroPoint)
    {
        private readonly Vector128<float> _scale = Vector128.Create(normalization.Scale), _offset = Vector128.Create(normalization.Offset);
        private readonly Vector128<float> _steps = Vector128.Create((float)steps);
        private readonly Vector128<int> _limit = Vector128.Create(512);
        private readonly Vector128<int> _zeroPoint = Vector128.Create(zeroPoint), _stepsInt = Vector128.Create(steps);

        /// <summary>Per pixel, the SNR code in the low byte and the mask code in the next (NHWC order once narrowed).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<uint> Pixels(Vector128<float> snr, Vector128<int> mask)
        {
            Vector128<float> scaled = ((snr * _scale) + _offset) * _steps;
            // Round half away from zero: the truncation plus one step away from zero where the dropped part is >= 1/2
            // (y − trunc(y) is exact in float).
            Vector128<float> whole = Vector128.Truncate(scaled);
            Vector128<float> away = Vector128.ConditionalSelect(Vector128.LessThan(scaled, Vector128<float>.Zero), -Vector128<float>.One, Vector128<float>.One);
            Vector128<float> rounded = whole + (away & Vector128.GreaterThanOrEqual(Vector128.Abs(scaled - whole), Vector128.Create(0.5f)));
            // The conversion saturates, so clamping the integer to ±512 equals clamping the float first (NaN only
            // reaches here under mask 0, which is replaced below).
            Vector128<int> code = Vector128.ConvertToInt32(rounded);
            code = Vector128.Min(Vector128.Max(code, -_limit), _limit) + _zeroPoint;
            code = Vector128.Min(Vector128.Max(code, Vector128.Create((int)sbyte.MinValue)), Vector128.Create((int)sbyte.MaxValue));
            code = Vector128.ConditionalSelect(Vector128.Equals(mask, Vector128<int>.Zero), _zeroPoint, code);
            Vector128<int> maskCode = _zeroPoint + (_stepsInt * mask);
            return ((code & Vector128.Create(0xFF)) | ((maskCode & Vector128.Create(0xFF)) << 8)).AsUInt32();
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
