using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// Least-squares fit of a x² + b y² + c x + d y + e to a shadowgram over the active pixels, x and y the
/// column and row scaled to [-1, 1]. The design is fixed, so the 5 x 5 normal equations are solved once
/// and each fit is five dot products with the rows of (AᵀWA)⁻¹AᵀW.
/// </summary>
public sealed class QuadraticBackgroundFit
{
    public const int Terms = 5;

    private readonly int _pixels;
    private readonly float[][] _basis;
    private readonly double[][] _projection;

    public QuadraticBackgroundFit(InstrumentGeometry geometry, ReadOnlySpan<float> activePixels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        int n = geometry.DetectorSide;
        _pixels = n * n;
        if (activePixels.Length != _pixels)
        {
            throw TriggerArgumentException.Length(nameof(activePixels), _pixels, activePixels.Length);
        }

        _basis = new float[Terms][];
        for (int j = 0; j < Terms; j++)
        {
            _basis[j] = new float[_pixels];
        }

        double centre = (n - 1) / 2.0, half = n / 2.0;
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double x = (c - centre) / half, y = (r - centre) / half, w = activePixels[r * n + c];
                int i = r * n + c;
                _basis[0][i] = (float)(w * x * x);
                _basis[1][i] = (float)(w * y * y);
                _basis[2][i] = (float)(w * x);
                _basis[3][i] = (float)(w * y);
                _basis[4][i] = (float)w;
            }
        }

        var normal = new double[Terms, Terms];
        for (int a = 0; a < Terms; a++)
        {
            for (int b = 0; b < Terms; b++)
            {
                double s = 0;
                for (int i = 0; i < _pixels; i++)
                {
                    s += (double)_basis[a][i] * _basis[b][i];
                }

                normal[a, b] = s;
            }
        }

        double[,] inverse = Invert(normal);
        _projection = new double[Terms][];
        for (int a = 0; a < Terms; a++)
        {
            _projection[a] = new double[_pixels];
            for (int i = 0; i < _pixels; i++)
            {
                double s = 0;
                for (int b = 0; b < Terms; b++)
                {
                    s += inverse[a, b] * _basis[b][i];
                }

                _projection[a][i] = s;
            }
        }
    }

    /// <summary>Term <paramref name="term"/> (0: x², 1: y², 2: x, 3: y, 4: 1) on the detector, zero on inactive pixels.</summary>
    public ReadOnlySpan<float> Basis(int term) => _basis[term];

    /// <summary>The five coefficients (a, b, c, d, e) of the best fit to <paramref name="shadowgram"/> (inactive pixels ignored).</summary>
    public void Fit(ReadOnlySpan<float> shadowgram, Span<double> coefficients)
    {
        if (shadowgram.Length != _pixels)
        {
            throw TriggerArgumentException.Length(nameof(shadowgram), _pixels, shadowgram.Length);
        }

        if (coefficients.Length != Terms)
        {
            throw TriggerArgumentException.Length(nameof(coefficients), Terms, coefficients.Length);
        }

        for (int a = 0; a < Terms; a++)
        {
            double[] row = _projection[a];
            double s = 0;
            for (int i = 0; i < _pixels; i++)
            {
                s += row[i] * shadowgram[i];
            }

            coefficients[a] = s;
        }
    }

    /// <summary>Fits and subtracts the quadratic from the active pixels of <paramref name="shadowgram"/>.</summary>
    public void Subtract(Span<float> shadowgram)
    {
        Span<double> coefficients = stackalloc double[Terms];
        Fit(shadowgram, coefficients);
        for (int i = 0; i < _pixels; i++)
        {
            double model = 0;
            for (int j = 0; j < Terms; j++)
            {
                model += coefficients[j] * _basis[j][i];
            }

            shadowgram[i] -= (float)model;
        }
    }

    // Gauss–Jordan with partial pivoting on a 5 x 5 symmetric positive-definite matrix.
    private static double[,] Invert(double[,] a)
    {
        int n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            inv[i, i] = 1;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(m[pivot, col]) < 1e-9 * Math.Abs(a[col, col]) || m[pivot, col] == 0)
            {
                throw TriggerArgumentException.Range("activePixels", "too few active pixels to fit a quadratic background.");
            }

            for (int k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
                (inv[col, k], inv[pivot, k]) = (inv[pivot, k], inv[col, k]);
            }

            double d = m[col, col];
            for (int k = 0; k < n; k++)
            {
                m[col, k] /= d;
                inv[col, k] /= d;
            }

            for (int r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                double f = m[r, col];
                for (int k = 0; k < n; k++)
                {
                    m[r, k] -= f * m[col, k];
                    inv[r, k] -= f * inv[col, k];
                }
            }
        }

        return inv;
    }
}
