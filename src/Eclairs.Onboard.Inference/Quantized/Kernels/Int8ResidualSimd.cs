using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// SIMD kernels of the int8 residual-network layers, each bit-exact with its reference in
/// <see cref="Int8ReferenceKernels"/>: the strided convolution (any kernel and stride over a widened region, the
/// direct kernel's blocking), the 2x2 average pool (portable 128-bit) and the residual Add (x64 MBQM lanes).
/// </summary>
internal static unsafe class Int8ResidualSimd
{
    /// <summary>
    /// Convolution of any kernel side and stride over a widened, zero-bordered region (<see cref="Int8Simd.Widen"/>)
    /// with pair-packed weights: blocks of 4 output pixels x 2 vectors of channels, one contiguous run of
    /// k · pairs int32 pairs per kernel row, as <see cref="Int8Simd.Conv2D{TOps, TVec}"/> with the pixel step scaled by the stride.
    /// </summary>
    public static void StridedConv2D<TOps, TVec>(in Int8Step l, byte* parameters, short* region, sbyte* output)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int pairs = l.Pairs, k = l.KernelSize, stride = l.Stride, cout = l.Out.Channels, coutPad = l.CoutPad, ow = l.Out.Width, oh = l.Out.Height;
        int rowInts = (l.In.Width + (2 * l.Pad)) * pairs;
        int run = k * pairs;
        int pixel = stride * pairs;                        // int32 pairs from one output pixel's window to the next
        int block = 2 * TOps.Lanes;
        long weightStep = 2L * coutPad;
        sbyte* packed = (sbyte*)(parameters + l.Packed);
        RequantizeConstants rk = l.Constants(parameters);
        int* x0Base = (int*)region;
        for (int oy = 0; oy < oh; oy++)
        {
            int ox = 0;
            for (; ox + 4 <= ow; ox += 4)
            {
                for (int cb = 0; cb < coutPad; cb += block)
                {
                    TVec a00 = TOps.Zero, a01 = TOps.Zero, a10 = TOps.Zero, a11 = TOps.Zero;
                    TVec a20 = TOps.Zero, a21 = TOps.Zero, a30 = TOps.Zero, a31 = TOps.Zero;
                    for (int ky = 0; ky < k; ky++)
                    {
                        int* x = x0Base + ((long)((oy * stride) + ky) * rowInts) + ((long)ox * pixel);
                        sbyte* w = packed + ((((long)ky * run * coutPad) + cb) * 2);
                        for (int j = 0; j < run; j++)
                        {
                            TVec x0 = TOps.Broadcast(x + j);
                            TVec x1 = TOps.Broadcast(x + j + pixel);
                            TVec x2 = TOps.Broadcast(x + j + (2 * pixel));
                            TVec x3 = TOps.Broadcast(x + j + (3 * pixel));
                            TVec w0 = TOps.LoadWeights(w);
                            TVec w1 = TOps.LoadWeights(w + (2 * TOps.Lanes));
                            a00 = TOps.MultiplyAdd(a00, x0, w0);
                            a01 = TOps.MultiplyAdd(a01, x0, w1);
                            a10 = TOps.MultiplyAdd(a10, x1, w0);
                            a11 = TOps.MultiplyAdd(a11, x1, w1);
                            a20 = TOps.MultiplyAdd(a20, x2, w0);
                            a21 = TOps.MultiplyAdd(a21, x2, w1);
                            a30 = TOps.MultiplyAdd(a30, x3, w0);
                            a31 = TOps.MultiplyAdd(a31, x3, w1);
                            w += weightStep;
                        }
                    }
                    sbyte* o = output + ((((long)oy * ow) + ox) * cout);
                    Int8Simd.Store<TOps, TVec>(rk, cb, a00, a01, o, cout);
                    Int8Simd.Store<TOps, TVec>(rk, cb, a10, a11, o + cout, cout);
                    Int8Simd.Store<TOps, TVec>(rk, cb, a20, a21, o + (2 * cout), cout);
                    Int8Simd.Store<TOps, TVec>(rk, cb, a30, a31, o + (3 * cout), cout);
                }
            }
            for (; ox < ow; ox++)
            {
                for (int cb = 0; cb < coutPad; cb += block)
                {
                    TVec a0 = TOps.Zero, a1 = TOps.Zero;
                    for (int ky = 0; ky < k; ky++)
                    {
                        int* x = x0Base + ((long)((oy * stride) + ky) * rowInts) + ((long)ox * pixel);
                        sbyte* w = packed + ((((long)ky * run * coutPad) + cb) * 2);
                        for (int j = 0; j < run; j++)
                        {
                            TVec x0 = TOps.Broadcast(x + j);
                            a0 = TOps.MultiplyAdd(a0, x0, TOps.LoadWeights(w));
                            a1 = TOps.MultiplyAdd(a1, x0, TOps.LoadWeights(w + (2 * TOps.Lanes)));
                            w += weightStep;
                        }
                    }
                    Int8Simd.Store<TOps, TVec>(rk, cb, a0, a1, output + ((((long)oy * ow) + ox) * cout), cout);
                }
            }
        }
    }

    /// <summary>
    /// 2x2 average pool, 16 channels per vector: the four int8 values widened to int16 and summed, then
    /// RDBPOT(sum, 2), which equals TFLM's sum &gt; 0 ? (sum + 2) / 4 : (sum - 2) / 4 for every sum (both round half
    /// away from zero); scalar tail through the reference's rounding.
    /// </summary>
    public static void AveragePool2D(sbyte* input, TensorShape inShape, sbyte* output, TensorShape outShape)
    {
        int c = inShape.Channels;
        long row = (long)inShape.Width * c;
        Vector128<short> three = Vector128.Create((short)3), one = Vector128.Create((short)1);
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                sbyte* a = input + (2 * oy * row) + (2L * ox * c);
                sbyte* o = output + ((((long)oy * outShape.Width) + ox) * c);
                int ch = 0;
                for (; ch + 16 <= c; ch += 16)
                {
                    (Vector128<short> lo0, Vector128<short> hi0) = Vector128.Widen(Vector128.Load(a + ch));
                    (Vector128<short> lo1, Vector128<short> hi1) = Vector128.Widen(Vector128.Load(a + c + ch));
                    (Vector128<short> lo2, Vector128<short> hi2) = Vector128.Widen(Vector128.Load(a + row + ch));
                    (Vector128<short> lo3, Vector128<short> hi3) = Vector128.Widen(Vector128.Load(a + row + c + ch));
                    Vector128<short> lo = RoundQuarter(lo0 + lo1 + lo2 + lo3, three, one);
                    Vector128<short> hi = RoundQuarter(hi0 + hi1 + hi2 + hi3, three, one);
                    Vector128.Narrow(lo, hi).Store(o + ch);
                }
                for (; ch < c; ch++)
                {
                    o[ch] = Int8ReferenceKernels.RoundedMean(a[ch] + a[c + ch] + a[row + ch] + a[row + c + ch], 4);
                }
            }
        }
    }

    /// <summary>RDBPOT(s, 2): (s &gt;&gt; 2) + 1 when the remainder s &amp; 3 exceeds 1 (s &gt;= 0) or 2 (s &lt; 0).</summary>
    private static Vector128<short> RoundQuarter(Vector128<short> sum, Vector128<short> three, Vector128<short> one)
    {
        Vector128<short> remainder = sum & three;
        Vector128<short> threshold = one - Vector128.ShiftRightArithmetic(sum, 15); // 1, or 2 for negative sums
        return Vector128.ShiftRightArithmetic(sum, 2) - Vector128.GreaterThan(remainder, threshold);
    }

    /// <summary>
    /// The residual Add, 8 elements per iteration on x64 (SSE4.1 + AVX2): each input widened to int32, offset,
    /// shifted left by the planner's constant <see cref="Int8AddParameters.LeftShift"/>, rescaled with <see cref="Int8Simd.Requantize"/> (the MBQM lanes the convolutions use); the sum
    /// rescaled, offset, clamped and packed. Scalar tail through the reference.
    /// </summary>
    public static void Add(in Int8Step l, sbyte* input1, sbyte* input2, sbyte* output, int size)
    {
        AddParams p = l.AddParameters;
        Vector128<int> one = Vector128<int>.One;
        Vector128<int> zp1 = Vector128.Create(p.Input1ZeroPoint), zp2 = Vector128.Create(p.Input2ZeroPoint), zpo = Vector128.Create(p.OutputZeroPoint);
        Vector128<int> m1 = Vector128.Create(p.Input1Multiplier), r1 = Vector128.Create(-p.Input1Shift);
        Vector128<int> m2 = Vector128.Create(p.Input2Multiplier), r2 = Vector128.Create(-p.Input2Shift);
        Vector128<int> mo = Vector128.Create(p.OutputMultiplier), ro = Vector128.Create(-p.OutputShift);
        Vector128<int> low = Vector128.Create(p.ActivationMin), high = Vector128.Create(p.ActivationMax);
        int i = 0;
        for (; i + 8 <= size; i += 8)
        {
            Vector128<int> x1lo = Sse41.ConvertToVector128Int32(input1 + i), x1hi = Sse41.ConvertToVector128Int32(input1 + i + 4);
            Vector128<int> x2lo = Sse41.ConvertToVector128Int32(input2 + i), x2hi = Sse41.ConvertToVector128Int32(input2 + i + 4);
            Vector128<int> lo = Sum(x1lo, x2lo, zp1, zp2, one, m1, r1, m2, r2, mo, ro, zpo, low, high);
            Vector128<int> hi = Sum(x1hi, x2hi, zp1, zp2, one, m1, r1, m2, r2, mo, ro, zpo, low, high);
            Vector128<short> packed = Sse2.PackSignedSaturate(lo, hi);
            *(long*)(output + i) = Sse2.PackSignedSaturate(packed, packed).AsInt64().ToScalar();
        }
        for (; i < size; i++)
        {
            output[i] = Int8ReferenceKernels.Add(p, input1[i], input2[i]);
        }
    }

    private static Vector128<int> Sum(Vector128<int> x1, Vector128<int> x2, Vector128<int> zp1, Vector128<int> zp2, Vector128<int> one,
        Vector128<int> m1, Vector128<int> r1, Vector128<int> m2, Vector128<int> r2, Vector128<int> mo, Vector128<int> ro, Vector128<int> zpo,
        Vector128<int> low, Vector128<int> high)
    {
        Vector128<int> s1 = Int8Simd.Requantize(Sse2.ShiftLeftLogical(Sse2.Subtract(x1, zp1), Int8AddParameters.LeftShift), one, m1, r1);
        Vector128<int> s2 = Int8Simd.Requantize(Sse2.ShiftLeftLogical(Sse2.Subtract(x2, zp2), Int8AddParameters.LeftShift), one, m2, r2);
        Vector128<int> raw = Sse2.Add(Int8Simd.Requantize(Sse2.Add(s1, s2), one, mo, ro), zpo);
        return Sse41.Min(Sse41.Max(raw, low), high);
    }
}
