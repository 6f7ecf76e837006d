using System;

namespace Eclairs.Simulation.Formats;

/// <summary>One alert as stored in a FITS file by <see cref="AlertFitsFile"/>: SNR sub-image, mask and truth.</summary>
public sealed class FitsAlert
{
    public FitsAlert(int side, float[] snr, byte[] mask)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        ArgumentNullException.ThrowIfNull(snr);
        ArgumentNullException.ThrowIfNull(mask);
        if (snr.Length != side * side || mask.Length != side * side)
        {
            throw new ArgumentException($"SNR ({snr.Length}) and mask ({mask.Length}) must both hold {side} x {side} pixels");
        }

        Side = side;
        Snr = snr;
        Mask = mask;
    }

    public int Side { get; }

    /// <summary>Row-major SNR sub-image (primary HDU, BITPIX -32).</summary>
    public float[] Snr { get; }

    /// <summary>Row-major mask 0..3 (extension MASK, BITPIX 8).</summary>
    public byte[] Mask { get; }

    public float PeakSnr { get; init; }

    public float SkyY { get; init; }

    public float SkyZ { get; init; }

    public float OffAxis { get; init; }

    public float Azimuth { get; init; }

    public byte Cause { get; init; }

    /// <summary>Optional readable name of <see cref="Cause"/> (keyword CAUSENAM).</summary>
    public string? CauseName { get; init; }

    public AlertLabel Label { get; init; }

    /// <summary>Copies alert <paramref name="index"/> of a data set.</summary>
    public static FitsAlert FromDataset(AlertDataset dataset, int index, string? causeName = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new FitsAlert(dataset.Side, dataset.SnrOf(index).ToArray(), dataset.MaskOf(index).ToArray())
        {
            PeakSnr = dataset.PeakSnr[index],
            SkyY = dataset.SkyY[index],
            SkyZ = dataset.SkyZ[index],
            OffAxis = dataset.OffAxis[index],
            Azimuth = dataset.Azimuth[index],
            Cause = dataset.Cause[index],
            CauseName = causeName,
            Label = (AlertLabel)dataset.Label[index],
        };
    }
}
