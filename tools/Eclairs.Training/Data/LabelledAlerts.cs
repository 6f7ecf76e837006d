using System;
using System.Collections.Generic;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Data;

/// <summary>
/// Labelled alerts as plain arrays: SNR images (float, height*width per alert), masks (byte 0..3: 0 no data,
/// 1 background, 2 known source, 3 trigger pixel) and labels (1 true burst, 0 false alert). The arrays are
/// validated once and then used without copying: do not modify them while training.
/// </summary>
public sealed class LabelledAlerts
{
    private readonly float[] _snr;
    private readonly byte[] _mask;
    private readonly byte[] _labels;

    /// <summary>Wraps and validates the arrays.</summary>
    public LabelledAlerts(float[] snr, byte[] mask, byte[] labels, int height = 56, int width = 56)
    {
        ArgumentNullException.ThrowIfNull(snr);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int pixels = checked(height * width);
        if (snr.Length != checked(labels.Length * pixels) || mask.Length != snr.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} labels of {height}x{width} images need {labels.Length * (long)pixels} SNR and mask values; got {snr.Length} and {mask.Length}.");
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 1)
            {
                throw new ArgumentException($"Label {i} is {labels[i]}; labels must be 0 (false alert) or 1 (true burst).", nameof(labels));
            }
        }

        for (int p = 0; p < mask.Length; p++)
        {
            if (mask[p] > 3)
            {
                throw new ArgumentException($"Mask value {mask[p]} at alert {p / pixels}, pixel {p % pixels}; masks hold 0..3.", nameof(mask));
            }

            if (mask[p] != 0 && !float.IsFinite(snr[p]))
            {
                throw new ArgumentException($"SNR {snr[p]} at alert {p / pixels}, pixel {p % pixels} is not finite where the mask marks data.", nameof(snr));
            }
        }

        _snr = snr;
        _mask = mask;
        _labels = labels;
        Height = height;
        Width = width;
    }

    /// <summary>Number of alerts.</summary>
    public int Count => _labels.Length;

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Pixels per image.</summary>
    public int Pixels => Height * Width;

    /// <summary>Number of true bursts (label 1).</summary>
    public int Positives
    {
        get
        {
            int n = 0;
            foreach (byte l in _labels)
            {
                n += l;
            }

            return n;
        }
    }

    /// <summary>SNR image of alert <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Snr(int index) => _snr.AsSpan(checked(index * Pixels), Pixels);

    /// <summary>Mask of alert <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Mask(int index) => _mask.AsSpan(checked(index * Pixels), Pixels);

    /// <summary>Label of alert <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[index];

    /// <summary>A copy holding the listed alerts in the listed order.</summary>
    public LabelledAlerts Subset(ReadOnlySpan<int> indices)
    {
        var snr = new float[indices.Length * Pixels];
        var mask = new byte[indices.Length * Pixels];
        var labels = new byte[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Alert index outside 0..{Count - 1}.");
            }

            Snr(i).CopyTo(snr.AsSpan(k * Pixels, Pixels));
            Mask(i).CopyTo(mask.AsSpan(k * Pixels, Pixels));
            labels[k] = _labels[i];
        }

        return new LabelledAlerts(snr, mask, labels, Height, Width);
    }

    /// <summary>
    /// Splits off a validation set with the same class balance: in each class a seeded shuffle puts
    /// round(fraction * class size) alerts into validation. Both parts keep the original order.
    /// </summary>
    public (LabelledAlerts Train, LabelledAlerts Validation) SplitStratified(double validationFraction, ulong seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "Validation fraction must be in (0, 1).");
        }

        var rng = new Xoshiro256StarStar(seed);
        var isValidation = new bool[Count];
        for (int label = 0; label <= 1; label++)
        {
            var members = new List<int>();
            for (int i = 0; i < Count; i++)
            {
                if (_labels[i] == label)
                {
                    members.Add(i);
                }
            }

            int[] shuffled = members.ToArray();
            rng.Shuffle(shuffled);
            int take = (int)Math.Round(validationFraction * shuffled.Length, MidpointRounding.AwayFromZero);
            for (int k = 0; k < take; k++)
            {
                isValidation[shuffled[k]] = true;
            }
        }

        var train = new List<int>();
        var validation = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            (isValidation[i] ? validation : train).Add(i);
        }

        return (Subset(train.ToArray()), Subset(validation.ToArray()));
    }
}
