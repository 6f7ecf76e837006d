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

    /// <summary>acc + PMADDWD(x, sign-extend(2 · Lanes int8 weights at w)).</summary>
    static abstract TVec MultiplyAdd(TVec acc, TVec x, sbyte* w);

    static abstract TVec Add(TVec a, TVec b);

    /// <summary>The i-th group of four lanes.</summary>
    static abstract Vector128<int> Quarter(TVec v, int i);
}

/// <summary>SSE4.1: 4 channels, 8 MACs per PMADDWD.</summary>
internal readonly unsafe struct Lanes128 : IInt8Lanes<Vector128<int>>
{
    public static int Lanes => 4;
    public static Vector128<int> Zero => Vector128<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Broadcast(int* pair) => Vector128.Create(*pair);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyAdd(Vector128<int> acc, Vector128<int> x, sbyte* w) =>
        Sse2.Add(acc, Sse2.MultiplyAddAdjacent(x.AsInt16(), Sse41.ConvertToVector128Int16(w)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => Sse2.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Quarter(Vector128<int> v, int i) => v;
}

/// <summary>AVX2: 8 channels, 16 MACs per VPMADDWD.</summary>
internal readonly unsafe struct Lanes256 : IInt8Lanes<Vector256<int>>
{
    public static int Lanes => 8;
    public static Vector256<int> Zero => Vector256<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Broadcast(int* pair) => Vector256.Create(*pair);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyAdd(Vector256<int> acc, Vector256<int> x, sbyte* w) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(x.AsInt16(), Avx2.ConvertToVector256Int16(w)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> a, Vector256<int> b) => Avx2.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Quarter(Vector256<int> v, int i) => i == 0 ? v.GetLower() : v.GetUpper();
}

/// <summary>AVX-512BW: 16 channels, 32 MACs per VPMADDWD.</summary>
internal readonly unsafe struct Lanes512 : IInt8Lanes<Vector512<int>>
{
    public static int Lanes => 16;
    public static Vector512<int> Zero => Vector512<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Broadcast(int* pair) => Vector512.Create(*pair);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyAdd(Vector512<int> acc, Vector512<int> x, sbyte* w) =>
        Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(x.AsInt16(), Avx512BW.ConvertToVector512Int16(Vector256.Load(w))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Add(Vector512<int> a, Vector512<int> b) => Avx512F.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Quarter(Vector512<int> v, int i) => i switch
    {
        0 => v.GetLower().GetLower(),
        1 => v.GetLower().GetUpper(),
        2 => v.GetUpper().GetLower(),
        _ => v.GetUpper().GetUpper(),
    };
}
