using System;
using System.Globalization;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// The mask pattern: <see cref="InstrumentGeometry.MaskElements"/> squared elements, open or closed,
/// row-major (row ↔ Z, column ↔ Y). The real ECLAIRs pattern is not public: <see cref="Generate"/>
/// makes a deterministic random pattern with the exact open fraction.
/// </summary>
public sealed class CodedMask
{
    /// <summary>Seed of the default pattern (ASCII "ECLAIRs" as a number; any fixed value would do).</summary>
    public const ulong DefaultSeed = 0x0045434C41495273UL;

    private readonly bool[] _open;

    private CodedMask(InstrumentGeometry geometry, bool[] open)
    {
        Geometry = geometry;
        _open = open;
    }

    public InstrumentGeometry Geometry { get; }

    public int Side => Geometry.MaskElements;

    /// <summary>Open elements, row-major.</summary>
    public ReadOnlySpan<bool> Open => _open;

    public int OpenCount
    {
        get
        {
            int n = 0;
            foreach (bool o in _open)
            {
                n += o ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>
    /// Deterministic pattern: round(open fraction x elements) element indices chosen by a seeded
    /// Fisher–Yates shuffle (xoshiro256** from SplitMix64, see <see cref="DeterministicRandom"/>).
    /// </summary>
    public static CodedMask Generate(InstrumentGeometry geometry, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        int count = geometry.MaskElements * geometry.MaskElements;
        int openCount = (int)Math.Round(geometry.MaskOpenFraction * count, MidpointRounding.AwayFromZero);
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var random = new DeterministicRandom(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var open = new bool[count];
        for (int i = 0; i < openCount; i++)
        {
            open[order[i]] = true;
        }

        return new CodedMask(geometry, open);
    }

    /// <summary>A given pattern: one value per element, row-major, true = open.</summary>
    public static CodedMask FromPattern(InstrumentGeometry geometry, ReadOnlySpan<bool> open)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        int count = geometry.MaskElements * geometry.MaskElements;
        if (open.Length != count)
        {
            throw TriggerArgumentException.Length(nameof(open), count, open.Length);
        }

        return new CodedMask(geometry, open.ToArray());
    }

    /// <summary>
    /// Parses a text pattern: one line per element row, '1' or '#' open, '0' or '.' closed; blank
    /// lines and lines starting with '%' are skipped.
    /// </summary>
    public static CodedMask Parse(InstrumentGeometry geometry, string text)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(text);
        int side = geometry.MaskElements;
        var open = new bool[side * side];
        int row = 0;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '%')
            {
                continue;
            }

            if (row >= side || line.Length != side)
            {
                throw TriggerArgumentException.Range(nameof(text), string.Create(CultureInfo.InvariantCulture,
                    $"a mask pattern has {side} rows of {side} elements; row {row} has {line.Length}."));
            }

            for (int c = 0; c < side; c++)
            {
                open[row * side + c] = line[c] switch
                {
                    '1' or '#' => true,
                    '0' or '.' => false,
                    _ => throw TriggerArgumentException.Range(nameof(text), $"mask pattern row {row} holds '{line[c]}': only 0/1 or ./# are allowed."),
                };
            }

            row++;
        }

        if (row != side)
        {
            throw TriggerArgumentException.Range(nameof(text), $"a mask pattern has {side} rows, got {row}.");
        }

        return new CodedMask(geometry, open);
    }

    /// <summary>Open fraction of the axis-aligned square of side <paramref name="size"/> centred at
    /// (<paramref name="y"/>, <paramref name="z"/>) in the mask plane (mm from the mask centre), by exact
    /// rectangle overlap. Everything outside the mask is closed.</summary>
    public double OpenFraction(double y, double z, double size)
    {
        double half = Geometry.MaskWidthMm / 2, e = Geometry.MaskElementMm;
        int side = Side;
        double y0 = y - size / 2, y1 = y + size / 2, z0 = z - size / 2, z1 = z + size / 2;
        int c0 = Math.Max(0, (int)Math.Floor((y0 + half) / e)), c1 = Math.Min(side - 1, (int)Math.Floor((y1 + half) / e));
        int r0 = Math.Max(0, (int)Math.Floor((z0 + half) / e)), r1 = Math.Min(side - 1, (int)Math.Floor((z1 + half) / e));
        double area = 0;
        for (int r = r0; r <= r1; r++)
        {
            double oz = Overlap(z0, z1, -half + r * e, -half + (r + 1) * e);
            if (oz <= 0)
            {
                continue;
            }

            for (int c = c0; c <= c1; c++)
            {
                if (_open[r * side + c])
                {
                    area += oz * Overlap(y0, y1, -half + c * e, -half + (c + 1) * e);
                }
            }
        }

        return area / (size * size);
    }

    /// <summary>
    /// The element columns (or rows) a segment of length <paramref name="size"/> centred at <paramref name="centre"/> (mm from
    /// the mask centre) can overlap, and its overlap with each, exactly as <see cref="OpenFraction"/> computes them along
    /// one axis: the first index and count (possibly 0) of the range, the overlaps in <paramref name="overlaps"/>.
    /// </summary>
    public void AxisOverlaps(double centre, double size, out int first, out int count, Span<double> overlaps)
    {
        double half = Geometry.MaskWidthMm / 2, e = Geometry.MaskElementMm;
        double a0 = centre - size / 2, a1 = centre + size / 2;
        int i0 = Math.Max(0, (int)Math.Floor((a0 + half) / e)), i1 = Math.Min(Side - 1, (int)Math.Floor((a1 + half) / e));
        first = i0;
        count = Math.Max(0, i1 - i0 + 1);
        if (count > overlaps.Length)
        {
            throw TriggerArgumentException.Length(nameof(overlaps), count, overlaps.Length);
        }

        for (int k = 0; k < count; k++)
        {
            int i = i0 + k;
            overlaps[k] = Overlap(a0, a1, -half + i * e, -half + (i + 1) * e);
        }
    }

    /// <summary>
    /// The mask rebinned to the detector pitch (M in the reconstruction): cell (a, b) holds the open
    /// fraction of a detector pixel whose footprint is centred on the cell, so that for a source on a
    /// sky-pixel centre the forward model and the decoding array agree exactly.
    /// </summary>
    public float[] Rebin() => Rebin(Geometry);

    /// <summary>The mask rebinned to the detector pitch of <paramref name="geometry"/> (which must
    /// describe the same mask, see <see cref="CheckFits"/>).</summary>
    public float[] Rebin(InstrumentGeometry geometry)
    {
        CheckFits(geometry);
        int n = geometry.RebinnedMaskSide;
        double p = geometry.PixelPitchMm, centre = (n - 1) / 2.0;
        var cells = new float[n * n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                cells[a * n + b] = (float)OpenFraction((b - centre) * p, (a - centre) * p, geometry.PixelSizeMm);
            }
        }

        return cells;
    }

    /// <summary>Throws unless <paramref name="geometry"/> has this pattern's element count and element size
    /// (the detector side, pitch and distance may differ from the geometry the pattern was made with).</summary>
    public void CheckFits(InstrumentGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.MaskElements != Side || geometry.MaskElementMm != Geometry.MaskElementMm)
        {
            throw TriggerArgumentException.Range("mask", string.Create(CultureInfo.InvariantCulture,
                $"the mask pattern has {Side} elements of {Geometry.MaskElementMm} mm; the geometry wants {geometry.MaskElements} of {geometry.MaskElementMm} mm."));
        }
    }

    private static double Overlap(double a0, double a1, double b0, double b1) => Math.Max(0, Math.Min(a1, b1) - Math.Max(a0, b0));
}
