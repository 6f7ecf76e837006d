using System;
using System.Numerics;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>The gemmlowp/TFLM primitives against exact BigInteger arithmetic and hand-computed values.</summary>
public sealed class FixedPointTests
{
    private static readonly int[] Extremes = [int.MinValue, int.MinValue + 1, -(1 << 30), -65536, -255, -3, -2, -1, 0, 1, 2, 3, 255, 65536, 1 << 30, int.MaxValue - 1, int.MaxValue];

    // floor(a·b / 2^31 + 1/2), saturated: what the nudge + truncating division computes, stated without either.
    private static int SrdhmExact(int a, int b)
    {
        BigInteger p = (BigInteger)a * b;
        BigInteger twice = (2 * p) + (BigInteger.One << 31);
        BigInteger r = FloorDiv(twice, BigInteger.One << 32);
        return r > int.MaxValue ? int.MaxValue : (int)r;
    }

    // x / 2^e rounded to nearest, ties away from zero.
    private static int RdbpotExact(int x, int e)
    {
        if (e == 0)
        {
            return x;
        }
        BigInteger magnitude = BigInteger.Abs(x);
        BigInteger q = (magnitude + (BigInteger.One << (e - 1))) >> e;
        return (int)(x < 0 ? -q : q);
    }

    private static int MbqmExact(int x, int m, int s)
    {
        int left = Math.Max(s, 0);
        BigInteger shifted = ((BigInteger)x << left) & uint.MaxValue; // int32 wrap-around
        int wrapped = unchecked((int)(uint)shifted);
        return RdbpotExact(SrdhmExact(wrapped, m), Math.Max(-s, 0));
    }

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        BigInteger q = BigInteger.DivRem(a, b, out BigInteger r);
        return r.Sign < 0 ? q - 1 : q;
    }

    [Theory]
    [InlineData(int.MinValue, int.MinValue, int.MaxValue)]
    [InlineData(int.MinValue, int.MaxValue, -2147483647)]
    [InlineData(100, 1 << 30, 50)]
    [InlineData(3, 1 << 30, 2)]      // 1.5 -> 2
    [InlineData(-3, 1 << 30, -1)]    // -1.5 -> -1 (ties towards +infinity)
    [InlineData(-1, 1 << 30, 0)]     // -0.5 -> 0
    [InlineData(1, 1 << 30, 1)]      // 0.5 -> 1
    [InlineData(int.MaxValue, int.MaxValue, 2147483646)]
    public void SrdhmHandComputed(int a, int b, int expected) =>
        Assert.Equal(expected, FixedPoint.SaturatingRoundingDoublingHighMul(a, b));

    [Theory]
    [InlineData(500, 3, 63)]    // 62.5 -> 63
    [InlineData(-500, 3, -63)]  // -62.5 -> -63 (ties away from zero)
    [InlineData(-499, 3, -62)]
    [InlineData(-3, 1, -2)]
    [InlineData(int.MinValue, 31, -1)]
    [InlineData(int.MaxValue, 31, 1)]
    [InlineData(int.MinValue, 0, int.MinValue)]
    [InlineData(7, 0, 7)]
    public void RdbpotHandComputed(int x, int e, int expected) =>
        Assert.Equal(expected, FixedPoint.RoundingDivideByPot(x, e));

    [Fact]
    public void MbqmHandComputed()
    {
        Assert.Equal(int.MaxValue, FixedPoint.MultiplyByQuantizedMultiplier(int.MinValue, int.MinValue, 0));
        Assert.Equal(63, FixedPoint.MultiplyByQuantizedMultiplier(1000, 1 << 30, -3));
        Assert.Equal(-63, FixedPoint.MultiplyByQuantizedMultiplier(-1000, 1 << 30, -3));
        // 0.75 · 5 / 2 = 1.875: SRDHM round(3.75) = 4, RDBPOT(4, 1) = 2.
        Assert.Equal(2, FixedPoint.MultiplyByQuantizedMultiplier(5, 1610612736, -1));
        // Double rounding visible: 0.5 · 5 / 2 = 1.25: SRDHM(5, 2^30) = round(2.5) = 3, RDBPOT(3, 1) = round(1.5) = 2,
        // where a single rounding of 1.25 gives 1 (the CMSIS-NN #214 one-LSB difference).
        Assert.Equal(2, FixedPoint.MultiplyByQuantizedMultiplier(5, 1 << 30, -1));
        Assert.Equal(400, FixedPoint.MultiplyByQuantizedMultiplier(100, 1 << 30, 3)); // 100 · 8 · 0.5
    }

    [Fact]
    public void SrdhmMatchesExactOnExtremesAndRandom()
    {
        foreach (int a in Extremes)
        {
            foreach (int b in Extremes)
            {
                Assert.Equal(SrdhmExact(a, b), FixedPoint.SaturatingRoundingDoublingHighMul(a, b));
            }
        }
        var random = new Random(6);
        for (int i = 0; i < 20000; i++)
        {
            int a = random.Next(int.MinValue, int.MaxValue), b = random.Next(int.MinValue, int.MaxValue);
            Assert.Equal(SrdhmExact(a, b), FixedPoint.SaturatingRoundingDoublingHighMul(a, b));
        }
    }

    [Fact]
    public void RdbpotMatchesExactForEveryExponent()
    {
        var random = new Random(7);
        for (int e = 0; e <= 31; e++)
        {
            foreach (int x in Extremes)
            {
                Assert.Equal(RdbpotExact(x, e), FixedPoint.RoundingDivideByPot(x, e));
            }
            for (int i = 0; i < 2000; i++)
            {
                int x = random.Next(int.MinValue, int.MaxValue);
                Assert.Equal(RdbpotExact(x, e), FixedPoint.RoundingDivideByPot(x, e));
            }
            if (e > 0)
            {
                int half = 1 << (e - 1); // exact ties, both signs
                Assert.Equal(RdbpotExact(half, e), FixedPoint.RoundingDivideByPot(half, e));
                Assert.Equal(RdbpotExact(-half, e), FixedPoint.RoundingDivideByPot(-half, e));
                Assert.Equal(RdbpotExact((3 * half) | 0, e), FixedPoint.RoundingDivideByPot(unchecked(3 * half), e));
            }
        }
    }

    [Fact]
    public void MbqmMatchesExactForEveryShift()
    {
        var random = new Random(8);
        int[] multipliers = [0, 1 << 30, (1 << 30) + 1, int.MaxValue, 1518500250, int.MinValue];
        for (int s = -31; s <= 30; s++)
        {
            foreach (int m in multipliers)
            {
                foreach (int x in Extremes)
                {
                    Assert.Equal(MbqmExact(x, m, s), FixedPoint.MultiplyByQuantizedMultiplier(x, m, s));
                }
            }
            for (int i = 0; i < 1000; i++)
            {
                int x = random.Next(int.MinValue, int.MaxValue), m = random.Next(1 << 30, int.MaxValue);
                Assert.Equal(MbqmExact(x, m, s), FixedPoint.MultiplyByQuantizedMultiplier(x, m, s));
            }
        }
    }

    [Theory]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(1.0, 1 << 30, 1)]
    [InlineData(0.75, 1610612736, 0)]
    [InlineData(0.0, 0, 0)]
    [InlineData(1.0 - (1.0 / (1L << 53)), 1 << 30, 1)]  // rounds up to 2^31: halved, shift + 1
    [InlineData(2.3283064365386963E-10, 1 << 30, -31)] // 2^-32: q = 0.5, s = -31, the last kept
    [InlineData(1.1641532182693481E-10, 0, 0)]         // 2^-33: s = -32, flushed to 0
    public void QuantizeMultiplierHandComputed(double real, int m, int s) =>
        Assert.Equal((m, s), FixedPoint.QuantizeMultiplier(real));

    [Fact]
    public void QuantizeMultiplierMatchesExactRounding()
    {
        var random = new Random(9);
        for (int i = 0; i < 20000; i++)
        {
            double real = Math.Pow(2, (random.NextDouble() * 60) - 40) * (0.5 + random.NextDouble());
            if (real >= Math.Pow(2, 30))
            {
                continue;
            }
            (int m, int s) = FixedPoint.QuantizeMultiplier(real);
            // Exact: real = mantissa · 2^exponent; M · 2^(s - 31) must be real rounded to 31 significant bits, ties away.
            long bits = BitConverter.DoubleToInt64Bits(real);
            int biased = (int)((bits >> 52) & 0x7FF);
            BigInteger mantissa = (bits & ((1L << 52) - 1)) | (1L << 52);
            int exponent = biased - 1075;
            int sExact = exponent + 53; // mantissa in [2^52, 2^53): real in [2^(e+52), 2^(e+53)) so q in [0.5, 1) at s = e + 53
            int shiftDown = 53 - 31;    // q · 2^31 = mantissa / 2^22
            BigInteger mExact = (mantissa + (BigInteger.One << (shiftDown - 1))) >> shiftDown;
            if (mExact == BigInteger.One << 31)
            {
                mExact >>= 1;
                sExact++;
            }
            if (sExact < -31)
            {
                (mExact, sExact) = (0, 0);
            }
            Assert.Equal(((int)mExact, sExact), (m, s));
            Assert.True(m == 0 || m >= 1 << 30);
        }
    }

    [Fact]
    public void QuantizeMultiplierRefusesUnusableReals()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.QuantizeMultiplier(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.QuantizeMultiplier(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.QuantizeMultiplier(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.QuantizeMultiplier(Math.Pow(2, 31)));
    }
}
