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

    public ExtendedSkyProjector(InstrumentGeometry geometry, CodedMask mask)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        _mask = mask.Rebin();
        _maskSide = geometry.RebinnedMaskSide;
        _detectorSide = geometry.DetectorSide;
        _skySide = geometry.SkySide;
    }

    public int SkySide => _skySide;

    // row[i] += a * cells[i], a vector at a time: each element gets the same float multiply and add as the scalar loop.
    private static void AddScaled(Span<float> row, ReadOnlySpan<float> cells, float a)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; i + Vector<float>.Count <= row.Length; i += Vector<float>.Count)
            {
                (new Vector<float>(row[i..]) + va * new Vector<float>(cells[i..])).CopyTo(row[i..]);
            }
        }

        for (; i < row.Length; i++)
        {
            row[i] += a * cells[i];
        }
    }

    /// <summary>
    /// Adds the shadowgram of <paramref name="skyAmplitude"/> (sky side², counts per fully open
    /// detector pixel for each sky pixel, may be negative for a deficit) to <paramref name="expected"/>.
    /// </summary>
    public void Add(Span<float> expected, ReadOnlySpan<float> skyAmplitude)
    {
        int n = _detectorSide, m = _maskSide, offset = n - 1;
        if (expected.Length != n * n)
        {
            throw new ArgumentException($"Expected-counts buffer must hold {n * n} pixels, not {expected.Length}.", nameof(expected));
        }

        if (skyAmplitude.Length != _skySide * _skySide)
        {
            throw new ArgumentException($"Sky map must hold {_skySide * _skySide} pixels, not {skyAmplitude.Length}.", nameof(skyAmplitude));
        }

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
                    AddScaled(expected.Slice(r * n + c0, c1 - c0), _mask.AsSpan((r + z - offset) * m + c0 + y - offset, c1 - c0), a);
                }
            }
        }
    }
}
