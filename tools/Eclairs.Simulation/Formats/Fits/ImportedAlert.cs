using System.Collections.Generic;

namespace Eclairs.Simulation.Formats;

/// <summary>Where the mask of an <see cref="ImportedAlert"/> came from.</summary>
public enum AlertMaskSource
{
    /// <summary>The file's MASK image extension.</summary>
    Extension,

    /// <summary>Built from the SNR image (NaN = 0, outside the field), the known-source and the trigger keywords.</summary>
    Keywords,
}

/// <summary>
/// One alert read by <see cref="AlertFitsReader"/>: the SNR sub-image and the deck's mask (0 no data, 1 background,
/// 2 known source, 3 trigger pixel), row-major with the trigger pixel at row and column <see cref="Side"/>/2, plus
/// what the header said about it. Values absent from the file are null (label, cause) or NaN (positions).
/// </summary>
public sealed class ImportedAlert
{
    internal ImportedAlert(int side, float[] snr, byte[] mask)
    {
        Side = side;
        Snr = snr;
        Mask = mask;
    }

    public int Side { get; }

    /// <summary>SNR, row-major; pixels with mask 0 hold whatever the file held (NaN outside the field of view).</summary>
    public float[] Snr { get; }

    /// <summary>Mask 0..3, row-major; exactly one pixel is 3, at (Side/2, Side/2).</summary>
    public byte[] Mask { get; }

    /// <summary>SNR of the trigger pixel.</summary>
    public float PeakSnr => Snr[(Side / 2 * Side) + (Side / 2)];

    /// <summary>Where the file put the trigger pixel (0-based row, column), before any recentring.</summary>
    public (int Row, int Column) TriggerInFile { get; init; }

    /// <summary>Index of the HDU that held the SNR image.</summary>
    public int SnrHdu { get; init; }

    public AlertMaskSource MaskSource { get; init; }

    /// <summary>Known sources read from KNOWNnX/KNOWNnY keywords (0 when the mask came from the extension).</summary>
    public int KnownSources { get; init; }

    /// <summary>LABEL keyword, when present.</summary>
    public AlertLabel? Label { get; init; }

    /// <summary>CAUSE keyword, or the code of the CAUSENAM keyword's name, when present.</summary>
    public byte? Cause { get; init; }

    /// <summary>CAUSENAM keyword, when present.</summary>
    public string? CauseName { get; init; }

    /// <summary>SKY_Y keyword (trigger column in the full sky image), NaN when absent.</summary>
    public float SkyY { get; init; } = float.NaN;

    /// <summary>SKY_Z keyword (trigger row in the full sky image), NaN when absent.</summary>
    public float SkyZ { get; init; } = float.NaN;

    /// <summary>OFFAXIS keyword (degrees), NaN when absent.</summary>
    public float OffAxis { get; init; } = float.NaN;

    /// <summary>AZIMUTH keyword (degrees), NaN when absent.</summary>
    public float Azimuth { get; init; } = float.NaN;

    /// <summary>What the reader assumed or converted ("trigger pixel taken at the centre", "float64 SNR narrowed").</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
