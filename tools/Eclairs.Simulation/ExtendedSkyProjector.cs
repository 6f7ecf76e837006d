using System;
using System.Numerics;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Simulation;

/// <summary>
/// Shadowgram of extended emission (the Earth's limb, the occulted CXB): each sky pixel lights
/// detector pixel (r, c) through rebinned mask cell (r + z − o, c + y − o), o = detector side − 1,
/// so a whole sky map projects as one correlation with the rebinned mask. For a source on a
/// sky-pixel centre this is what <see cref="ShadowgramModel.AddPointSourceAtSkyPixel"/> gives
/// (the trigger's rebinning is built so), at a fraction of its cost per sky pixel.
/// </summary>
public sealed class ExtendedSkyProjector
{
    private readonly float[] _mask;
    private readonly int _maskSide;
    private readonly int _detectorSide;
    private readonly int _skySide;
    private readonly int _paddedWidth;
    private readonly float[] _padded;
    private readonly int[] _firstOfRow;
    private float[] _cellAmplitude = [];
    private int[] _cellStart = [];

    public ExtendedSkyProjector(InstrumentGeometry geometry, CodedMask mask)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        _mask = mask.Rebin();
        _maskSide = geometry.RebinnedMaskSide;
        _detectorSide = geometry.DetectorSide;
        _skySide = geometry.SkySide;
        // Each mask row between detector-side zero columns on both sides: column b of the mask at b + detector side.
        _paddedWidth = _maskSide + 2 * _detectorSide;
        _padded = new float[_maskSide * _paddedWidth];
        for (int a = 0; a < _maskSide; a++)
        {
            _mask.AsSpan(a * _maskSide, _maskSide).CopyTo(_padded.AsSpan(a * _paddedWidth + _detectorSide, _maskSide));
        }

        _firstOfRow = new int[_skySide + 1];
    }

    public int SkySide => _skySide;

    /// <summary>
    /// Adds the shadowgram of <paramref name="skyAmplitude"/> (sky side², counts per fully open
    /// detector pixel for each sky pixel, may be negative for a deficit) to <paramref name="expected"/>.
    /// </summary>
    /// <remarks>
    /// Every detector pixel receives a x cell for each non-zero sky pixel in row-major sky order, one float multiply and
    /// one add each: <see cref="AddReference"/>'s operations in its order, so the result is bit for bit the same. The work
    /// is arranged by detector row and blocks of columns, the block held in registers across the sky pixels instead of
    /// being loaded and stored once per sky pixel; the rebinned mask is padded with zero columns so every row is whole
    /// (adding a x 0 leaves a sum that is never −0 unchanged: expected counts start non-negative).
    /// </remarks>
    public void Add(Span<float> expected, ReadOnlySpan<float> skyAmplitude)
    {
        Check(expected, skyAmplitude);
        int n = _detectorSide, m = _maskSide, offset = n - 1, sky = _skySide;
        int cellCount = 0;
        for (int p = 0; p < skyAmplitude.Length; p++)
        {
            cellCount += skyAmplitude[p] != 0 ? 1 : 0;
        }

        if (cellCount == 0)
        {
            return;
        }

        if (_cellAmplitude.Length < cellCount)
        {
            _cellAmplitude = new float[cellCount];
            _cellStart = new int[cellCount];
        }

        // firstOfRow[z]: index of the first non-zero sky pixel in sky rows >= z (cells are in row-major order).
        int[] firstOfRow = _firstOfRow;
        int count = 0;
        for (int z = 0; z < sky; z++)
        {
            firstOfRow[z] = count;
            for (int y = 0; y < sky; y++)
            {
                float a = skyAmplitude[z * sky + y];
                if (a == 0)
                {
                    continue;
                }

                _cellAmplitude[count] = a;
                // Padded mask offset of (mask row r + z - offset, column c + y - offset) less r * padded width.
                _cellStart[count] = (z - offset) * _paddedWidth + y - offset + n;
                count++;
            }
        }

        firstOfRow[sky] = count;
        int v = Vector<float>.Count, block = 4 * v;
        ReadOnlySpan<float> padded = _padded;
        for (int r = 0; r < n; r++)
        {
            // Sky rows z with 0 <= r + z - offset < m: a contiguous run of cells.
            int z0 = Math.Max(0, offset - r), z1 = Math.Min(sky, m + offset - r);
            int first = firstOfRow[z0], last = firstOfRow[z1];
            Span<float> row = expected.Slice(r * n, n);
            int rowBase = r * _paddedWidth;
            int c = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; c + block <= n; c += block)
                {
                    Vector<float> s0 = new(row[c..]), s1 = new(row[(c + v)..]), s2 = new(row[(c + 2 * v)..]), s3 = new(row[(c + 3 * v)..]);
                    for (int k = first; k < last; k++)
                    {
                        var va = new Vector<float>(_cellAmplitude[k]);
                        ReadOnlySpan<float> cells = padded.Slice(rowBase + _cellStart[k] + c, block);
                        s0 += va * new Vector<float>(cells);
                        s1 += va * new Vector<float>(cells[v..]);
                        s2 += va * new Vector<float>(cells[(2 * v)..]);
                        s3 += va * new Vector<float>(cells[(3 * v)..]);
                    }

                    s0.CopyTo(row[c..]);
                    s1.CopyTo(row[(c + v)..]);
                    s2.CopyTo(row[(c + 2 * v)..]);
                    s3.CopyTo(row[(c + 3 * v)..]);
                }

                for (; c + v <= n; c += v)
                {
                    Vector<float> s0 = new(row[c..]);
                    for (int k = first; k < last; k++)
                    {
                        s0 += new Vector<float>(_cellAmplitude[k]) * new Vector<float>(padded.Slice(rowBase + _cellStart[k] + c, v));
                    }

                    s0.CopyTo(row[c..]);
                }
            }

            for (; c < n; c++)
            {
                float s0 = row[c];
                for (int k = first; k < last; k++)
                {
                    s0 += _cellAmplitude[k] * padded[rowBase + _cellStart[k] + c];
                }

                row[c] = s0;
            }
        }
    }

    /// <summary>The plain form of <see cref="Add"/>: sky pixel by sky pixel, detector row by row (for tests).</summary>
    public void AddReference(Span<float> expected, ReadOnlySpan<float> skyAmplitude)
    {
        Check(expected, skyAmplitude);
        int n = _detectorSide, m = _maskSide, offset = n - 1;
        for (int z = 0; z < _skySide; z++)
        {
            for (int y = 0; y < _skySide; y++)
            {
                float a = skyAmplitude[z * _skySide + y];
                if (a == 0)
                {
                    continue;
                }

                // Detector columns c with 0 <= c + y - offset < m, rows likewise.
                int c0 = Math.Max(0, offset - y), c1 = Math.Min(n, m + offset - y);
                int r0 = Math.Max(0, offset - z), r1 = Math.Min(n, m + offset - z);
                for (int r = r0; r < r1; r++)
                {
                    int cells = (r + z - offset) * m + c0 + y - offset;
                    for (int c = c0; c < c1; c++)
                    {
                        expected[r * n + c] += a * _mask[cells + c - c0];
                    }
                }
            }
        }
    }

    private void Check(Span<float> expected, ReadOnlySpan<float> skyAmplitude)
    {
        int n = _detectorSide;
        if (expected.Length != n * n)
        {
            throw new ArgumentException($"Expected-counts buffer must hold {n * n} pixels, not {expected.Length}.", nameof(expected));
        }

        if (skyAmplitude.Length != _skySide * _skySide)
        {
            throw new ArgumentException($"Sky map must hold {_skySide * _skySide} pixels, not {skyAmplitude.Length}.", nameof(skyAmplitude));
        }
    }
}
