using System;
using Eclairs.Onboard.Inference;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// One alert as it reaches the store, whatever path brought it (VHF sequence, FITS file, JSON): the 56 x 56 SNR
/// sub-image and mask, and the trigger facts that path carried (null where it carried none).
/// </summary>
public sealed class AlertInput
{
    public const int Side = 56;

    public const int Pixels = Side * Side;

    public const int TriggerPixel = (28 * Side) + 28;

    public AlertInput(string source, string dedupKey, float[] snr, byte[] mask)
    {
        Source = source;
        DedupKey = dedupKey;
        Snr = snr;
        Mask = mask;
    }

    /// <summary>"vhf", "fits" or "json".</summary>
    public string Source { get; }

    /// <summary>What makes two ingests the same alert: "vhf:&lt;observation id&gt;" or "sha256:&lt;digest of the content&gt;".</summary>
    public string DedupKey { get; }

    public float[] Snr { get; }

    public byte[] Mask { get; }

    public DateTimeOffset? TriggerTime { get; init; }

    public string? BurstId { get; init; }

    public long? ObservationId { get; init; }

    /// <summary>"IMT" (image trigger) or "CRT" (count-rate trigger).</summary>
    public string? TriggerType { get; init; }

    public double? PeakSnr { get; init; }

    public double? SkyY { get; init; }

    public double? SkyZ { get; init; }

    public double? OffAxis { get; init; }

    public double? Azimuth { get; init; }

    public double? TimescaleSeconds { get; init; }

    public bool? SlewRequested { get; init; }

    /// <summary>True when part of the sub-image (or the alert message) never arrived; its pixels have mask 0.</summary>
    public bool Incomplete { get; init; }

    /// <summary>What was missing, in words, when <see cref="Incomplete"/>.</summary>
    public string? Missing { get; init; }

    /// <summary>Further facts of the source (alert-message fields, FITS keywords) as a JSON object, for the alert page.</summary>
    public string? Details { get; init; }

    /// <summary>The peak SNR given, else the trigger pixel's when it arrived and is finite.</summary>
    public double? EffectivePeakSnr =>
        PeakSnr ?? (Mask[TriggerPixel] != 0 && float.IsFinite(Snr[TriggerPixel]) ? Snr[TriggerPixel] : null);

    /// <summary>
    /// The checks the engine makes (ICD input rules): 3136 pixels each, mask 0..3, SNR finite and within
    /// ±<see cref="InputLimits.MaxAbsoluteSnr"/> wherever the mask is not 0.
    /// </summary>
    public static void Validate(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        if (snr.Length != Pixels || mask.Length != Pixels)
        {
            throw new IngestRefusedException($"an alert holds {Side} x {Side} = {Pixels} SNR values and as many mask values; got {snr.Length} and {mask.Length}");
        }

        for (int i = 0; i < Pixels; i++)
        {
            if (mask[i] > 3)
            {
                throw new IngestRefusedException($"mask value {mask[i]} at row {i / Side}, column {i % Side} is not 0..3");
            }

            if (mask[i] != 0 && !float.IsFinite(snr[i]))
            {
                throw new IngestRefusedException($"SNR {snr[i]} at row {i / Side}, column {i % Side} where the mask is {mask[i]}: only mask-0 pixels may be NaN or infinite");
            }

            if (mask[i] != 0 && Math.Abs(snr[i]) > InputLimits.MaxAbsoluteSnr)
            {
                throw new IngestRefusedException($"SNR {snr[i]} at row {i / Side}, column {i % Side} is beyond ±{InputLimits.MaxAbsoluteSnr}");
            }
        }
    }
}
