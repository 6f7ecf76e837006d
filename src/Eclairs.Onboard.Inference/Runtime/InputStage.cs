using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        for (int i = CleanPrefix(snr, mask, pixels); i < pixels; i++)
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

    /// <summary>
    /// How many leading pixels (whole eights, on <see cref="Vector128"/>) certainly pass; the scalar loop checks the
    /// rest and names the first problem, so the error and its pixel are the same as a pixel-by-pixel check.
    /// </summary>
    private static int CleanPrefix(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int pixels)
    {
        if (!Vector128.IsHardwareAccelerated)
        {
            return 0;
        }
        ref float s = ref MemoryMarshal.GetReference(snr);
        ref byte m = ref MemoryMarshal.GetReference(mask);
        Vector128<float> limit = Vector128.Create(InputLimits.MaxAbsoluteSnr);
        Vector128<uint> maxMask = Vector128.Create(3u);
        int i = 0;
        for (; i + 8 <= pixels; i += 8)
        {
            (Vector128<uint> lower, Vector128<uint> upper) = MaskLanes(ref m, i);
            if (Refused(Vector128.LoadUnsafe(ref s, (nuint)i), lower, limit, maxMask)
                || Refused(Vector128.LoadUnsafe(ref s, (nuint)(i + 4)), upper, limit, maxMask))
            {
                break;
            }
        }
        return i;
    }

    /// <summary>Mask values of pixels i .. i + 7 as two vectors of four uint32 lanes (one 8-byte load).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector128<uint> Lower, Vector128<uint> Upper) MaskLanes(ref byte mask, int i) =>
        Vector128.Widen(Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref mask, i))).AsByte()));

    /// <summary>Any of four pixels refused: mask above 3, or mask not 0 and |SNR| not within the limit (NaN included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Refused(Vector128<float> v, Vector128<uint> mk, Vector128<float> limit, Vector128<uint> maxMask) =>
        (Vector128.GreaterThan(mk, maxMask)
         | (~Vector128.Equals(mk, Vector128<uint>.Zero) & ~Vector128.LessThanOrEqual(Vector128.Abs(v), limit).AsUInt32())) != Vector128<uint>.Zero;

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
