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
    /// <summary>Vector128: x64 with SSE4.1 and AVX2, or arm64 (AdvSimd, <see cref="LanesArm64"/>).</summary>
    public static bool IsSupported => IsSupportedX64 || IsSupportedArm64;

    public static bool IsSupportedX64 => Sse41.IsSupported && Avx2.IsSupported;

    public static bool IsSupportedArm64 => System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported;

    public static bool IsSupported256 => IsSupportedX64;

    public static bool IsSupported512 => IsSupportedX64 && Avx512BW.IsSupported;

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
                if (Vector256.IsHardwareAccelerated)
                {
                    Vector256<short> zp16 = Vector256.Create((short)zeroPoint);
                    for (; i + 16 <= n; i += 16)
                    {
                        // 16 bytes, sign-extended (x64 VPMOVSXBW ymm)
                        (Vector256.WidenLower(Vector128.Load(src + i).ToVector256Unsafe()) - zp16).Store(dst + i);
                    }
                }
                Vector128<short> zp = Vector128.Create((short)zeroPoint);
                for (; i + 8 <= n; i += 8)
                {
                    // 8 bytes, sign-extended (x64 PMOVSXBW, arm64 SXTL)
                    (Vector128.WidenLower(Vector128.CreateScalar(*(long*)(src + i)).AsSByte()) - zp).Store(dst + i);
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

    /// <summary>
    /// Convolution over a widened region (see <see cref="Widen"/>); output NHWC int8. Blocks of 4 output pixels x
    /// 2 vectors of channels; for one kernel row the (kx, channel pair) loop is a single contiguous run of int32 pairs
    /// in the region and of pair-packed weights.
    /// </summary>
    public static void Conv2D<TOps, TVec>(in Int8Step l, byte* parameters, short* region, sbyte* output)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int pairs = l.Pairs, k = l.KernelSize, cout = l.Out.Channels, coutPad = l.CoutPad, ow = l.Out.Width, oh = l.Out.Height;
        int rowInts = (l.In.Width + (2 * l.Pad)) * pairs; // int32 pairs per region row
        int run = k * pairs;                               // pairs per kernel row
        int block = 2 * TOps.Lanes;
        long weightStep = 2L * coutPad;                    // bytes from one pair to the next
        {
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
                            int* x = x0Base + ((long)(oy + ky) * rowInts) + ((long)ox * pairs);
                            sbyte* w = packed + ((((long)ky * run * coutPad) + cb) * 2);
                            for (int j = 0; j < run; j++)
                            {
                                TVec x0 = TOps.Broadcast(x + j);
                                TVec x1 = TOps.Broadcast(x + j + pairs);
                                TVec x2 = TOps.Broadcast(x + j + (2 * pairs));
                                TVec x3 = TOps.Broadcast(x + j + (3 * pairs));
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
                        Store<TOps, TVec>(rk, cb, a00, a01, o, cout);
                        Store<TOps, TVec>(rk, cb, a10, a11, o + cout, cout);
                        Store<TOps, TVec>(rk, cb, a20, a21, o + (2 * cout), cout);
                        Store<TOps, TVec>(rk, cb, a30, a31, o + (3 * cout), cout);
                    }
                }
                for (; ox < ow; ox++)
                {
                    for (int cb = 0; cb < coutPad; cb += block)
                    {
                        TVec a0 = TOps.Zero, a1 = TOps.Zero;
                        for (int ky = 0; ky < k; ky++)
                        {
                            int* x = x0Base + ((long)(oy + ky) * rowInts) + ((long)ox * pairs);
                            sbyte* w = packed + ((((long)ky * run * coutPad) + cb) * 2);
                            for (int j = 0; j < run; j++)
                            {
                                TVec x0 = TOps.Broadcast(x + j);
                                a0 = TOps.MultiplyAdd(a0, x0, TOps.LoadWeights(w));
                                a1 = TOps.MultiplyAdd(a1, x0, TOps.LoadWeights(w + (2 * TOps.Lanes)));
                                w += weightStep;
                            }
                        }
                        Store<TOps, TVec>(rk, cb, a0, a1, output + ((((long)oy * ow) + ox) * cout), cout);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Convolution fused with the 2x2 max pool after it (<see cref="Int8Step.PoolDestination"/>): blocks of
    /// one pooling window (2x2 output pixels) x 2 vectors of channels; the window's largest int32 accumulator is
    /// requantized once instead of four values (exact: see <see cref="KernelSelector.PoolFusionIsExact"/>). Output is
    /// the pooled NHWC tensor; odd last rows and columns are dropped, as the pool does.
    /// </summary>
    public static void Conv2DPooled<TOps, TVec>(in Int8Step l, byte* parameters, short* region, sbyte* output)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int pairs = l.Pairs, k = l.KernelSize, cout = l.Out.Channels, coutPad = l.CoutPad;
        int ph = l.PooledOut.Height, pw = l.PooledOut.Width;
        int rowInts = (l.In.Width + (2 * l.Pad)) * pairs;
        int run = k * pairs, taps = k * run;
        int block = 2 * TOps.Lanes;
        long weightStep = 2L * coutPad;
        {
            sbyte* packed = (sbyte*)(parameters + l.Packed);
            RequantizeConstants rk = l.Constants(parameters);
            int* x0Base = (int*)region;
            for (int py = 0; py < ph; py++)
            {
                for (int px = 0; px < pw; px++)
                {
                    for (int cb = 0; cb < coutPad; cb += block)
                    {
                        TVec a00 = TOps.Zero, a01 = TOps.Zero, a10 = TOps.Zero, a11 = TOps.Zero;
                        TVec a20 = TOps.Zero, a21 = TOps.Zero, a30 = TOps.Zero, a31 = TOps.Zero;
                        // One loop over the k·run taps (rows of the kernel are `run` int32 pairs apart in
                        // the weights, `rowInts` in the region): fewer live counters than nested ky/j loops.
                        int* top = x0Base + ((long)2 * py * rowInts) + (2L * px * pairs);
                        sbyte* w = packed + (cb * 2);
                        for (int t = 0, j = 0; t < taps; t++)
                        {
                            TVec x0 = TOps.Broadcast(top);
                            TVec x1 = TOps.Broadcast(top + pairs);
                            TVec x2 = TOps.Broadcast(top + rowInts);
                            TVec x3 = TOps.Broadcast(top + rowInts + pairs);
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
                            top++;
                            if (++j == run)
                            {
                                j = 0;
                                top += rowInts - run;
                            }
                        }
                        TVec m0 = TOps.Max(TOps.Max(a00, a10), TOps.Max(a20, a30));
                        TVec m1 = TOps.Max(TOps.Max(a01, a11), TOps.Max(a21, a31));
                        Store<TOps, TVec>(rk, cb, m0, m1, output + ((((long)py * pw) + px) * cout), cout);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Fully connected over a widened input vector (length 2 · pairs), walking only the pairs with a non-zero value
    /// (<see cref="NonZeroRows"/> into <paramref name="rows"/>, room for one index per pair) when a quarter or more are
    /// zero, else every pair: a pair of inputs at the zero point adds exactly 0 to every sum, so the result is the full
    /// sum's bit for bit either way. Two pairs per step for two independent chains.
    /// </summary>
    public static void Dense<TOps, TVec>(in Int8Step l, byte* parameters, short* input, int* rows, sbyte* output)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int* x = (int*)input;
        int count = NonZeroRows.Find(x, l.Pairs, rows);
        if (NonZeroRows.WorthListing(count, l.Pairs))
        {
            DenseWalk<TOps, TVec, ListedRows>(l, parameters, x, new ListedRows(rows), count, output);
        }
        else
        {
            DenseWalk<TOps, TVec, AllRows>(l, parameters, x, new AllRows(), l.Pairs, output);
        }
    }

    private static void DenseWalk<TOps, TVec, TRows>(in Int8Step l, byte* parameters, int* x, TRows rows, int count, sbyte* output)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
        where TRows : struct, IRows
    {
        int coutPad = l.CoutPad, units = l.Out.Channels, pairs = l.Pairs, block = 2 * TOps.Lanes;
        long weightStep = 2L * block;
        sbyte* packed = (sbyte*)(parameters + l.Packed);
        RequantizeConstants rk = l.Constants(parameters);
        for (int cb = 0; cb < coutPad; cb += block)
        {
            TVec a0 = TOps.Zero, a1 = TOps.Zero, b0 = TOps.Zero, b1 = TOps.Zero;
            sbyte* w = packed + ((long)cb * pairs * 2); // this block's stream (Int8Packing.PackDenseBlocks)
            int r = 0;
            for (; r + 2 <= count; r += 2)
            {
                int p0 = rows.Row(r), p1 = rows.Row(r + 1);
                TVec x0 = TOps.Broadcast(x + p0);
                TVec x1 = TOps.Broadcast(x + p1);
                sbyte* w0 = w + (p0 * weightStep), w1 = w + (p1 * weightStep);
                a0 = TOps.MultiplyAdd(a0, x0, TOps.LoadWeights(w0));
                a1 = TOps.MultiplyAdd(a1, x0, TOps.LoadWeights(w0 + (2 * TOps.Lanes)));
                b0 = TOps.MultiplyAdd(b0, x1, TOps.LoadWeights(w1));
                b1 = TOps.MultiplyAdd(b1, x1, TOps.LoadWeights(w1 + (2 * TOps.Lanes)));
            }
            if (r < count)
            {
                int p0 = rows.Row(r);
                TVec x0 = TOps.Broadcast(x + p0);
                sbyte* w0 = w + (p0 * weightStep);
                a0 = TOps.MultiplyAdd(a0, x0, TOps.LoadWeights(w0));
                a1 = TOps.MultiplyAdd(a1, x0, TOps.LoadWeights(w0 + (2 * TOps.Lanes)));
            }
            Store<TOps, TVec>(rk, cb, TOps.Add(a0, b0), TOps.Add(a1, b1), output, units);
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

    /// <summary>Requantizes two accumulator vectors (channels cb .. cb + 2·Lanes) and stores the channels below <paramref name="cout"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<TOps, TVec>(in RequantizeConstants k, int cb, TVec acc0, TVec acc1, sbyte* pixel, int cout)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        if (cb + (2 * TOps.Lanes) <= cout)
        {
            TOps.RequantizeStore(acc0, k, cb, pixel + cb);
            TOps.RequantizeStore(acc1, k, cb + TOps.Lanes, pixel + cb + TOps.Lanes);
            return;
        }
        int quarters = TOps.Lanes / 4;
        for (int q = 0; q < quarters; q++)
        {
            StoreFour<TOps, TVec>(k, cb + (4 * q), TOps.Quarter(acc0, q), pixel, cout);
        }
        for (int q = 0; q < quarters; q++)
        {
            StoreFour<TOps, TVec>(k, cb + TOps.Lanes + (4 * q), TOps.Quarter(acc1, q), pixel, cout);
        }
    }

    /// <summary>The channel tail: four lanes at a time, bytes past <paramref name="cout"/> not written.</summary>
    /// <remarks>
    /// Inlined on purpose: called, it is a call inside every convolution's block loop, across which no vector register
    /// survives (all are caller-saved), so NativeAOT kept the eight accumulators on the stack, storing each one after
    /// every multiply-add, while the JIT inlined it and kept them in registers (docs/native-paths.md).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour<TOps, TVec>(in RequantizeConstants k, int c, Vector128<int> acc, sbyte* pixel, int cout)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        if (c >= cout)
        {
            return;
        }
        int word;
        TOps.RequantizeStore4(acc, k, c, (sbyte*)&word);
        for (int i = 0; i < 4 && c + i < cout; i++)
        {
            pixel[c + i] = (sbyte)(word >> (8 * i));
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
