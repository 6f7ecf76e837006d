using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// arm64 AdvSimd: 4 channels per vector, the same pair-packed layouts as x64. PMADDWD has no single NEON equivalent:
/// SMULL + SMULL2 give the eight int16 products as int32 and ADDP sums adjacent ones, which is exactly PMADDWD's
/// (w[ci]·x[ci] + w[ci+1]·x[ci+1]). Requantization uses SQRDMULH, which is SRDHM by definition
/// (sat((2ab + 2^31) >> 32), INT32_MIN·INT32_MIN saturating to INT32_MAX), then RDBPOT with per-lane SSHL shifts.
/// </summary>
internal readonly unsafe struct LanesArm64 : IInt8Lanes<Vector128<int>>
{
    public static int Lanes => 4;
    public static Vector128<int> Zero => Vector128<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Broadcast(int* pair) => Vector128.Create(*pair);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadWeights(sbyte* w) => AdvSimd.SignExtendWideningLower(Vector64.Load(w)).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyPairs(Vector128<int> x, Vector128<int> w)
    {
        Vector128<short> xs = x.AsInt16(), ws = w.AsInt16();
        return AdvSimd.Arm64.AddPairwise(AdvSimd.MultiplyWideningLower(xs.GetLower(), ws.GetLower()), AdvSimd.MultiplyWideningUpper(xs, ws));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyAdd(Vector128<int> acc, Vector128<int> x, Vector128<int> w)
    {
        Vector128<short> xs = x.AsInt16(), ws = w.AsInt16();
        Vector128<int> lower = AdvSimd.MultiplyWideningLower(xs.GetLower(), ws.GetLower());
        Vector128<int> upper = AdvSimd.MultiplyWideningUpper(xs, ws);
        return AdvSimd.Add(acc, AdvSimd.Arm64.AddPairwise(lower, upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => AdvSimd.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Subtract(Vector128<int> a, Vector128<int> b) => AdvSimd.Subtract(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Max(Vector128<int> a, Vector128<int> b) => AdvSimd.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> DivideByFour(Vector128<int> a) => AdvSimd.ShiftRightArithmetic(a, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Create(int value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftLeft(Vector128<int> a, [ConstantExpected(Max = (byte)31)] byte count) => a << count; // SHL

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftRightArithmetic(Vector128<int> a, [ConstantExpected(Max = (byte)31)] byte count) => a >> count; // SSHR

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyLow(Vector128<int> a, Vector128<int> b) => a * b; // MUL

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Load(int* p) => AdvSimd.LoadVector128(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector128<int> v) => AdvSimd.Store(p, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Quarter(Vector128<int> v, int i) => v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore4(Vector128<int> acc, in RequantizeConstants k, int c, sbyte* destination) =>
        RequantizeStore(acc, k, c, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequantizeStore(Vector128<int> acc, in RequantizeConstants k, int c, sbyte* destination)
    {
        Vector128<int> right = AdvSimd.LoadVector128(k.Right + c);
        Vector128<int> x = AdvSimd.Multiply(AdvSimd.Add(acc, AdvSimd.LoadVector128(k.Bias + c)), AdvSimd.LoadVector128(k.Left + c));
        Vector128<int> high = AdvSimd.MultiplyRoundedDoublingSaturateHigh(x, AdvSimd.LoadVector128(k.Multiplier + c));
        Vector128<int> mask = AdvSimd.Subtract(AdvSimd.ShiftLogical(Vector128<int>.One, right), Vector128<int>.One);
        Vector128<int> threshold = AdvSimd.Subtract(AdvSimd.ShiftRightArithmetic(mask, 1), AdvSimd.ShiftRightArithmetic(high, 31));
        Vector128<int> shifted = AdvSimd.ShiftArithmetic(high, AdvSimd.Negate(right));
        Vector128<int> r = AdvSimd.Subtract(shifted, AdvSimd.CompareGreaterThan(AdvSimd.And(high, mask), threshold));
        r = AdvSimd.Add(AdvSimd.Min(AdvSimd.Max(r, Vector128.Create(k.Low)), Vector128.Create(k.High)), Vector128.Create(k.ZeroPoint));
        Vector64<short> words = AdvSimd.ExtractNarrowingSaturateLower(r);
        *(int*)destination = AdvSimd.ExtractNarrowingSaturateLower(Vector128.Create(words, words)).AsInt32().ToScalar();
    }
}
