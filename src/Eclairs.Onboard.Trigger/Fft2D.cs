using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        Transpose(re);
        Transpose(im);
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
        Transpose(re);
        Transpose(im);
        DecimateInTime(re, im, neededColumns);
    }

    /// <summary>Forward transform, natural order in and out: X[kr, kc] = Σ x[r, c] e^{-2πi (kr r + kc c) / n}.</summary>
    public void Forward(Span<float> re, Span<float> im)
    {
        ForwardToBitReversed(re, im, Side);
        Unscramble(re);
        Unscramble(im);
    }

    /// <summary>Unnormalised inverse transform, natural order in and out (multiply by 1/n² to undo <see cref="Forward"/>).</summary>
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

    // Gentleman–Sande: (a, b) <- (a + b, (a - b) w), w = e^{-2πi j / (2 span)}, span = n/2 .. 1.
    private void DecimateInFrequency(Span<float> re, Span<float> im, int columns)
    {
        int n = Side;
        int width = VectorWidth(columns);
        for (int span = n / 2; span >= 1; span >>= 1)
        {
            int step = n / (2 * span);
            for (int start = 0; start < n; start += 2 * span)
            {
                for (int j = 0; j < span; j++)
                {
                    int a = (start + j) * n, b = (start + j + span) * n;
                    float wr = _cos[j * step], wi = -_sin[j * step];
                    ButterflyDif(re.Slice(a, width), im.Slice(a, width), re.Slice(b, width), im.Slice(b, width), wr, wi);
                }
            }
        }
    }

    // Cooley–Tukey: (a, b) <- (a + w b, a - w b), w = e^{+2πi j / (2 span)}, span = 1 .. n/2.
    private void DecimateInTime(Span<float> re, Span<float> im, int columns)
    {
        int n = Side;
        int width = VectorWidth(columns);
        for (int span = 1; span < n; span <<= 1)
        {
            int step = n / (2 * span);
            for (int start = 0; start < n; start += 2 * span)
            {
                for (int j = 0; j < span; j++)
                {
                    int a = (start + j) * n, b = (start + j + span) * n;
                    float wr = _cos[j * step], wi = _sin[j * step];
                    ButterflyDit(re.Slice(a, width), im.Slice(a, width), re.Slice(b, width), im.Slice(b, width), wr, wi);
                }
            }
        }
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

    // In-place transpose by 16 x 16 tiles: each tile pair is swapped while both stay in cache.
    private void Transpose(Span<float> a)
    {
        int n = Side;
        const int Tile = 16;
        for (int bi = 0; bi < n; bi += Tile)
        {
            int ei = Math.Min(bi + Tile, n);
            for (int bj = bi; bj < n; bj += Tile)
            {
                int ej = Math.Min(bj + Tile, n);
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
}
