using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Vector128 int8 kernels for x64 (SSE4.1 PMOVSXBW + PMADDWD, AVX2's VPSRAVD for per-channel shifts; chosen once at
/// load). Inputs are first widened to int16 as (x - input zero point) into a zero-bordered region, so padding needs no
/// test and the accumulation is exactly the reference's sum. Requantization is the vector form of MBQM, bit-identical
/// to <see cref="FixedPoint.MultiplyByQuantizedMultiplier"/>.
/// </summary>
internal static unsafe class Int8Simd
{
    public static bool IsSupported => Sse41.IsSupported && Avx2.IsSupported;

    /// <summary>Writes (x - zp) of an H x W x C int8 tensor into an int16 region with <paramref name="pad"/> zero border and channels padded to even.</summary>
    public static void Widen(sbyte* input, TensorShape shape, int zeroPoint, int pad, short* region)
    {
        int c = shape.Channels, cPad = 2 * Int8Packing.Pairs(c), rowPixels = shape.Width + (2 * pad);
        for (int y = 0; y < shape.Height; y++)
        {
            sbyte* src = input + ((long)y * shape.Width * c);
            short* dst = region + ((((long)(y + pad) * rowPixels) + pad) * cPad);
            if (c == cPad)
            {
                int n = shape.Width * c, i = 0;
                Vector128<short> zp = Vector128.Create((short)zeroPoint);
                for (; i + 8 <= n; i += 8)
                {
                    Sse2.Store(dst + i, Sse2.Subtract(Sse41.ConvertToVector128Int16(src + i), zp));
                }
                for (; i < n; i++)
                {
                    dst[i] = (short)(src[i] - zeroPoint);
                }
            }
            else
            {
                for (int x = 0; x < shape.Width; x++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        dst[(x * cPad) + ch] = (short)(src[(x * c) + ch] - zeroPoint);
                    }
                }
            }
        }
    }

    /// <summary>Convolution over a widened region (see <see cref="Widen"/>); output NHWC int8.</summary>
    public static void Conv2D(in Int8LayerPlan l, short* region, sbyte* output)
    {
        int cinPad = 2 * l.Pairs, rowPixels = l.In.Width + (2 * l.Pad), cout = l.Out.Channels, coutPad = l.CoutPad;
        int k = l.KernelSize, ow = l.Out.Width;
        fixed (sbyte* packed = l.Packed)
        fixed (int* bias = l.Bias, left = l.LeftMultiplier, mult = l.Multiplier, right = l.RightShift)
        {
            for (int oy = 0; oy < l.Out.Height; oy++)
            {
                int ox = 0;
                for (; ox + 4 <= ow; ox += 4)
                {
                    for (int cb = 0; cb < coutPad; cb += Int8Packing.ChannelBlock)
                    {
                        Vector128<int> a00 = default, a01 = default, a10 = default, a11 = default;
                        Vector128<int> a20 = default, a21 = default, a30 = default, a31 = default;
                        for (int ky = 0; ky < k; ky++)
                        {
                            for (int kx = 0; kx < k; kx++)
                            {
                                int* x = (int*)(region + ((((long)(oy + ky) * rowPixels) + ox + kx) * cinPad));
                                sbyte* w = packed + (((((long)(ky * k) + kx) * l.Pairs * coutPad) + cb) * 2);
                                for (int p = 0; p < l.Pairs; p++)
                                {
                                    Vector128<short> w0 = Sse41.ConvertToVector128Int16(w);
                                    Vector128<short> w1 = Sse41.ConvertToVector128Int16(w + 8);
                                    Vector128<short> x0 = Vector128.Create(x[p]).AsInt16();
                                    Vector128<short> x1 = Vector128.Create(x[p + (cinPad / 2)]).AsInt16();
                                    Vector128<short> x2 = Vector128.Create(x[p + cinPad]).AsInt16();
                                    Vector128<short> x3 = Vector128.Create(x[p + (3 * cinPad / 2)]).AsInt16();
                                    a00 = Sse2.Add(a00, Sse2.MultiplyAddAdjacent(x0, w0));
                                    a01 = Sse2.Add(a01, Sse2.MultiplyAddAdjacent(x0, w1));
                                    a10 = Sse2.Add(a10, Sse2.MultiplyAddAdjacent(x1, w0));
                                    a11 = Sse2.Add(a11, Sse2.MultiplyAddAdjacent(x1, w1));
                                    a20 = Sse2.Add(a20, Sse2.MultiplyAddAdjacent(x2, w0));
                                    a21 = Sse2.Add(a21, Sse2.MultiplyAddAdjacent(x2, w1));
                                    a30 = Sse2.Add(a30, Sse2.MultiplyAddAdjacent(x3, w0));
                                    a31 = Sse2.Add(a31, Sse2.MultiplyAddAdjacent(x3, w1));
                                    w += 2 * coutPad;
                                }
                            }
                        }
                        sbyte* o = output + ((((long)oy * ow) + ox) * cout) + cb;
                        int n = Math.Min(Int8Packing.ChannelBlock, cout - cb);
                        StoreBlock(l, bias, left, mult, right, cb, a00, a01, o, n);
                        StoreBlock(l, bias, left, mult, right, cb, a10, a11, o + cout, n);
                        StoreBlock(l, bias, left, mult, right, cb, a20, a21, o + (2 * cout), n);
                        StoreBlock(l, bias, left, mult, right, cb, a30, a31, o + (3 * cout), n);
                    }
                }
                for (; ox < ow; ox++)
                {
                    for (int cb = 0; cb < coutPad; cb += Int8Packing.ChannelBlock)
                    {
                        Vector128<int> a0 = default, a1 = default;
                        for (int ky = 0; ky < k; ky++)
                        {
                            for (int kx = 0; kx < k; kx++)
                            {
                                int* x = (int*)(region + ((((long)(oy + ky) * rowPixels) + ox + kx) * cinPad));
                                sbyte* w = packed + (((((long)(ky * k) + kx) * l.Pairs * coutPad) + cb) * 2);
                                for (int p = 0; p < l.Pairs; p++)
                                {
                                    Vector128<short> x0 = Vector128.Create(x[p]).AsInt16();
                                    a0 = Sse2.Add(a0, Sse2.MultiplyAddAdjacent(x0, Sse41.ConvertToVector128Int16(w)));
                                    a1 = Sse2.Add(a1, Sse2.MultiplyAddAdjacent(x0, Sse41.ConvertToVector128Int16(w + 8)));
                                    w += 2 * coutPad;
                                }
                            }
                        }
                        StoreBlock(l, bias, left, mult, right, cb, a0, a1, output + ((((long)oy * ow) + ox) * cout) + cb,
                            Math.Min(Int8Packing.ChannelBlock, cout - cb));
                    }
                }
            }
        }
    }

    /// <summary>Fully connected over a widened input vector (length 2 · pairs).</summary>
    public static void Dense(in Int8LayerPlan l, short* input, sbyte* output)
    {
        int coutPad = l.CoutPad, units = l.Out.Channels;
        int* x = (int*)input;
        fixed (sbyte* packed = l.Packed)
        fixed (int* bias = l.Bias, left = l.LeftMultiplier, mult = l.Multiplier, right = l.RightShift)
        {
            for (int cb = 0; cb < coutPad; cb += Int8Packing.ChannelBlock)
            {
                Vector128<int> a0 = default, a1 = default, b0 = default, b1 = default;
                sbyte* w = packed + (cb * 2);
                int p = 0;
                for (; p + 2 <= l.Pairs; p += 2)
                {
                    Vector128<short> x0 = Vector128.Create(x[p]).AsInt16();
                    Vector128<short> x1 = Vector128.Create(x[p + 1]).AsInt16();
                    a0 = Sse2.Add(a0, Sse2.MultiplyAddAdjacent(x0, Sse41.ConvertToVector128Int16(w)));
                    a1 = Sse2.Add(a1, Sse2.MultiplyAddAdjacent(x0, Sse41.ConvertToVector128Int16(w + 8)));
                    b0 = Sse2.Add(b0, Sse2.MultiplyAddAdjacent(x1, Sse41.ConvertToVector128Int16(w + (2 * coutPad))));
                    b1 = Sse2.Add(b1, Sse2.MultiplyAddAdjacent(x1, Sse41.ConvertToVector128Int16(w + (2 * coutPad) + 8)));
                    w += 4 * coutPad;
                }
                if (p < l.Pairs)
                {
                    Vector128<short> x0 = Vector128.Create(x[p]).AsInt16();
                    a0 = Sse2.Add(a0, Sse2.MultiplyAddAdjacent(x0, Sse41.ConvertToVector128Int16(w)));
                    a1 = Sse2.Add(a1, Sse2.MultiplyAddAdjacent(x0, Sse41.ConvertToVector128Int16(w + 8)));
                }
                StoreBlock(l, bias, left, mult, right, cb, Sse2.Add(a0, b0), Sse2.Add(a1, b1), output + cb,
                    Math.Min(Int8Packing.ChannelBlock, units - cb));
            }
        }
    }

    /// <summary>2x2 max pooling, stride 2 (16 channels per vector, scalar tail).</summary>
    public static void MaxPool2D(sbyte* input, TensorShape inShape, sbyte* output, TensorShape outShape)
    {
        int c = inShape.Channels;
        long row = (long)inShape.Width * c;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                sbyte* a = input + (2 * oy * row) + (2L * ox * c);
                sbyte* o = output + ((((long)oy * outShape.Width) + ox) * c);
                int ch = 0;
                for (; ch + 16 <= c; ch += 16)
                {
                    Vector128<sbyte> m = Vector128.Max(Vector128.Load(a + ch), Vector128.Load(a + c + ch));
                    m = Vector128.Max(m, Vector128.Max(Vector128.Load(a + row + ch), Vector128.Load(a + row + c + ch)));
                    m.Store(o + ch);
                }
                for (; ch < c; ch++)
                {
                    o[ch] = (sbyte)Math.Max(Math.Max(a[ch], a[c + ch]), Math.Max(a[row + ch], a[row + c + ch]));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBlock(in Int8LayerPlan l, int* bias, int* left, int* mult, int* right, int cb,
        Vector128<int> acc0, Vector128<int> acc1, sbyte* destination, int count)
    {
        Vector128<int> zp = Vector128.Create(l.OutputZeroPoint);
        Vector128<int> lo = Vector128.Create(l.ActivationMin), hi = Vector128.Create(l.ActivationMax);
        Vector128<int> r0 = Requantize(Sse2.Add(acc0, Sse2.LoadVector128(bias + cb)), Sse2.LoadVector128(left + cb),
            Sse2.LoadVector128(mult + cb), Sse2.LoadVector128(right + cb));
        Vector128<int> r1 = Requantize(Sse2.Add(acc1, Sse2.LoadVector128(bias + cb + 4)), Sse2.LoadVector128(left + cb + 4),
            Sse2.LoadVector128(mult + cb + 4), Sse2.LoadVector128(right + cb + 4));
        r0 = Sse41.Min(Sse41.Max(Sse2.Add(r0, zp), lo), hi);
        r1 = Sse41.Min(Sse41.Max(Sse2.Add(r1, zp), lo), hi);
        Vector128<sbyte> bytes = Sse2.PackSignedSaturate(Sse2.PackSignedSaturate(r0, r1), Vector128<short>.Zero);
        if (count == Int8Packing.ChannelBlock)
        {
            Sse2.StoreScalar((long*)destination, bytes.AsInt64());
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                destination[i] = bytes.GetElement(i);
            }
        }
    }

    /// <summary>
    /// MBQM on four lanes: x · 2^left (wrapping PMULLD by 1 &lt;&lt; left), SRDHM as floor((x·M + 2^30) / 2^31) from
    /// two PMULDQ (the low 32 bits of a 64-bit shift by 31 are the same for arithmetic and logical shifts), the
    /// INT32_MIN · INT32_MIN saturation, then RDBPOT with per-lane exponents (VPSRAVD).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> Requantize(Vector128<int> acc, Vector128<int> leftMultiplier, Vector128<int> multiplier, Vector128<int> rightShift)
    {
        Vector128<int> x = Sse41.MultiplyLow(acc, leftMultiplier);
        Vector128<long> nudge = Vector128.Create(1L << 30);
        Vector128<long> even = Sse2.Add(Sse41.Multiply(x, multiplier), nudge);
        Vector128<long> odd = Sse2.Add(Sse41.Multiply(Sse2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(),
            Sse2.ShiftRightLogical(multiplier.AsInt64(), 32).AsInt32()), nudge);
        Vector128<int> evenHigh = Sse2.ShiftRightLogical(even, 31).AsInt32();
        Vector128<int> oddHigh = Sse2.ShiftLeftLogical(Sse2.ShiftRightLogical(odd, 31), 32).AsInt32();
        Vector128<int> high = Sse41.Blend(evenHigh.AsInt16(), oddHigh.AsInt16(), 0b1100_1100).AsInt32();
        Vector128<int> min = Vector128.Create(int.MinValue);
        Vector128<int> overflow = Sse2.And(Sse2.CompareEqual(x, min), Sse2.CompareEqual(multiplier, min));
        high = Sse41.BlendVariable(high.AsByte(), Vector128.Create(int.MaxValue).AsByte(), overflow.AsByte()).AsInt32();

        Vector128<int> mask = Sse2.Subtract(Avx2.ShiftLeftLogicalVariable(Vector128<int>.One, rightShift.AsUInt32()), Vector128<int>.One);
        Vector128<int> remainder = Sse2.And(high, mask);
        Vector128<int> threshold = Sse2.Subtract(Sse2.ShiftRightArithmetic(mask, 1), Sse2.ShiftRightArithmetic(high, 31));
        Vector128<int> shifted = Avx2.ShiftRightArithmeticVariable(high, rightShift.AsUInt32());
        return Sse2.Subtract(shifted, Sse2.CompareGreaterThan(remainder, threshold));
    }
}
