using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// Square complex 2-D FFT of a power-of-two side on split real/imaginary float arrays (row-major).
/// </summary>
/// <remarks>
/// Each 1-D pass transforms along the first index for all columns at once, so a butterfly is an
/// elementwise operation on two whole rows with one twiddle (SIMD over columns, cache-friendly). A
/// transpose between the two passes turns the second dimension into the first. The fast pair
/// <see cref="ForwardToBitReversed"/> (decimation in frequency: natural in, bit-reversed out) and
/// <see cref="InverseFromBitReversed"/> (decimation in time: bit-reversed in, natural out) never
/// reorder: a pointwise product between them does not care about the order. The spectrum they
/// share is stored transposed and bit-reversed: X[kr, kc] at [rev(kc) * n + rev(kr)].
/// <see cref="Forward"/> and <see cref="Inverse"/> are the natural-order versions. The inverse is
/// unnormalised (no 1/n²). Every element is computed by the same float operations whatever the SIMD
/// width, so results are bit-identical across machines with or without vector units.
/// </remarks>
public sealed class Fft2D
{
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly int[] _bitReverse;

    public Fft2D(int side)
    {
        if (side < 2 || side > 4096 || (side & (side - 1)) != 0)
        {
            throw TriggerArgumentException.Range(nameof(side), $"an FFT side must be a power of two in [2, 4096], got {side}.");
        }

        Side = side;
        _cos = new float[side / 2];
        _sin = new float[side / 2];
        for (int k = 0; k < side / 2; k++)
        {
            double angle = 2 * Math.PI * k / side;
            _cos[k] = (float)Math.Cos(angle);
            _sin[k] = (float)Math.Sin(angle);
        }

        int bits = BitOperations.Log2((uint)side);
        _bitReverse = new int[side];
        for (int i = 0; i < side; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }
    }

    public int Side { get; }

    /// <summary>Bit-reversal permutation of an index along one axis.</summary>
    public int BitReverse(int index) => _bitReverse[index];

    /// <summary>Forward transform (e^-2πi), natural order in, transposed bit-reversed order out. Columns at and
    /// beyond <paramref name="nonZeroColumns"/> must hold zeros on input (they are skipped by the first pass).</summary>
    public void ForwardToBitReversed(Span<float> re, Span<float> im, int nonZeroColumns)
    {
        Check(re, im);
        int n = Side;
        if (nonZeroColumns < 1 || nonZeroColumns > n)
        {
            throw TriggerArgumentException.Range(nameof(nonZeroColumns), $"nonZeroColumns must lie in [1, {n}].");
        }

        DecimateInFrequency(re, im, nonZeroColumns);
        // The first pass left the columns from its width on untouched (+0): those tiles need no swapping.
        int touched = VectorWidth(nonZeroColumns);
        Transpose(re, touched);
        Transpose(im, touched);
        DecimateInFrequency(re, im, n);
    }

    /// <summary>Unnormalised inverse transform (e^+2πi) of a spectrum in <see cref="ForwardToBitReversed"/>'s layout,
    /// natural order out. Only columns below <paramref name="neededColumns"/> of the result are computed; the
    /// others hold intermediate values.</summary>
    public void InverseFromBitReversed(Span<float> re, Span<float> im, int neededColumns)
    {
        Check(re, im);
        int n = Side;
        if (neededColumns < 1 || neededColumns > n)
        {
            throw TriggerArgumentException.Range(nameof(neededColumns), $"neededColumns must lie in [1, {n}].");
        }

        DecimateInTime(re, im, n);
        // The last pass reads only the columns below its width: tiles wholly beyond it need no swapping.
        int needed = VectorWidth(neededColumns);
        Transpose(re, needed);
        Transpose(im, needed);
        DecimateInTime(re, im, neededColumns);
    }

    /// <summary>Forward transform, natural order in and out: X[kr, kc] = Σ x[r, c] e^{-2πi (kr r + kc c) / n}.
    /// Reorders through a scratch copy (allocates): for tests and tools, not for the per-image path.</summary>
    public void Forward(Span<float> re, Span<float> im)
    {
        ForwardToBitReversed(re, im, Side);
        Unscramble(re);
        Unscramble(im);
    }

    /// <summary>Unnormalised inverse transform, natural order in and out (multiply by 1/n² to undo <see cref="Forward"/>).
    /// Allocates a scratch copy, like <see cref="Forward"/>.</summary>
    public void Inverse(Span<float> re, Span<float> im)
    {
        Check(re, im);
        Scramble(re);
        Scramble(im);
        InverseFromBitReversed(re, im, Side);
    }

    private void Unscramble(Span<float> a)
    {
        int n = Side;
        float[] copy = a.ToArray();
        for (int p = 0; p < n; p++)
        {
            for (int q = 0; q < n; q++)
            {
                // [rev(kc)][rev(kr)] -> [kr][kc]
                a[_bitReverse[q] * n + _bitReverse[p]] = copy[p * n + q];
            }
        }
    }

    private void Scramble(Span<float> a)
    {
        int n = Side;
        float[] copy = a.ToArray();
        for (int p = 0; p < n; p++)
        {
            for (int q = 0; q < n; q++)
            {
                a[p * n + q] = copy[_bitReverse[q] * n + _bitReverse[p]];
            }
        }
    }

    private void Check(Span<float> re, Span<float> im)
    {
        int length = Side * Side;
        if (re.Length != length)
        {
            throw TriggerArgumentException.Length(nameof(re), length, re.Length);
        }

        if (im.Length != length)
        {
            throw TriggerArgumentException.Length(nameof(im), length, im.Length);
        }
    }

    // Gentleman–Sande: (a, b) <- (a + b, (a - b) w), w = e^{-2πi j / (2 span)}, span = n/2 .. 1. Two stages are
    // done per sweep over four rows (radix 2²), depth-first: the quarters left are independent FFTs, finished
    // while they are still in cache.
    private void DecimateInFrequency(Span<float> re, Span<float> im, int columns) =>
        DecimateInFrequency(re, im, VectorWidth(columns), 0, Side);

    private void DecimateInFrequency(Span<float> re, Span<float> im, int width, int start, int size)
    {
        int n = Side, step = n / size;
        if (size == 2)
        {
            ButterflyDif(Row(re, start, width), Row(im, start, width), Row(re, start + 1, width), Row(im, start + 1, width), 1f, 0f);
            return;
        }

        int quarter = size / 4;
        for (int j = 0; j < quarter; j++)
        {
            int r0 = start + j, r1 = r0 + quarter, r2 = r1 + quarter, r3 = r2 + quarter;
            Rows4 rows = new(Row(re, r0, width), Row(im, r0, width), Row(re, r1, width), Row(im, r1, width),
                Row(re, r2, width), Row(im, r2, width), Row(re, r3, width), Row(im, r3, width));
            var w = new Twiddles(_cos[j * step], -_sin[j * step], _cos[(j + quarter) * step], -_sin[(j + quarter) * step],
                _cos[2 * j * step], -_sin[2 * j * step]);
            int done = RadixFourDif(rows, w);
            ButterflyDif(rows.R0[done..], rows.I0[done..], rows.R2[done..], rows.I2[done..], w.Ar, w.Ai);
            ButterflyDif(rows.R1[done..], rows.I1[done..], rows.R3[done..], rows.I3[done..], w.Br, w.Bi);
            ButterflyDif(rows.R0[done..], rows.I0[done..], rows.R1[done..], rows.I1[done..], w.Cr, w.Ci);
            ButterflyDif(rows.R2[done..], rows.I2[done..], rows.R3[done..], rows.I3[done..], w.Cr, w.Ci);
        }

        if (quarter > 1)
        {
            for (int q = 0; q < 4; q++)
            {
                DecimateInFrequency(re, im, width, start + q * quarter, quarter);
            }
        }
    }

    // Cooley–Tukey: (a, b) <- (a + w b, a - w b), w = e^{+2πi j / (2 span)}, span = 1 .. n/2, radix 2² and
    // depth-first likewise.
    private void DecimateInTime(Span<float> re, Span<float> im, int columns) =>
        DecimateInTime(re, im, VectorWidth(columns), 0, Side);

    private void DecimateInTime(Span<float> re, Span<float> im, int width, int start, int size)
    {
        int n = Side, step = n / size;
        if (size == 2)
        {
            ButterflyDit(Row(re, start, width), Row(im, start, width), Row(re, start + 1, width), Row(im, start + 1, width), 1f, 0f);
            return;
        }

        int quarter = size / 4;
        if (quarter > 1)
        {
            for (int q = 0; q < 4; q++)
            {
                DecimateInTime(re, im, width, start + q * quarter, quarter);
            }
        }

        for (int j = 0; j < quarter; j++)
        {
            int r0 = start + j, r1 = r0 + quarter, r2 = r1 + quarter, r3 = r2 + quarter;
            Rows4 rows = new(Row(re, r0, width), Row(im, r0, width), Row(re, r1, width), Row(im, r1, width),
                Row(re, r2, width), Row(im, r2, width), Row(re, r3, width), Row(im, r3, width));
            var w = new Twiddles(_cos[j * step], _sin[j * step], _cos[(j + quarter) * step], _sin[(j + quarter) * step],
                _cos[2 * j * step], _sin[2 * j * step]);
            int done = RadixFourDit(rows, w);
            ButterflyDit(rows.R0[done..], rows.I0[done..], rows.R1[done..], rows.I1[done..], w.Cr, w.Ci);
            ButterflyDit(rows.R2[done..], rows.I2[done..], rows.R3[done..], rows.I3[done..], w.Cr, w.Ci);
            ButterflyDit(rows.R0[done..], rows.I0[done..], rows.R2[done..], rows.I2[done..], w.Ar, w.Ai);
            ButterflyDit(rows.R1[done..], rows.I1[done..], rows.R3[done..], rows.I3[done..], w.Br, w.Bi);
        }
    }

    // The two radix-2 stages of one four-row group fused in registers; the same float operations in the same
    // order as the four radix-2 butterflies, so the scalar tail gives bit-identical results. Returns the
    // number of columns done.
    private static int RadixFourDif(Rows4 rows, Twiddles w)
    {
        if (!Vector.IsHardwareAccelerated || rows.R0.Length < Vector<float>.Count)
        {
            return 0;
        }

        Span<Vector<float>> r0 = Vectors(rows.R0), i0 = Vectors(rows.I0), r1 = Vectors(rows.R1), i1 = Vectors(rows.I1);
        Span<Vector<float>> r2 = Vectors(rows.R2), i2 = Vectors(rows.I2), r3 = Vectors(rows.R3), i3 = Vectors(rows.I3);
        Vector<float> ar = new(w.Ar), ai = new(w.Ai), br = new(w.Br), bi = new(w.Bi), cr = new(w.Cr), ci = new(w.Ci);
        int count = r0.Length;
        if (r1.Length < count || r2.Length < count || r3.Length < count || i0.Length < count || i1.Length < count || i2.Length < count || i3.Length < count)
        {
            return 0;
        }

        for (int k = 0; k < count; k++)
        {
            Vector<float> x0r = r0[k], x0i = i0[k], x1r = r1[k], x1i = i1[k], x2r = r2[k], x2i = i2[k], x3r = r3[k], x3i = i3[k];
            Vector<float> a0r = x0r + x2r, a0i = x0i + x2i, dr = x0r - x2r, di = x0i - x2i;
            Vector<float> a2r = dr * ar - di * ai, a2i = dr * ai + di * ar;
            Vector<float> a1r = x1r + x3r, a1i = x1i + x3i;
            dr = x1r - x3r;
            di = x1i - x3i;
            Vector<float> a3r = dr * br - di * bi, a3i = dr * bi + di * br;
            r0[k] = a0r + a1r;
            i0[k] = a0i + a1i;
            dr = a0r - a1r;
            di = a0i - a1i;
            r1[k] = dr * cr - di * ci;
            i1[k] = dr * ci + di * cr;
            r2[k] = a2r + a3r;
            i2[k] = a2i + a3i;
            dr = a2r - a3r;
            di = a2i - a3i;
            r3[k] = dr * cr - di * ci;
            i3[k] = dr * ci + di * cr;
        }

        return count * Vector<float>.Count;
    }

    private static int RadixFourDit(Rows4 rows, Twiddles w)
    {
        if (!Vector.IsHardwareAccelerated || rows.R0.Length < Vector<float>.Count)
        {
            return 0;
        }

        Span<Vector<float>> r0 = Vectors(rows.R0), i0 = Vectors(rows.I0), r1 = Vectors(rows.R1), i1 = Vectors(rows.I1);
        Span<Vector<float>> r2 = Vectors(rows.R2), i2 = Vectors(rows.I2), r3 = Vectors(rows.R3), i3 = Vectors(rows.I3);
        Vector<float> ar = new(w.Ar), ai = new(w.Ai), br = new(w.Br), bi = new(w.Bi), cr = new(w.Cr), ci = new(w.Ci);
        int count = r0.Length;
        if (r1.Length < count || r2.Length < count || r3.Length < count || i0.Length < count || i1.Length < count || i2.Length < count || i3.Length < count)
        {
            return 0;
        }

        for (int k = 0; k < count; k++)
        {
            Vector<float> x0r = r0[k], x0i = i0[k], x1r = r1[k], x1i = i1[k], x2r = r2[k], x2i = i2[k], x3r = r3[k], x3i = i3[k];
            Vector<float> tr = x1r * cr - x1i * ci, ti = x1r * ci + x1i * cr;
            Vector<float> a0r = x0r + tr, a0i = x0i + ti, a1r = x0r - tr, a1i = x0i - ti;
            tr = x3r * cr - x3i * ci;
            ti = x3r * ci + x3i * cr;
            Vector<float> a2r = x2r + tr, a2i = x2i + ti, a3r = x2r - tr, a3i = x2i - ti;
            tr = a2r * ar - a2i * ai;
            ti = a2r * ai + a2i * ar;
            r0[k] = a0r + tr;
            i0[k] = a0i + ti;
            r2[k] = a0r - tr;
            i2[k] = a0i - ti;
            tr = a3r * br - a3i * bi;
            ti = a3r * bi + a3i * br;
            r1[k] = a1r + tr;
            i1[k] = a1i + ti;
            r3[k] = a1r - tr;
            i3[k] = a1i - ti;
        }

        return count * Vector<float>.Count;
    }

    private static Span<Vector<float>> Vectors(Span<float> row) => MemoryMarshal.Cast<float, Vector<float>>(row);

    private readonly record struct Twiddles(float Ar, float Ai, float Br, float Bi, float Cr, float Ci);

    private Span<float> Row(Span<float> a, int row, int width) => a.Slice(row * Side, width);

    private readonly ref struct Rows4(Span<float> r0, Span<float> i0, Span<float> r1, Span<float> i1, Span<float> r2, Span<float> i2, Span<float> r3, Span<float> i3)
    {
        public readonly Span<float> R0 = r0, I0 = i0, R1 = r1, I1 = i1, R2 = r2, I2 = i2, R3 = r3, I3 = i3;
    }

    private int VectorWidth(int columns)
    {
        int v = Vector<float>.Count;
        return Side % v == 0 ? Math.Min(Side, (columns + v - 1) / v * v) : columns;
    }

    private static void ButterflyDif(Span<float> ar, Span<float> ai, Span<float> br, Span<float> bi, float wr, float wi)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && ar.Length >= Vector<float>.Count)
        {
            var vwr = new Vector<float>(wr);
            var vwi = new Vector<float>(wi);
            Span<Vector<float>> var = MemoryMarshal.Cast<float, Vector<float>>(ar);
            Span<Vector<float>> vai = MemoryMarshal.Cast<float, Vector<float>>(ai);
            Span<Vector<float>> vbr = MemoryMarshal.Cast<float, Vector<float>>(br);
            Span<Vector<float>> vbi = MemoryMarshal.Cast<float, Vector<float>>(bi);
            for (int k = 0; k < var.Length; k++)
            {
                Vector<float> xr = var[k], xi = vai[k], yr = vbr[k], yi = vbi[k];
                var[k] = xr + yr;
                vai[k] = xi + yi;
                Vector<float> dr = xr - yr, di = xi - yi;
                vbr[k] = dr * vwr - di * vwi;
                vbi[k] = dr * vwi + di * vwr;
            }

            i = var.Length * Vector<float>.Count;
        }

        for (; i < ar.Length; i++)
        {
            float xr = ar[i], xi = ai[i], yr = br[i], yi = bi[i];
            ar[i] = xr + yr;
            ai[i] = xi + yi;
            float dr = xr - yr, di = xi - yi;
            br[i] = dr * wr - di * wi;
            bi[i] = dr * wi + di * wr;
        }
    }

    private static void ButterflyDit(Span<float> ar, Span<float> ai, Span<float> br, Span<float> bi, float wr, float wi)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && ar.Length >= Vector<float>.Count)
        {
            var vwr = new Vector<float>(wr);
            var vwi = new Vector<float>(wi);
            Span<Vector<float>> var = MemoryMarshal.Cast<float, Vector<float>>(ar);
            Span<Vector<float>> vai = MemoryMarshal.Cast<float, Vector<float>>(ai);
            Span<Vector<float>> vbr = MemoryMarshal.Cast<float, Vector<float>>(br);
            Span<Vector<float>> vbi = MemoryMarshal.Cast<float, Vector<float>>(bi);
            for (int k = 0; k < var.Length; k++)
            {
                Vector<float> xr = var[k], xi = vai[k], yr = vbr[k], yi = vbi[k];
                Vector<float> tr = yr * vwr - yi * vwi, ti = yr * vwi + yi * vwr;
                var[k] = xr + tr;
                vai[k] = xi + ti;
                vbr[k] = xr - tr;
                vbi[k] = xi - ti;
            }

            i = var.Length * Vector<float>.Count;
        }

        for (; i < ar.Length; i++)
        {
            float xr = ar[i], xi = ai[i], yr = br[i], yi = bi[i];
            float tr = yr * wr - yi * wi, ti = yr * wi + yi * wr;
            ar[i] = xr + tr;
            ai[i] = xi + ti;
            br[i] = xr - tr;
            bi[i] = xi - ti;
        }
    }

    /// <summary>
    /// In-place transpose by 8 x 8 tiles, each tile pair swapped while both stay in registers (AVX) or cache. Tile pairs
    /// whose rows and columns all lie at or beyond <paramref name="limit"/> are left as they are: the callers know those
    /// hold only untouched zeros (forward) or values nobody reads (inverse). Data only moves, so the result does not
    /// depend on the path taken.
    /// </summary>
    private void Transpose(Span<float> a, int limit)
    {
        int n = Side;
        const int Tile = 8;
        bool avx = Avx.IsSupported && n % Tile == 0;
        for (int bi = 0; bi < n && bi < limit; bi += Tile)
        {
            for (int bj = bi; bj < n; bj += Tile)
            {
                if (avx)
                {
                    SwapTilesAvx(a, n, bi, bj);
                    continue;
                }

                int ei = Math.Min(bi + Tile, n), ej = Math.Min(bj + Tile, n);
                for (int i = bi; i < ei; i++)
                {
                    ref float row = ref a[i * n];
                    for (int j = bj == bi ? i + 1 : bj; j < ej; j++)
                    {
                        ref float x = ref Unsafe.Add(ref row, j);
                        ref float y = ref a[j * n + i];
                        (x, y) = (y, x);
                    }
                }
            }
        }
    }

    // Tile (bi, bj) transposed into (bj, bi) and back; the diagonal tile (bi == bj) transposed in place.
    private static void SwapTilesAvx(Span<float> a, int n, int bi, int bj)
    {
        ref float origin = ref MemoryMarshal.GetReference(a);
        ref float p = ref Unsafe.Add(ref origin, bi * n + bj);
        ref float q = ref Unsafe.Add(ref origin, bj * n + bi);
        Transpose8(ref p, n, out Vector256<float> p0, out Vector256<float> p1, out Vector256<float> p2, out Vector256<float> p3,
            out Vector256<float> p4, out Vector256<float> p5, out Vector256<float> p6, out Vector256<float> p7);
        if (bi != bj)
        {
            Transpose8(ref q, n, out Vector256<float> q0, out Vector256<float> q1, out Vector256<float> q2, out Vector256<float> q3,
                out Vector256<float> q4, out Vector256<float> q5, out Vector256<float> q6, out Vector256<float> q7);
            Store8(ref p, n, q0, q1, q2, q3, q4, q5, q6, q7);
        }

        Store8(ref q, n, p0, p1, p2, p3, p4, p5, p6, p7);
    }

    // Loads the 8 x 8 tile at t (row stride n) and returns its transpose, row by row.
    private static void Transpose8(ref float t, int n, out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
        out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref t), r1 = Vector256.LoadUnsafe(ref t, (nuint)n), r2 = Vector256.LoadUnsafe(ref t, (nuint)(2 * n)), r3 = Vector256.LoadUnsafe(ref t, (nuint)(3 * n));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref t, (nuint)(4 * n)), r5 = Vector256.LoadUnsafe(ref t, (nuint)(5 * n)), r6 = Vector256.LoadUnsafe(ref t, (nuint)(6 * n)), r7 = Vector256.LoadUnsafe(ref t, (nuint)(7 * n));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        o0 = Avx.Permute2x128(s0, s4, 0x20);
        o1 = Avx.Permute2x128(s1, s5, 0x20);
        o2 = Avx.Permute2x128(s2, s6, 0x20);
        o3 = Avx.Permute2x128(s3, s7, 0x20);
        o4 = Avx.Permute2x128(s0, s4, 0x31);
        o5 = Avx.Permute2x128(s1, s5, 0x31);
        o6 = Avx.Permute2x128(s2, s6, 0x31);
        o7 = Avx.Permute2x128(s3, s7, 0x31);
    }

    private static void Store8(ref float t, int n, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
        r0.StoreUnsafe(ref t);
        r1.StoreUnsafe(ref t, (nuint)n);
        r2.StoreUnsafe(ref t, (nuint)(2 * n));
        r3.StoreUnsafe(ref t, (nuint)(3 * n));
        r4.StoreUnsafe(ref t, (nuint)(4 * n));
        r5.StoreUnsafe(ref t, (nuint)(5 * n));
        r6.StoreUnsafe(ref t, (nuint)(6 * n));
        r7.StoreUnsafe(ref t, (nuint)(7 * n));
    }
}
