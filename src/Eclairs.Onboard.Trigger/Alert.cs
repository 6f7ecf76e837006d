namespace Eclairs.Onboard.Trigger;

/// <summary>
/// What the trigger sends (ICD ecl_alert). Allocate once and pass to every
/// <see cref="OnboardTrigger.Process"/>; it is overwritten in full each time.
/// </summary>
public sealed class Alert
{
    public const int SubimageSide = 56;
    public const int SubimagePixels = SubimageSide * SubimageSide;

    /// <summary>The trigger pixel's row and column in the sub-image, whatever the peak's position.</summary>
    public const int TriggerRow = 28;
    public const int TriggerColumn = 28;

    /// <summary>Sub-image mask values (ICD ECL_MASK_*).</summary>
    public const byte MaskIgnore = 0;
    public const byte MaskBackground = 1;
    public const byte MaskKnownSource = 2;
    public const byte MaskTrigger = 3;

    public bool Raised { get; internal set; }
    public QualityFlags Flags { get; internal set; }
    public float PeakSnr { get; internal set; }

    /// <summary>Highest SNR in the field outside known sources and outside the first peak's PSF radius.</summary>
    public float SecondPeakSnr { get; internal set; }

    /// <summary>Standard deviation of the SNR image over the field (outside known sources and the peak's PSF).</summary>
    public float ImageStd { get; internal set; }

    /// <summary>Which criterion made this alert (Alert_TriggerCriterium): a new source, or a known source flaring.</summary>
    public TriggerCriterion Criterion { get; internal set; }

    /// <summary>The SNR threshold applied to this image: the configured one for its criterion times the adaptive factor.</summary>
    public float EffectiveThreshold { get; internal set; }

    /// <summary>
    /// Alert quality (stand-in for Alert_Quality, whose encoding is not public): the peak SNR in units of the
    /// effective threshold, so at least 1 when the threshold criterion holds; 0 when the threshold is 0.
    /// </summary>
    public float Quality { get; internal set; }

    /// <summary>Catalogue index of the flaring known source for <see cref="TriggerCriterion.CatalogueFlare"/>; −1 otherwise.</summary>
    public int KnownSourceIndex { get; internal set; } = -1;

    public int SkyY { get; internal set; }
    public int SkyZ { get; internal set; }
    public float OffAxisDeg { get; internal set; }
    public float AzimuthDeg { get; internal set; }

    /// <summary>56 x 56 SNR values centred on the peak, row-major; 0 wherever the mask is 0.</summary>
    public float[] SubimageSnr { get; } = new float[SubimagePixels];

    /// <summary>0 outside the field, missing or padding; 1 background; 2 known source; 3 the trigger pixel.</summary>
    public byte[] SubimageMask { get; } = new byte[SubimagePixels];
}
