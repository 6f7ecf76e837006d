using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// Forward model of the detector image, composable on a float buffer of expected counts (one value
/// per detector pixel, row-major): add point sources, add background, apply efficiencies and the
/// detector mask, then sample with <see cref="PoissonSampler"/>.
/// </summary>
/// <remarks>
/// A point source in direction (tanY, tanZ) lights detector pixel i with the open fraction of the
/// pixel's 4 x 4 mm footprint moved to the mask plane along the line of sight: centred at
/// (y_i + d tanY, z_i + d tanZ), d the mask distance (exact rectangle overlap with the open
/// elements; outside the mask is closed, so partial coding comes out by itself). Amplitudes are
/// counts per fully open pixel; the mask is thin (no side-wall vignetting). A physical flux gives
/// that amplitude as flux x pixel area x exposure x cos(off-axis), see <see cref="ProjectedAreaFactor"/>.
/// </remarks>
public sealed class ShadowgramModel
{
    /// <summary>Mask elements a pixel's footprint can overlap along one axis (elements are larger than pixels).</summary>
    private const int MaxElementsPerPixel = 4;

    private readonly double[] _columnCentres;
    private readonly double[] _rowCentres;

    public ShadowgramModel(InstrumentGeometry geometry, CodedMask mask)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        mask.CheckFits(geometry);

        Geometry = geometry;
        Mask = mask;
        if (geometry.PixelSizeMm > (MaxElementsPerPixel - 2) * mask.Geometry.MaskElementMm)
        {
            throw TriggerArgumentException.Range(nameof(geometry), $"pixels of {geometry.PixelSizeMm} mm span more than {MaxElementsPerPixel} mask elements of {mask.Geometry.MaskElementMm} mm.");
        }

        int n = geometry.DetectorSide;
        _columnCentres = new double[n];
        _rowCentres = new double[n];
        for (int i = 0; i < n; i++)
        {
            _columnCentres[i] = geometry.PixelCentreMm(i, alongColumns: true);
            _rowCentres[i] = geometry.PixelCentreMm(i, alongColumns: false);
        }
    }

    public InstrumentGeometry Geometry { get; }
    public CodedMask Mask { get; }

    /// <summary>cos(off-axis) = 1 / sqrt(1 + tanY² + tanZ²): the detector's projected area towards the source.</summary>
    public static double ProjectedAreaFactor(double tanY, double tanZ) => 1 / Math.Sqrt(1 + tanY * tanY + tanZ * tanZ);

    /// <summary>Writes the open fraction of every detector pixel towards direction (tanY, tanZ).</summary>
    public void OpenFractions(double tanY, double tanZ, Span<float> into)
    {
        CheckLength(into, nameof(into));
        into.Clear();
        AddPointSource(into, tanY, tanZ, 1.0);
    }

    /// <summary>Adds amplitude x open fraction to every pixel for a source in direction (tanY, tanZ).</summary>
    public void AddPointSource(Span<float> expected, double tanY, double tanZ, double countsPerOpenPixel)
    {
        CheckLength(expected, nameof(expected));
        if (!double.IsFinite(tanY) || !double.IsFinite(tanZ))
        {
            throw TriggerArgumentException.Range(nameof(tanY), "a source direction must be finite.");
        }

        if (!(countsPerOpenPixel >= 0 && double.IsFinite(countsPerOpenPixel)))
        {
            throw TriggerArgumentException.Range(nameof(countsPerOpenPixel), $"a source amplitude must be finite and non-negative, got {countsPerOpenPixel}.");
        }

        int n = Geometry.DetectorSide;
        double d = Geometry.MaskDistanceMm, size = Geometry.PixelSizeMm;
        double shiftY = d * tanY, shiftZ = d * tanZ;
        // The overlap with the open elements is separable: each column's overlaps with the element columns and each
        // row's with the element rows are computed once (per axis), then every pixel sums the same products in the same
        // order as CodedMask.OpenFraction, so the result is bit for bit that of calling it per pixel.
        Span<int> columnFirst = stackalloc int[n], columnCount = stackalloc int[n], rowFirst = stackalloc int[n], rowCount = stackalloc int[n];
        Span<double> columnOverlap = stackalloc double[n * MaxElementsPerPixel], rowOverlap = stackalloc double[n * MaxElementsPerPixel];
        for (int i = 0; i < n; i++)
        {
            Mask.AxisOverlaps(_columnCentres[i] + shiftY, size, out columnFirst[i], out columnCount[i], columnOverlap.Slice(i * MaxElementsPerPixel, MaxElementsPerPixel));
            Mask.AxisOverlaps(_rowCentres[i] + shiftZ, size, out rowFirst[i], out rowCount[i], rowOverlap.Slice(i * MaxElementsPerPixel, MaxElementsPerPixel));
        }

        ReadOnlySpan<bool> open = Mask.Open;
        int side = Mask.Side;
        double area1 = size * size;
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double area = 0;
                for (int a = 0; a < rowCount[r]; a++)
                {
                    double oz = rowOverlap[r * MaxElementsPerPixel + a];
                    if (oz <= 0)
                    {
                        continue;
                    }

                    int elementRow = (rowFirst[r] + a) * side;
                    for (int b = 0; b < columnCount[c]; b++)
                    {
                        if (open[elementRow + columnFirst[c] + b])
                        {
                            area += oz * columnOverlap[c * MaxElementsPerPixel + b];
                        }
                    }
                }

                expected[r * n + c] += (float)(countsPerOpenPixel * (area / area1));
            }
        }
    }

    /// <summary>Adds a point source at a (fractional) sky-image pixel: column <paramref name="skyY"/>, row <paramref name="skyZ"/>.</summary>
    public void AddPointSourceAtSkyPixel(Span<float> expected, double skyY, double skyZ, double countsPerOpenPixel) =>
        AddPointSource(expected, Geometry.TanFromSkyPixel(skyY), Geometry.TanFromSkyPixel(skyZ), countsPerOpenPixel);

    /// <summary>
    /// Adds a background level + slopeY u + slopeZ v + curvatureY u² + curvatureZ v² counts per pixel,
    /// with u = (column - centre) / (side / 2) and v likewise for rows (both in [-1, 1]); negative
    /// values are clipped to 0.
    /// </summary>
    public void AddBackground(Span<float> expected, double level, double slopeY = 0, double slopeZ = 0, double curvatureY = 0, double curvatureZ = 0)
    {
        CheckLength(expected, nameof(expected));
        if (!double.IsFinite(level) || !double.IsFinite(slopeY) || !double.IsFinite(slopeZ) || !double.IsFinite(curvatureY) || !double.IsFinite(curvatureZ))
        {
            throw TriggerArgumentException.Range(nameof(level), "background coefficients must be finite.");
        }

        int n = Geometry.DetectorSide;
        double centre = (n - 1) / 2.0, half = n / 2.0;
        for (int r = 0; r < n; r++)
        {
            double v = (r - centre) / half;
            for (int c = 0; c < n; c++)
            {
                double u = (c - centre) / half;
                double b = level + slopeY * u + slopeZ * v + curvatureY * u * u + curvatureZ * v * v;
                expected[r * n + c] += (float)Math.Max(0, b);
            }
        }
    }

    /// <summary>Multiplies every pixel by its relative efficiency (e.g. 0.9 for a module 10 % low).</summary>
    public void ApplyEfficiency(Span<float> expected, ReadOnlySpan<float> efficiency)
    {
        CheckLength(expected, nameof(expected));
        CheckLength(efficiency, nameof(efficiency));
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(efficiency[i] >= 0 && float.IsFinite(efficiency[i])))
            {
                throw TriggerArgumentException.Range(nameof(efficiency), $"efficiency[{i}] must be finite and non-negative, got {efficiency[i]}.");
            }

            expected[i] *= efficiency[i];
        }
    }

    /// <summary>Zeroes the pixels the detector mask disables.</summary>
    public void ApplyDetectorMask(Span<float> expected, DetectorMask detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        CheckLength(expected, nameof(expected));
        ReadOnlySpan<bool> active = detector.Active;
        if (active.Length != expected.Length)
        {
            throw TriggerArgumentException.Length(nameof(detector), expected.Length, active.Length);
        }

        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = active[i] ? expected[i] : 0f;
        }
    }

    private void CheckLength<T>(ReadOnlySpan<T> buffer, string name)
    {
        if (buffer.Length != Geometry.DetectorPixels)
        {
            throw TriggerArgumentException.Length(name, Geometry.DetectorPixels, buffer.Length);
        }
    }

    private void CheckLength<T>(Span<T> buffer, string name) => CheckLength((ReadOnlySpan<T>)buffer, name);
}
