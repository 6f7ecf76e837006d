using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// The coded-mask camera: detector plane, mask and their distance, with every derived size
/// (rebinned mask, sky image, field of view) computed here rather than written as constants.
/// Defaults are ECLAIRs's nominal values (pitch, element size and distance are nominal, not
/// confirmed in a primary text; see docs/trigger.md).
/// </summary>
/// <remarks>
/// Axes: detector column index ↔ sky axis Y, detector row index ↔ sky axis Z. Arrays are
/// row-major (index = row * side + column). Lengths are in millimetres.
/// </remarks>
public sealed class InstrumentGeometry
{
    /// <summary>ECLAIRs nominal: 80 x 80 pixels of 4 mm at 4.5 mm pitch, 8 x 4-pixel modules,
    /// 46 x 46 mask elements of 11.75 mm at 460 mm.</summary>
    public static InstrumentGeometry Nominal { get; } = new();

    public InstrumentGeometry(
        int detectorSide = 80,
        double pixelSizeMm = 4.0,
        double pixelPitchMm = 4.5,
        int moduleColumns = 8,
        int moduleRows = 4,
        double moduleGapMm = 0.0,
        int maskElements = 46,
        double maskElementMm = 11.75,
        double maskDistanceMm = 460.0,
        double maskOpenFraction = 0.4)
    {
        Require(detectorSide is >= 2 and <= 512, nameof(detectorSide), "must lie in [2, 512]");
        Require(pixelSizeMm > 0 && double.IsFinite(pixelSizeMm), nameof(pixelSizeMm), "must be positive");
        Require(pixelPitchMm >= pixelSizeMm && double.IsFinite(pixelPitchMm), nameof(pixelPitchMm), "must be finite and at least the pixel size");
        Require(moduleColumns >= 1 && detectorSide % moduleColumns == 0, nameof(moduleColumns), "must divide the detector side");
        Require(moduleRows >= 1 && detectorSide % moduleRows == 0, nameof(moduleRows), "must divide the detector side");
        Require(moduleGapMm >= 0 && moduleGapMm < pixelPitchMm, nameof(moduleGapMm), "must lie in [0, pitch)");
        Require(maskElements is >= 2 and <= 1024, nameof(maskElements), "must lie in [2, 1024]");
        Require(maskElementMm > 0 && double.IsFinite(maskElementMm), nameof(maskElementMm), "must be positive");
        Require(maskDistanceMm > 0 && double.IsFinite(maskDistanceMm), nameof(maskDistanceMm), "must be positive");
        Require(maskOpenFraction > 0 && maskOpenFraction < 1, nameof(maskOpenFraction), "must lie in (0, 1)");

        DetectorSide = detectorSide;
        PixelSizeMm = pixelSizeMm;
        PixelPitchMm = pixelPitchMm;
        ModuleColumns = moduleColumns;
        ModuleRows = moduleRows;
        ModuleGapMm = moduleGapMm;
        MaskElements = maskElements;
        MaskElementMm = maskElementMm;
        MaskDistanceMm = maskDistanceMm;
        MaskOpenFraction = maskOpenFraction;

        // The mask rebinned to the detector pitch: as many cells as fit the mask width, with the
        // parity of the detector side so that the optical axis falls on a sky-pixel centre.
        int cells = (int)Math.Round(MaskWidthMm / pixelPitchMm);
        if ((cells - detectorSide) % 2 != 0)
        {
            cells += MaskWidthMm / pixelPitchMm >= cells ? 1 : -1;
        }

        RebinnedMaskSide = Math.Max(cells, 2);
        SkySide = RebinnedMaskSide + detectorSide - 1;
        FftSide = 1;
        while (FftSide < SkySide)
        {
            FftSide *= 2;
        }
    }

    public int DetectorSide { get; }
    public int DetectorPixels => DetectorSide * DetectorSide;
    public double PixelSizeMm { get; }

    /// <summary>Centre-to-centre distance of neighbouring pixels inside a module.</summary>
    public double PixelPitchMm { get; }
    public int ModuleColumns { get; }
    public int ModuleRows { get; }

    /// <summary>Extra gap between modules, on top of the pitch (0 nominal: the 0.5 mm inter-pixel gap is in the pitch).</summary>
    public double ModuleGapMm { get; }
    public int MaskElements { get; }
    public double MaskElementMm { get; }
    public double MaskDistanceMm { get; }
    public double MaskOpenFraction { get; }

    public double MaskWidthMm => MaskElements * MaskElementMm;

    /// <summary>Physical width of the detector plane from the first pixel's edge to the last one's.</summary>
    public double DetectorWidthMm => PixelCentreMm(DetectorSide - 1) - PixelCentreMm(0) + PixelSizeMm;

    /// <summary>Cells of the mask rebinned to the detector pitch (120 nominal: 540.5 / 4.5 = 120.1).</summary>
    public int RebinnedMaskSide { get; }

    /// <summary>Side of the sky image: the full correlation, rebinned mask + detector - 1 (199 nominal).</summary>
    public int SkySide { get; }
    public int SkyPixels => SkySide * SkySide;

    /// <summary>Power-of-two FFT side holding the full correlation without wrap-around (256 nominal).</summary>
    public int FftSide { get; }

    /// <summary>Sky-pixel coordinate of the optical axis (99 nominal).</summary>
    public double SkyCentre => (SkySide - 1) / 2.0;

    /// <summary>tan(angle) per sky pixel: the pitch seen from the mask distance.</summary>
    public double TanPerSkyPixel => PixelPitchMm / MaskDistanceMm;

    /// <summary>Half-angle of the whole (fully + partially coded) field along an axis, in degrees (44.4 nominal).</summary>
    public double FieldHalfAngleDeg => Math.Atan((MaskWidthMm + DetectorWidthMm) / 2 / MaskDistanceMm) * 180 / Math.PI;

    /// <summary>Half-angle of the fully coded field along an axis, in degrees.</summary>
    public double FullyCodedHalfAngleDeg => Math.Atan(Math.Max(0, MaskWidthMm - DetectorWidthMm) / 2 / MaskDistanceMm) * 180 / Math.PI;

    /// <summary>Radius of the point-spread function's main lobe in sky pixels: (element + pixel) / pitch, rounded up.</summary>
    public int PsfRadiusPixels => (int)Math.Ceiling((MaskElementMm + PixelSizeMm) / PixelPitchMm - 1e-9);

    /// <summary>Centre of detector pixel <paramref name="index"/> (column or row) in mm from the detector centre,
    /// including the extra gaps between modules.</summary>
    public double PixelCentreMm(int index, bool alongColumns = true)
    {
        int perModule = alongColumns ? ModuleColumns : ModuleRows;
        int modules = DetectorSide / perModule;
        double raw = index * PixelPitchMm + (index / perModule) * ModuleGapMm;
        double span = (DetectorSide - 1) * PixelPitchMm + (modules - 1) * ModuleGapMm;
        return raw - span / 2;
    }

    /// <summary>tan(angle) along one axis for a sky-pixel coordinate (may be fractional).</summary>
    public double TanFromSkyPixel(double pixel) => (pixel - SkyCentre) * TanPerSkyPixel;

    /// <summary>Sky-pixel coordinate (fractional) of a tan(angle) along one axis.</summary>
    public double SkyPixelFromTan(double tan) => tan / TanPerSkyPixel + SkyCentre;

    /// <summary>Off-axis angle and azimuth (degrees; azimuth from +Y towards +Z in [0, 360)) of a sky pixel.</summary>
    public (double OffAxisDeg, double AzimuthDeg) Direction(double skyY, double skyZ)
    {
        double ty = TanFromSkyPixel(skyY);
        double tz = TanFromSkyPixel(skyZ);
        double offAxis = Math.Atan(Math.Sqrt(ty * ty + tz * tz)) * 180 / Math.PI;
        double azimuth = Math.Atan2(tz, ty) * 180 / Math.PI;
        if (azimuth < 0)
        {
            azimuth += 360;
        }

        return (offAxis, azimuth);
    }

    private static void Require(bool ok, string name, string what)
    {
        if (!ok)
        {
            throw TriggerArgumentException.Range(name, $"{name} {what}.");
        }
    }
}
