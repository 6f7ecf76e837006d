using System;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation;

/// <summary>
/// What the trigger made of one simulated observation, with the truth beside it. When
/// <see cref="Raised"/> is false the trigger sent nothing (flags say why) and no label applies.
/// </summary>
public sealed class SimulatedAlert
{
    public SimulatedAlert(AlertTruth truth, float[] snr, byte[] mask)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(snr);
        ArgumentNullException.ThrowIfNull(mask);
        Truth = truth;
        Snr = snr;
        Mask = mask;
    }

    public AlertTruth Truth { get; }

    /// <summary>True when the trigger raised an alert (threshold reached and quality criteria held).</summary>
    public bool Raised { get; init; }

    /// <summary>The trigger's quality flags: bit 0 below threshold, 1 std out of range, 2 peak ratio too low, 3 outside the field.</summary>
    public uint QualityFlags { get; init; }

    public float PeakSnr { get; init; }
    public float SecondPeakSnr { get; init; }
    public float ImageStd { get; init; }
    public int SkyY { get; init; }
    public int SkyZ { get; init; }
    public float OffAxisDeg { get; init; }
    public float AzimuthDeg { get; init; }

    /// <summary>The trigger band the alert came from (<see cref="EnergyBand.Full"/> in the single-band presets).</summary>
    public EnergyBand Band { get; init; }

    /// <summary>What raised it: a new source or a known source's flare.</summary>
    public TriggerCriterion Criterion { get; init; } = TriggerCriterion.NewSource;

    /// <summary>Catalogue index of the flaring source (catalogue-flare alerts), −1 otherwise.</summary>
    public int KnownSourceIndex { get; init; } = -1;

    /// <summary>The trigger's threshold for this image (adaptive when configured).</summary>
    public float EffectiveThreshold { get; init; }

    /// <summary>The trigger's alert quality: peak SNR over the effective threshold.</summary>
    public float Quality { get; init; }

    /// <summary>Ground-truth label (meaningful when <see cref="Raised"/>).</summary>
    public AlertLabel Label { get; init; }

    /// <summary>Cause code stored with the alert.</summary>
    public AlertCause Cause { get; init; }

    /// <summary>56 x 56 SNR sub-image centred on the peak, row-major.</summary>
    public float[] Snr { get; }

    /// <summary>56 x 56 mask: 0 ignore, 1 background, 2 known source, 3 trigger pixel.</summary>
    public byte[] Mask { get; }

    /// <summary>The alert as a single-alert FITS record (SNR primary, MASK extension, truth keywords).</summary>
    public FitsAlert ToFitsAlert() => new(Alert.SubimageSide, (float[])Snr.Clone(), (byte[])Mask.Clone())
    {
        PeakSnr = PeakSnr,
        SkyY = SkyY,
        SkyZ = SkyZ,
        OffAxis = OffAxisDeg,
        Azimuth = AzimuthDeg,
        Cause = (byte)Cause,
        CauseName = CauseNames.Of((byte)Cause),
        Label = Label,
    };

    /// <summary>True when the sub-image has mask-0 pixels (edge of the field or missing data).</summary>
    public bool Partial => Mask.AsSpan().Contains((byte)0);
}
