using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// The one operation the int8 convolution and dense drivers need, per vector width: acc += PMADDWD(x pair broadcast,
/// weights sign-extended from int8), i.e. per int32 lane w[ci]·x[ci] + w[ci+1]·x[ci+1], exact in int32.
/// </summary>
internal unsafe interface IInt8Lanes<TVec>
    where TVec : struct
{
    /// <summary>int32 lanes (output channels) per vector.</summary>
    static abstract int Lanes { get; }

    static abstract TVec Zero { get; }

    /// <summary>Broadcasts one (x[ci], x[ci+1]) int16 pair read as an int32.</summary>
    static abstract TVec Broadcast(int* pair);

    /// <summary>2 · Lanes int8 weights at w, sign-extended to int16 (held in a TVec).</summary>
    static abstract TVec LoadWeights(sbyte* w);

    /// <summary>acc + PMADDWD(x, w) with w from <see cref="LoadWeights"/>.</summary>
    static abstract TVec MultiplyAdd(TVec acc, TVec x, TVec w);

    /// <summary>PMADDWD(x, w) alone: per int32 lane x[0]·w[0] + x[1]·w[1] of two int16 pairs, exact.</summary>
    static abstract TVec MultiplyPairs(TVec x, TVec w);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    /// <summary>Signed int32 maximum per lane.</summary>
    static abstract TVec Max(TVec a, TVec b);

    /// <summary>Arithmetic shift right by 2 (exact on multiples of 4).</summary>
    static abstract TVec DivideByFour(TVec a);

    /// <summary>Every lane equal to <paramref name="value"/> (Winograd F(4x4) output constants).</summary>
    static abstract TVec Create(int value);

    /// <summary>Lane-wise shift left (multiplication by 2^count modulo 2^32).</summary>
    static abstract TVec ShiftLeft(TVec a, [ConstantExpected(Max = (byte)31)] byte count);

    /// <summary>Lane-wise arithmetic shift right.</summary>
    static abstract TVec ShiftRightArithmetic(TVec a, [ConstantExpected(Max = (byte)31)] byte count);

    /// <summary>The low 32 bits of each lane product (wrapping multiplication).</summary>
    static abstract TVec MultiplyLow(TVec a, TVec b);

    /// <summary>Lanes int32 (or int16 pairs read as int32) at <paramref name="p"/>.</summary>
    static abstract TVec Load(int* p);

    static abstract void Store(int* p, TVec v);

    /// <summary>The i-th group of four lanes.</summary>
    static abstract Vector128<int> Quarter(TVec v, int i);

    /// <summary>As <see cref="RequantizeStore"/> for four lanes (channel tails).</summary>
    static abstract void RequantizeStore4(Vector128<int> acc, in RequantizeConstants k, int c, sbyte* destination);

    /// <summary>Requantizes all lanes of channels c .. c + Lanes (bias, MBQM, zero point, clamp) and stores Lanes bytes.</summary>
    static abstract void RequantizeStore(TVec acc, in RequantizeConstants k, int c, sbyte* destination);
}

/// <summary>Pinned per-channel constants of one layer, padded to the channel block, plus its zero point and clamp.</summary>
/// <remarks>
/// The 256- and 512-bit requantizations rely on what the loader guarantees: a multiplier is 0 or in [2^30, 2^31), so
/// SRDHM's one overflow (x = M = INT32_MIN) cannot occur; and they skip the x · 2^left multiply when no channel of
/// the layer shifts left (<see cref="HasLeftShift"/>, the quantizer's normal output). The clamp is applied before
/// the zero point is added, to [min − zp, max − zp]: the same result as clamp(v + zp, min, max) for every v, without
/// the int32 wrap of v + zp when |v| is within 128 of 2^31 (an exact saturation, as the reference's 64-bit sum).
/// </remarks>
internal readonly unsafe struct RequantizeConstants(int* bias, int* left, int* multiplier, int* right, int zeroPoint, int min, int max, bool hasLeftShift)
{
    public readonly bool HasLeftShift = hasLeftShift;
    public readonly int* Bias = bias;
    public readonly int* Left = left;
    public readonly int* Multiplier = multiplier;
    public readonly int* Right = right;
    public readonly int ZeroPoint = zeroPoint;
    /// <summary>Clamp bounds relative to the zero point: min − zp and max − zp (both in [-255, 255]).</summary>
    public readonly int Low = min - zeroPoint;
    public readonly int High = max - zeroPoint;
}

/// <summary>SSE4.1: 4 channels, 8 MACs per PMADDWD.</summary>
internal readonly unsafe struct Lanes128 : IInt8Lanes<Vector128<int>>
{
    public static int Lanes => 4;
    public static Vector128<int> Zero => Vector128<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Broadcast(int* pair) => Vector128.Create(*pair);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadWeights(sbyte* w) => Sse41.ConvertToVector128Int16(w).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyPairs(Vector128<int> x, Vector128<int> w) => Sse2.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyAdd(Vector128<int> acc, Vector128<int> x, Vector128<int> w) =>
        Sse2.Add(acc, Sse2.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => Sse2.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Subtract(Vector128<int> a, Vector128<int> b) => Sse2.Subtract(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Max(Vector128<int> a, Vector128<int> b) => Sse41.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> DivideByFour(Vector128<int> a) => Sse2.ShiftRightArithmetic(a, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Create(int value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftLeft(Vector128<int> a, [ConstantExpected(Max = (byte)31)] byte count) => Sse2.ShiftLeftLogical(a, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftRightArithmetic(Vector128<int> a, [ConstantExpected(Max = (byte)31)] byte count) => Sse2.ShiftRightArithmetic(a, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyLow(Vector128<int> a, Vector128<int> b) => Sse41.MultiplyLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore4(Vector128<int> acc, in RequantizeConstants k, int c, sbyte* destination) =>
        Lanes128.RequantizeStore(acc, k, c, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Load(int* p) => Sse2.LoadVector128(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector128<int> v) => Sse2.Store(p, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Quarter(Vector128<int> v, int i) => v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore(Vector128<int> acc, in RequantizeConstants k, int c, sbyte* destination)
    {
        Vector128<int> r = Int8Simd.Requantize(Sse2.Add(acc, Sse2.LoadVector128(k.Bias + c)), Sse2.LoadVector128(k.Left + c),
            Sse2.LoadVector128(k.Multiplier + c), Sse2.LoadVector128(k.Right + c));
        r = Sse2.Add(Sse41.Min(Sse41.Max(r, Vector128.Create(k.Low)), Vector128.Create(k.High)), Vector128.Create(k.ZeroPoint));
        *(int*)destination = Sse2.PackSignedSaturate(Sse2.PackSignedSaturate(r, r), Vector128<short>.Zero).AsInt32().ToScalar();
    }
}

/// <summary>AVX2: 8 channels, 16 MACs per VPMADDWD.</summary>
internal readonly unsafe struct Lanes256 : IInt8Lanes<Vector256<int>>
{
    public static int Lanes => 8;
    public static Vector256<int> Zero => Vector256<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Broadcast(int* pair) => Vector256.Create(*pair);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadWeights(sbyte* w) => Avx2.ConvertToVector256Int16(w).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyPairs(Vector256<int> x, Vector256<int> w) => Avx2.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyAdd(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        // No AvxVnni.IsSupported branch here: NativeAOT compiles it as a run-time test before every multiply-add
        // (AVX-VNNI is in the x86-64-v3 build's opportunistic set), which the JIT folds away: the AOT GEMM ran 30
        // instructions more per loop than the JIT's (docs/native-paths.md). VPDPWSSD would be exactly VPADDD(VPMADDWD)
        // for |x| <= 255, |w| <= 127; it would need its own lanes chosen by the selector, and a machine to test it on.
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> a, Vector256<int> b) => Avx2.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Subtract(Vector256<int> a, Vector256<int> b) => Avx2.Subtract(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Max(Vector256<int> a, Vector256<int> b) => Avx2.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DivideByFour(Vector256<int> a) => Avx2.ShiftRightArithmetic(a, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Create(int value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftLeft(Vector256<int> a, [ConstantExpected(Max = (byte)31)] byte count) => Avx2.ShiftLeftLogical(a, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightArithmetic(Vector256<int> a, [ConstantExpected(Max = (byte)31)] byte count) => Avx2.ShiftRightArithmetic(a, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyLow(Vector256<int> a, Vector256<int> b) => Avx2.MultiplyLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore4(Vector128<int> acc, in RequantizeConstants k, int c, sbyte* destination) =>
        Lanes128.RequantizeStore(acc, k, c, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(int* p) => Avx.LoadVector256(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector256<int> v) => Avx.Store(p, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Quarter(Vector256<int> v, int i) => i == 0 ? v.GetLower() : v.GetUpper();

    /// <summary>The 8-lane form of <see cref="Int8Simd.Requantize"/> for the multipliers the loader accepts (see <see cref="RequantizeConstants"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore(Vector256<int> acc, in RequantizeConstants k, int c, sbyte* destination)
    {
        Vector256<int> m = Avx.LoadVector256(k.Multiplier + c);
        Vector256<uint> right = Avx.LoadVector256(k.Right + c).AsUInt32();
        Vector256<int> x = Avx2.Add(acc, Avx.LoadVector256(k.Bias + c));
        if (k.HasLeftShift)
        {
            x = Avx2.MultiplyLow(x, Avx.LoadVector256(k.Left + c));
        }
        Vector256<long> nudge = Vector256.Create(1L << 30);
        Vector256<long> even = Avx2.Add(Avx2.Multiply(x, m), nudge);
        Vector256<long> odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(), Avx2.ShiftRightLogical(m.AsInt64(), 32).AsInt32()), nudge);
        Vector256<int> high = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        Vector256<int> mask = Avx2.Subtract(Avx2.ShiftLeftLogicalVariable(Vector256<int>.One, right), Vector256<int>.One);
        Vector256<int> threshold = Avx2.Subtract(Avx2.ShiftRightArithmetic(mask, 1), Avx2.ShiftRightArithmetic(high, 31));
        Vector256<int> r = Avx2.Subtract(Avx2.ShiftRightArithmeticVariable(high, right), Avx2.CompareGreaterThan(Avx2.And(high, mask), threshold));
        r = Avx2.Add(Avx2.Min(Avx2.Max(r, Vector256.Create(k.Low)), Vector256.Create(k.High)), Vector256.Create(k.ZeroPoint));
        Vector128<short> words = Sse2.PackSignedSaturate(r.GetLower(), r.GetUpper());
        *(long*)destination = Sse2.PackSignedSaturate(words, words).AsInt64().ToScalar();
    }
}

/// <summary>AVX-512BW: 16 channels, 32 MACs per VPMADDWD.</summary>
internal readonly unsafe struct Lanes512 : IInt8Lanes<Vector512<int>>
{
    public static int Lanes => 16;
    public static Vector512<int> Zero => Vector512<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Broadcast(int* pair) => Vector512.Create(*pair);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadWeights(sbyte* w) => Avx512BW.ConvertToVector512Int16(Vector256.Load(w)).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyPairs(Vector512<int> x, Vector512<int> w) => Avx512BW.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyAdd(Vector512<int> acc, Vector512<int> x, Vector512<int> w) =>
        Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Add(Vector512<int> a, Vector512<int> b) => Avx512F.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Subtract(Vector512<int> a, Vector512<int> b) => Avx512F.Subtract(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Max(Vector512<int> a, Vector512<int> b) => Avx512F.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> DivideByFour(Vector512<int> a) => Avx512F.ShiftRightArithmetic(a, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Create(int value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftLeft(Vector512<int> a, [ConstantExpected(Max = (byte)31)] byte count) => Avx512F.ShiftLeftLogical(a, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftRightArithmetic(Vector512<int> a, [ConstantExpected(Max = (byte)31)] byte count) => Avx512F.ShiftRightArithmetic(a, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyLow(Vector512<int> a, Vector512<int> b) => Avx512F.MultiplyLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore4(Vector128<int> acc, in RequantizeConstants k, int c, sbyte* destination) =>
        Lanes128.RequantizeStore(acc, k, c, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Load(int* p) => Avx512F.LoadVector512(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector512<int> v) => Avx512F.Store(p, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Quarter(Vector512<int> v, int i) => i switch
    {
        0 => v.GetLower().GetLower(),
        1 => v.GetLower().GetUpper(),
        2 => v.GetUpper().GetLower(),
        _ => v.GetUpper().GetUpper(),
    };

    /// <summary>The 16-lane form of <see cref="Int8Simd.Requantize"/> for the multipliers the loader accepts (see <see cref="RequantizeConstants"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore(Vector512<int> acc, in RequantizeConstants k, int c, sbyte* destination)
    {
        Vector512<int> m = Avx512F.LoadVector512(k.Multiplier + c);
        Vector512<uint> right = Avx512F.LoadVector512(k.Right + c).AsUInt32();
        Vector512<int> x = Avx512F.Add(acc, Avx512F.LoadVector512(k.Bias + c));
        if (k.HasLeftShift)
        {
            x = Avx512F.MultiplyLow(x, Avx512F.LoadVector512(k.Left + c));
        }
        Vector512<long> nudge = Vector512.Create(1L << 30);
        Vector512<long> even = Avx512F.Add(Avx512F.Multiply(x, m), nudge);
        Vector512<long> odd = Avx512F.Add(Avx512F.Multiply(Avx512F.ShiftRightLogical(x.AsInt64(), 32).AsInt32(), Avx512F.ShiftRightLogical(m.AsInt64(), 32).AsInt32()), nudge);
        Vector512<long> lowDwords = Vector512.Create(0xFFFF_FFFFL);
        Vector512<int> high = Avx512F.Or(Avx512F.And(Avx512F.ShiftRightLogical(even, 31), lowDwords),
            Avx512F.AndNot(lowDwords, Avx512F.ShiftLeftLogical(odd, 1))).AsInt32();
        Vector512<int> mask = Avx512F.Subtract(Avx512F.ShiftLeftLogicalVariable(Vector512<int>.One, right), Vector512<int>.One);
        Vector512<int> threshold = Avx512F.Subtract(Avx512F.ShiftRightArithmetic(mask, 1), Avx512F.ShiftRightArithmetic(high, 31));
        Vector512<int> r = Avx512F.Subtract(Avx512F.ShiftRightArithmeticVariable(high, right), Avx512F.CompareGreaterThan(Avx512F.And(high, mask), threshold));
        r = Avx512F.Add(Avx512F.Min(Avx512F.Max(r, Vector512.Create(k.Low)), Vector512.Create(k.High)), Vector512.Create(k.ZeroPoint));
        Avx512F.ConvertToVector128SByteWithSaturation(r).Store(destination);
    }
}
