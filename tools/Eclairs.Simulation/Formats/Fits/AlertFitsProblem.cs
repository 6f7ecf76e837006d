namespace Eclairs.Simulation.Formats;

/// <summary>
/// What made an alert FITS file unusable, so a caller (import-alerts, the ground service) can count refusals by
/// kind and answer with a reason; <see cref="FitsFormatException.Problem"/> carries it.
/// </summary>
public enum AlertFitsProblem
{
    /// <summary>Not a valid FITS file: blocks, cards, mandatory keywords or data (raised by <see cref="FitsReader"/>).</summary>
    Structure = 0,

    /// <summary>The bytes are gzip-compressed but do not inflate, or inflate beyond the size limit.</summary>
    Compression,

    /// <summary>No HDU holds a two-dimensional image.</summary>
    NoImage,

    /// <summary>The SNR image is not side x side pixels.</summary>
    ImageShape,

    /// <summary>The SNR image is not floating point (BITPIX -32 or -64), or is scaled (BSCALE/BZERO).</summary>
    ImageType,

    /// <summary>The MASK extension is not an integer image of the SNR image's shape.</summary>
    MaskExtension,

    /// <summary>A mask value outside 0..3.</summary>
    MaskValue,

    /// <summary>An SNR value that is infinite, NaN where the mask says there are data, or beyond the engine's ±1e6.</summary>
    SnrValue,

    /// <summary>The trigger pixel is not given consistently: bad TRIGX/TRIGY, several mask-3 pixels, keywords and mask disagree.</summary>
    TriggerPixel,

    /// <summary>The trigger pixel has no data (NaN SNR or mask 0).</summary>
    TriggerOutsideField,

    /// <summary>The trigger pixel is not at the sub-image centre (row side/2, column side/2) and recentring is off.</summary>
    TriggerOffCentre,

    /// <summary>Known-source keywords that are incomplete or not numbers.</summary>
    KnownSource,

    /// <summary>LABEL or CAUSE keyword with a value that is not one of the allowed ones.</summary>
    Keyword,
}
