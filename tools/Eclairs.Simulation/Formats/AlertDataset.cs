using System;
using System.Collections.Generic;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// Alerts in memory with the field layout of the .npz data sets (docs/file-formats.md): per alert a
/// side x side SNR sub-image and its mask (row-major), label, cause code, peak SNR, partial flag and sky position.
/// Array lengths are fixed at construction; values are checked by <see cref="Validate"/>.
/// </summary>
public sealed class AlertDataset
{
    /// <summary>Side of the sub-image sent with an alert (ICD: ECL_SUBIMAGE_SIDE).</summary>
    public const int DefaultSide = 56;

    /// <summary>Mask values run 0 (ignore), 1 (background), 2 (known source), 3 (trigger pixel).</summary>
    public const byte MaxMaskValue = 3;

    public AlertDataset(
        int count,
        int side,
        float[] snr,
        byte[] mask,
        byte[] label,
        byte[] cause,
        float[] peakSnr,
        byte[] partial,
        float[] skyY,
        float[] skyZ,
        float[] offAxis,
        float[] azimuth,
        byte[]? band = null,
        byte[]? criterion = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        long pixels = (long)count * side * side;
        RequireLength(snr, pixels, nameof(snr));
        RequireLength(mask, pixels, nameof(mask));
        RequireLength(label, count, nameof(label));
        RequireLength(cause, count, nameof(cause));
        RequireLength(peakSnr, count, nameof(peakSnr));
        RequireLength(partial, count, nameof(partial));
        RequireLength(skyY, count, nameof(skyY));
        RequireLength(skyZ, count, nameof(skyZ));
        RequireLength(offAxis, count, nameof(offAxis));
        RequireLength(azimuth, count, nameof(azimuth));
        Count = count;
        Side = side;
        Snr = snr;
        Mask = mask;
        Label = label;
        Cause = cause;
        PeakSnr = peakSnr;
        Partial = partial;
        SkyY = skyY;
        SkyZ = skyZ;
        OffAxis = offAxis;
        Azimuth = azimuth;
        Band = band ?? new byte[count];
        Criterion = criterion ?? Filled(count, NewSourceCriterion);
        RequireLength(Band, count, nameof(band));
        RequireLength(Criterion, count, nameof(criterion));
    }

    /// <summary>Criterion code of a new-source alert (the trigger's TriggerCriterion.NewSource).</summary>
    public const byte NewSourceCriterion = 1;

    /// <summary>Criterion code of a catalogue-flare alert.</summary>
    public const byte CatalogueFlareCriterion = 2;

    /// <summary>Highest band code (0 full 4–120 keV, 1 soft 5–20 keV, 2 hard 8–120 keV).</summary>
    public const byte MaxBand = 2;

    public int Count { get; }

    public int Side { get; }

    public int PixelsPerAlert => Side * Side;

    /// <summary>SNR sub-images, [Count, Side, Side] row-major (npz 'snr', float32).</summary>
    public float[] Snr { get; }

    /// <summary>Masks, [Count, Side, Side] (npz 'mask', uint8, values 0..3).</summary>
    public byte[] Mask { get; }

    /// <summary>Labels (npz 'label', uint8): see <see cref="AlertLabel"/>.</summary>
    public byte[] Label { get; }

    /// <summary>Cause codes (npz 'cause', uint8): the simulator's code list in docs/file-formats.md.</summary>
    public byte[] Cause { get; }

    /// <summary>SNR of the trigger pixel (npz 'peak_snr', float32).</summary>
    public float[] PeakSnr { get; }

    /// <summary>1 when the sub-image has mask-0 pixels, else 0 (npz 'partial', uint8).</summary>
    public byte[] Partial { get; }

    /// <summary>Trigger position in the full sky image, column (Y axis) in pixels (npz 'sky_y', float32).</summary>
    public float[] SkyY { get; }

    /// <summary>Trigger position in the full sky image, row (Z axis) in pixels (npz 'sky_z', float32).</summary>
    public float[] SkyZ { get; }

    /// <summary>Angle from the pointing axis, degrees (npz 'offaxis', float32).</summary>
    public float[] OffAxis { get; }

    /// <summary>Azimuth around the pointing axis, degrees (npz 'azimuth', float32).</summary>
    public float[] Azimuth { get; }

    /// <summary>Trigger energy band per alert: 0 full 4–120 keV (the single band of the older presets), 1 soft 5–20 keV, 2 hard 8–120 keV.</summary>
    public byte[] Band { get; }

    /// <summary>Trigger criterion per alert: 1 new source, 2 catalogue flare.</summary>
    public byte[] Criterion { get; }

    /// <summary>True when every alert is a full-band new-source alert (a file without the band and criterion arrays).</summary>
    public bool HasDefaultBandAndCriterion => !Band.AsSpan().ContainsAnyExcept((byte)0) && !Criterion.AsSpan().ContainsAnyExcept(NewSourceCriterion);

    /// <summary>Allocates a zero-filled data set for a producer to fill in.</summary>
    public static AlertDataset Allocate(int count, int side = DefaultSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        int pixels = checked(count * side * side);
        return new AlertDataset(
            count, side, new float[pixels], new byte[pixels], new byte[count], new byte[count], new float[count],
            new byte[count], new float[count], new float[count], new float[count], new float[count]);
    }

    public Span<float> SnrOf(int index) => Snr.AsSpan(CheckIndex(index) * PixelsPerAlert, PixelsPerAlert);

    public Span<byte> MaskOf(int index) => Mask.AsSpan(CheckIndex(index) * PixelsPerAlert, PixelsPerAlert);

    /// <summary>Sets 'partial' from the masks (1 when an alert's mask has a 0), as the layout defines it.</summary>
    public void ComputePartial()
    {
        for (int i = 0; i < Count; i++)
        {
            Partial[i] = MaskOf(i).Contains((byte)0) ? (byte)1 : (byte)0;
        }
    }

    /// <summary>
    /// Checks the values the layout constrains: masks 0..3, labels 0..2, partial equal to "mask has a 0".
    /// Returns null when valid, else a message naming the first offending alert.
    /// </summary>
    public string? FindProblem()
    {
        for (int i = 0; i < Count; i++)
        {
            if (Label[i] > (byte)AlertLabel.Unclear)
            {
                return $"label[{i}] = {Label[i]} (must be 0 false, 1 true or 2 unclear)";
            }

            ReadOnlySpan<byte> mask = MaskOf(i);
            int bad = mask.IndexOfAnyExceptInRange((byte)0, MaxMaskValue);
            if (bad >= 0)
            {
                return $"mask[{i}] holds {mask[bad]} at row {bad / Side}, column {bad % Side} (must be 0..3)";
            }

            if (Band[i] > MaxBand)
            {
                return $"band[{i}] = {Band[i]} (must be 0 full, 1 soft or 2 hard)";
            }

            if (Criterion[i] is not (NewSourceCriterion or CatalogueFlareCriterion))
            {
                return $"criterion[{i}] = {Criterion[i]} (must be 1 new source or 2 catalogue flare)";
            }

            byte expected = mask.Contains((byte)0) ? (byte)1 : (byte)0;
            if (Partial[i] != expected)
            {
                return $"partial[{i}] = {Partial[i]} but the mask {(expected == 1 ? "has" : "has no")} 0 pixels";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when <see cref="FindProblem"/> finds one.</summary>
    public void Validate()
    {
        string? problem = FindProblem();
        if (problem is not null)
        {
            throw new InvalidOperationException("invalid alert data set: " + problem);
        }
    }

    /// <summary>A new data set with the alerts at <paramref name="indices"/>, in that order.</summary>
    public AlertDataset Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        AlertDataset result = Allocate(indices.Count, Side);
        for (int k = 0; k < indices.Count; k++)
        {
            int i = CheckIndex(indices[k]);
            SnrOf(i).CopyTo(result.SnrOf(k));
            MaskOf(i).CopyTo(result.MaskOf(k));
            result.Label[k] = Label[i];
            result.Cause[k] = Cause[i];
            result.PeakSnr[k] = PeakSnr[i];
            result.Partial[k] = Partial[i];
            result.SkyY[k] = SkyY[i];
            result.SkyZ[k] = SkyZ[i];
            result.OffAxis[k] = OffAxis[i];
            result.Azimuth[k] = Azimuth[i];
            result.Band[k] = Band[i];
            result.Criterion[k] = Criterion[i];
        }

        return result;
    }

    /// <summary>The alerts with the given label (e.g. the unclear slice).</summary>
    public AlertDataset WithLabel(AlertLabel label)
    {
        var indices = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            if (Label[i] == (byte)label)
            {
                indices.Add(i);
            }
        }

        return Select(indices);
    }

    private static byte[] Filled(int count, byte value)
    {
        var array = new byte[count];
        Array.Fill(array, value);
        return array;
    }

    private int CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }

    private static void RequireLength<T>(T[] array, long expected, string name)
    {
        ArgumentNullException.ThrowIfNull(array, name);
        if (array.Length != expected)
        {
            throw new ArgumentException($"'{name}' has {array.Length} elements, expected {expected}", name);
        }
    }
}
