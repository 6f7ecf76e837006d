using System;

using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Quantization;

/// <summary>
/// Calibration statistics of one activation tensor, for choosing its int8 range: exact zeros are counted apart (they
/// quantize exactly, whatever the range), positive values and magnitudes of negative ones go to two histograms of
/// <see cref="Bins"/> bins over [0, max] and [0, -min], each bin keeping count, sum and sum of squares so the clipping
/// error of any bin-edge range is exact (not a bin-centre approximation).
/// </summary>
public sealed class ActivationHistogram
{
    /// <summary>Bins on each side of zero.</summary>
    public const int Bins = 2048;

    private readonly Side _positive;
    private readonly Side _negative;

    /// <summary>Creates an empty histogram for values in [<paramref name="min"/>, <paramref name="max"/>] (from a first pass).</summary>
    public ActivationHistogram(float min, float max)
    {
        Min = Math.Min(0f, min);
        Max = Math.Max(0f, max);
        _positive = new Side(Max);
        _negative = new Side(-Min);
    }

    /// <summary>Smallest value (at most 0).</summary>
    public float Min { get; }

    /// <summary>Largest value (at least 0).</summary>
    public float Max { get; }

    /// <summary>Values equal to 0.</summary>
    public long Zeros { get; private set; }

    /// <summary>Adds every value of <paramref name="values"/>.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (v > 0)
            {
                _positive.Add(v);
            }
            else if (v < 0)
            {
                _negative.Add(-v);
            }
            else
            {
                Zeros++;
            }
        }
    }

    /// <summary>
    /// The range [lo, hi] (lo &lt;= 0 &lt;= hi, at bin edges) minimising the expected squared quantization error of the
    /// values seen: rounding noise scale²/12 for every non-zero value inside (scale = (hi - lo)/255) plus the exact
    /// squared clipping error of the values outside. Zeros cost nothing (0 is a code). The full range is a candidate,
    /// so this never does worse than min/max on the calibration data.
    /// </summary>
    public (float Lo, float Hi) MseOptimalRange()
    {
        if (_positive.Count + _negative.Count == 0)
        {
            return (Min, Max);
        }
        double[] pos = _positive.ClipErrors(out long[] posInside);
        double[] neg = _negative.ClipErrors(out long[] negInside);
        double best = double.PositiveInfinity;
        int bestP = Bins, bestN = Bins;
        for (int n = 0; n <= Bins; n++)
        {
            if (n < Bins && _negative.Count == 0)
            {
                continue; // no negative values: lo stays 0
            }
            double lo = _negative.Edge(n);
            for (int p = 0; p <= Bins; p++)
            {
                if (p < Bins && _positive.Count == 0)
                {
                    continue;
                }
                double scale = (_positive.Edge(p) + lo) / 255.0;
                double error = pos[p] + neg[n] + ((posInside[p] + negInside[n]) * scale * scale / 12.0);
                if (error < best)
                {
                    (best, bestP, bestN) = (error, p, n);
                }
            }
        }
        return ((float)-_negative.Edge(bestN), (float)_positive.Edge(bestP));
    }

    /// <summary>The range keeping all but <paramref name="fraction"/> of the non-zero values at each end.</summary>
    public (float Lo, float Hi) PercentileRange(double fraction) =>
        ((float)-_negative.Percentile(fraction * (_negative.Count + _positive.Count)), (float)_positive.Percentile(fraction * (_negative.Count + _positive.Count)));

    /// <summary>Magnitudes on one side of zero.</summary>
    private sealed class Side
    {
        private readonly double _extent;
        private readonly long[] _count = new long[Bins];
        private readonly double[] _sum = new double[Bins];
        private readonly double[] _squares = new double[Bins];

        public Side(double extent) => _extent = extent;

        public long Count { get; private set; }

        public void Add(double v)
        {
            int bin = (int)Math.Min(Bins - 1, v / _extent * Bins);
            _count[bin]++;
            _sum[bin] += v;
            _squares[bin] += v * v;
            Count++;
        }

        /// <summary>Upper edge of bin <paramref name="k"/> - 1 (edge 0 is 0, edge Bins the extent).</summary>
        public double Edge(int k) => k == Bins ? _extent : _extent * k / Bins;

        /// <summary>For each edge k: the squared error of clipping every value above it to it, and how many are at or below it.</summary>
        public double[] ClipErrors(out long[] inside)
        {
            var errors = new double[Bins + 1];
            inside = new long[Bins + 1];
            double n = 0, s1 = 0, s2 = 0;
            for (int k = Bins; k >= 0; k--)
            {
                double edge = Edge(k);
                // sum over v > edge of (v - edge)^2 = s2 - 2 edge s1 + edge^2 n
                errors[k] = Math.Max(0, s2 - (2 * edge * s1) + (edge * edge * n));
                inside[k] = Count - (long)n;
                if (k > 0)
                {
                    n += _count[k - 1];
                    s1 += _sum[k - 1];
                    s2 += _squares[k - 1];
                }
            }
            return errors;
        }

        /// <summary>Smallest edge with at most <paramref name="outside"/> values above it.</summary>
        public double Percentile(double outside)
        {
            long above = 0;
            for (int k = Bins; k > 0; k--)
            {
                if (above + _count[k - 1] > outside)
                {
                    return Edge(k);
                }
                above += _count[k - 1];
            }
            return 0;
        }
    }
}
