using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Fully connected layer on the arm64 dot-product instruction (<c>SDOT</c>: per int32 lane, four int8 x int8 products
/// summed and accumulated): 16 multiply-accumulates per instruction against 8 per three instructions of the widened
/// int16 path. SDOT takes int8 operands, so it runs on the raw int8 input x instead of x − zp (which needs nine bits):
/// Σ (x − zp)·w = Σ x·w − zp·Σ w, and the second term is folded into the bias at load
/// (<see cref="Corrections"/>). Both sides are int32 ring arithmetic, so the accumulator equals the reference's
/// (wrapping) int32 sum bit for bit, whatever the values. Requantization as the other kernels.
/// </summary>
internal static unsafe class Int8DotDense
{
    /// <summary>Outputs per block: four vectors of four int32 lanes.</summary>
    public const int Block = 16;

    /// <summary>The CPU has SDOT (ARMv8.2 DotProd).</summary>
    public static bool IsSupported => Dp.IsSupported;

    /// <summary>Outputs padded to whole blocks.</summary>
    public static int PaddedUnits(int units) => (units + Block - 1) / Block * Block;

    /// <summary>
    /// Weights [inputs][units] (the file's layout) to [block][quad][16 outputs][4 inputs]: one 16-byte vector per output
    /// lane quad and input quad, zeros past <paramref name="inputs"/> and <paramref name="units"/>.
    /// </summary>
    public static sbyte[] Pack(ReadOnlySpan<sbyte> weights, int inputs, int units)
    {
        if (inputs <= 0 || units <= 0 || weights.Length != inputs * units)
        {
            throw new ArgumentException($"dense weights of {inputs} x {units} must hold {(long)inputs * units} values, got {weights.Length}", nameof(weights));
        }
        int quads = (inputs + 3) / 4, padded = PaddedUnits(units);
        var packed = new sbyte[checked(quads * padded * 4)];
        for (int i = 0; i < inputs; i++)
        {
            for (int o = 0; o < units; o++)
            {
                int block = o / Block, lane = o % Block;
                packed[(((((block * quads) + (i / 4)) * Block) + lane) * 4) + (i % 4)] = weights[(i * units) + o];
            }
        }
        return packed;
    }

    /// <summary>bias[o] − zp·Σᵢ w[i][o] (wrapping int32), padded with zeros to <paramref name="length"/>.</summary>
    public static int[] Corrections(ReadOnlySpan<int> bias, ReadOnlySpan<sbyte> weights, int inputs, int units, int inputZeroPoint, int length)
    {
        var corrections = new int[Math.Max(length, PaddedUnits(units))];
        for (int o = 0; o < units; o++)
        {
            int sum = 0;
            for (int i = 0; i < inputs; i++)
            {
                sum += weights[(i * units) + o];
            }
            corrections[o] = unchecked(bias[o] - (inputZeroPoint * sum));
        }
        return corrections;
    }

    /// <summary>Input quads of a layer of <paramref name="inputs"/> inputs (the last one partial when inputs is not a multiple of 4).</summary>
    public static int Quads(int inputs) => (inputs + 3) / 4;

    /// <summary>
    /// The layer on the raw int8 input (<paramref name="input"/>, <c>l.In.Channels</c> values; the last partial quad is
    /// read byte by byte, never past the end). <typeparamref name="TDot"/> is SDOT or its portable model, <typeparamref name="TOps"/>
    /// the 128-bit lanes that requantize. After ReLU most inputs sit at the zero point and a quad of them contributes
    /// nothing to Σ (x − zp)·w, so where a quarter or more of the whole quads are (<see cref="NonZeroRows.WorthListing"/>)
    /// only the others are walked (<paramref name="quads"/>: room for <see cref="Quads"/> indices), as
    /// bias + Σ x·w − Σ zp·w over them: two SDOTs per quad, every term exact in int32, so the sum is the reference's.
    /// </summary>
    public static void Dense<TDot, TOps>(in Int8Step l, byte* parameters, sbyte* input, int* quads, sbyte* output)
        where TDot : struct, IDotProduct
        where TOps : struct, IInt8Lanes<Vector128<int>>
    {
        int inputs = l.In.Channels, whole = inputs / 4;
        int tail = 0;
        for (int k = 0; k < inputs - (4 * whole); k++)
        {
            tail |= (byte)input[(4 * whole) + k] << (8 * k);
        }
        int zeroQuad = (byte)l.InputZeroPoint * 0x01010101;
        int listed = NonZeroRows.Find((int*)input, whole, quads, zeroQuad);
        if (NonZeroRows.WorthListing(listed, whole))
        {
            if (whole < Quads(inputs))
            {
                quads[listed++] = whole; // the partial quad: its padding bytes are 0, not the zero point
            }
            Walk<TDot, TOps, ListedRows>(l, parameters, input, tail, new ListedRows(quads), listed, output);
        }
        else
        {
            Walk<TDot, TOps, AllRows>(l, parameters, input, tail, new AllRows(), Quads(inputs), output);
        }
    }

    /// <summary>
    /// The quads <paramref name="rows"/> names. Every quad: against the bias corrected at load for the zero point
    /// (<see cref="Corrections"/>). Listed quads: against the file's bias, minus Σ zp·w over them (the partial quad's
    /// padding weights are 0, so its zero-point term adds nothing for the missing inputs).
    /// </summary>
    private static void Walk<TDot, TOps, TRows>(in Int8Step l, byte* parameters, sbyte* input, int tail, TRows rows, int count, sbyte* output)
        where TDot : struct, IDotProduct
        where TOps : struct, IInt8Lanes<Vector128<int>>
        where TRows : struct, IRows
    {
        bool listed = typeof(TRows) == typeof(ListedRows); // folded by the JIT for each struct instantiation
        int inputs = l.In.Channels, units = l.Out.Channels, quadCount = Quads(inputs), whole = inputs / 4;
        long quadBytes = 4 * Block;
        sbyte* packed = (sbyte*)(parameters + l.DotPacked);
        RequantizeConstants rk = l.Constants(parameters, dotProduct: !listed);
        Vector128<sbyte> zp = Vector128.Create((sbyte)l.InputZeroPoint);
        for (int cb = 0; cb < units; cb += Block)
        {
            Vector128<int> a0 = Vector128<int>.Zero, a1 = a0, a2 = a0, a3 = a0;
            Vector128<int> z0 = a0, z1 = a0, z2 = a0, z3 = a0;
            sbyte* blockWeights = packed + ((long)(cb / Block) * quadCount * quadBytes);
            for (int r = 0; r < count; r++)
            {
                int q = rows.Row(r);
                sbyte* w = blockWeights + (q * quadBytes);
                Vector128<sbyte> x = Vector128.Create(q < whole ? Unsafe.ReadUnaligned<int>(input + (4 * q)) : tail).AsSByte();
                Vector128<sbyte> w0 = Vector128.Load(w), w1 = Vector128.Load(w + 16), w2 = Vector128.Load(w + 32), w3 = Vector128.Load(w + 48);
                a0 = TDot.DotProduct(a0, w0, x);
                a1 = TDot.DotProduct(a1, w1, x);
                a2 = TDot.DotProduct(a2, w2, x);
                a3 = TDot.DotProduct(a3, w3, x);
                if (listed)
                {
                    z0 = TDot.DotProduct(z0, w0, zp);
                    z1 = TDot.DotProduct(z1, w1, zp);
                    z2 = TDot.DotProduct(z2, w2, zp);
                    z3 = TDot.DotProduct(z3, w3, zp);
                }
            }
            Store<TOps>(rk, cb, a0 - z0, a1 - z1, a2 - z2, a3 - z3, output, units);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps>(in RequantizeConstants rk, int cb, Vector128<int> a0, Vector128<int> a1, Vector128<int> a2, Vector128<int> a3, sbyte* output, int units)
        where TOps : struct, IInt8Lanes<Vector128<int>>
    {
        Int8Simd.Store<TOps, Vector128<int>>(rk, cb, a0, a1, output, units);
        if (cb + 8 < units)
        {
            Int8Simd.Store<TOps, Vector128<int>>(rk, cb + 8, a2, a3, output, units);
        }
    }
}

/// <summary>acc + the four-byte dot products of each int32 lane of <c>a</c> and <c>b</c> (SDOT's definition).</summary>
internal interface IDotProduct
{
    static abstract Vector128<int> DotProduct(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b);
}

/// <summary>The instruction (arm64 with DotProd).</summary>
internal readonly struct DotProductArm64 : IDotProduct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> DotProduct(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b) => Dp.DotProduct(acc, a, b);
}

/// <summary>SDOT's definition lane by lane: lets the x64 tests check the layout, the correction and the tail.</summary>
internal readonly struct DotProductModel : IDotProduct
{
    public static Vector128<int> DotProduct(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b)
    {
        Span<int> lanes = stackalloc int[4];
        for (int lane = 0; lane < 4; lane++)
        {
            int sum = acc.GetElement(lane);
            for (int k = 0; k < 4; k++)
            {
                sum += a.GetElement((4 * lane) + k) * b.GetElement((4 * lane) + k);
            }
            lanes[lane] = sum;
        }
        return Vector128.Create(lanes[0], lanes[1], lanes[2], lanes[3]);
    }
}
