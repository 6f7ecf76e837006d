using System;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// The vectorised input edge (validation and quantization, eight pixels per step) against plain pixel-by-pixel
/// references: the same codes bit for bit, and the same first refused pixel and error.
/// </summary>
public class Int8InputTests
{
    /// <summary>Lengths around the eight-pixel step, so both the vector body and the scalar tail are covered.</summary>
    public static TheoryData<int> Lengths => [1, 7, 8, 9, 16, 61, 3136];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void VectorQuantizationMatchesTheScalarReferenceBitForBit(int pixels)
    {
        var random = new Random(pixels);
        (float Scale, float Offset, int Steps, int ZeroPoint)[] edges =
        [
            (1f, 0f, 2, 3), (0.25f, -0.75f, 85, -128), (0.0123f, 0.5f, 127, 127), (3.7f, 1e-3f, 1, 0), (1f, 0f, 41, -17),
        ];
        foreach ((float scale, float offset, int steps, int zeroPoint) in edges)
        {
            var normalization = new InputNormalization(scale, offset);
            for (int trial = 0; trial < 40; trial++)
            {
                (float[] snr, byte[] mask) = Alert(random, pixels, scale, offset, steps);
                var fast = new sbyte[2 * pixels];
                var reference = new sbyte[2 * pixels];
                Int8Input.QuantizeValidated(snr, mask, normalization, steps, zeroPoint, fast);
                Int8Input.QuantizeValidatedScalar(snr, mask, normalization, steps, zeroPoint, reference);
                Assert.Equal(reference, fast);
            }
        }
    }

    [Fact]
    public void HalvesRoundAwayFromZeroInTheVectorBody()
    {
        // x · steps lands exactly on ±k.5 for x = ±(2k + 1) / 4 with steps 2: the vector body must round away from zero.
        float[] snr = [0.25f, -0.25f, 0.75f, -0.75f, 1.25f, -1.25f, 0.2499999f, -0.2499999f];
        byte[] mask = [1, 1, 1, 1, 1, 1, 1, 1];
        var codes = new sbyte[16];
        Int8Input.QuantizeValidated(snr, mask, InputNormalization.Identity, 2, 0, codes);
        Assert.Equal(new sbyte[] { 1, -1, 2, -2, 3, -3, 0, 0 }, new[] { codes[0], codes[2], codes[4], codes[6], codes[8], codes[10], codes[12], codes[14] });
        Assert.All(new[] { codes[1], codes[3], codes[5], codes[7], codes[9], codes[11], codes[13], codes[15] }, c => Assert.Equal(2, c));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ValidationNamesTheSameFirstPixelAsAPlainScan(int pixels)
    {
        var random = new Random(1000 + pixels);
        for (int trial = 0; trial < 200; trial++)
        {
            (float[] snr, byte[] mask) = Alert(random, pixels, 1f, 0f, 1);
            for (int i = 0; i < snr.Length; i++)
            {
                snr[i] = Math.Clamp(snr[i], -InputLimits.MaxAbsoluteSnr, InputLimits.MaxAbsoluteSnr);
            }
            int faults = random.Next(3);
            for (int f = 0; f < faults; f++)
            {
                int at = random.Next(pixels);
                switch (random.Next(5))
                {
                    case 0: mask[at] = (byte)(random.Next(2) == 0 ? 4 : random.Next(5, 256)); break; // 4: the first refused value
                    case 1: snr[at] = float.NaN; break;
                    case 2: snr[at] = random.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity; break;
                    case 3: snr[at] = InputLimits.MaxAbsoluteSnr * (random.Next(2) == 0 ? 1.0001f : -1.0001f); break;
                    default: snr[at] = InputLimits.MaxAbsoluteSnr; break; // the limit itself is accepted
                }
            }
            InputError error = InputStage.Validate(snr, mask, pixels, out int pixel);
            (InputError expectedError, int expectedPixel) = PlainScan(snr, mask);
            Assert.Equal(expectedError, error);
            Assert.Equal(expectedPixel, pixel);
        }
    }

    /// <summary>The documented rules, one pixel after another.</summary>
    private static (InputError, int) PlainScan(float[] snr, byte[] mask)
    {
        for (int i = 0; i < snr.Length; i++)
        {
            if (mask[i] > 3)
            {
                return (InputError.MaskOutOfRange, i);
            }
            if (mask[i] != 0 && float.IsNaN(snr[i]))
            {
                return (InputError.NonFiniteSnr, i);
            }
            if (mask[i] != 0 && float.IsInfinity(snr[i]))
            {
                return (InputError.NonFiniteSnr, i);
            }
            if (mask[i] != 0 && Math.Abs(snr[i]) > InputLimits.MaxAbsoluteSnr)
            {
                return (InputError.SnrOutOfRange, i);
            }
        }
        return (InputError.None, -1);
    }

    /// <summary>
    /// Ordinary SNRs, exact rounding midpoints, values just beside them, values far beyond the int8 range, the
    /// accepted limit, and NaN or infinities where the mask is 0 (which must come out as the zero point).
    /// </summary>
    private static (float[] Snr, byte[] Mask) Alert(Random random, int pixels, float scale, float offset, int steps)
    {
        var snr = new float[pixels];
        var mask = new byte[pixels];
        for (int i = 0; i < pixels; i++)
        {
            mask[i] = (byte)random.Next(4);
            snr[i] = random.Next(8) switch
            {
                0 => ((((random.Next(-300, 300) + 0.5f) / steps) - offset) / scale), // lands on or next to a midpoint
                1 => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((random.Next(-300, 300) + 0.5f) / steps) + random.Next(-2, 3)),
                2 => (random.Next(2) == 0 ? 1 : -1) * InputLimits.MaxAbsoluteSnr,
                3 => (float)(random.NextDouble() * 2e4) - 1e4f,
                _ => (float)((random.NextDouble() * 12) - 4),
            };
            if (mask[i] == 0 && random.Next(3) == 0)
            {
                snr[i] = random.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
            }
        }
        return (snr, mask);
    }
}
