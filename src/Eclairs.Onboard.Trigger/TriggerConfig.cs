using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>Background handling before deconvolution (ICD background_model).</summary>
public enum BackgroundModel : uint
{
    /// <summary>A flat background, removed by the balanced decoding itself.</summary>
    Flat = 0,

    /// <summary>a x² + b y² + c x + d y + e fitted by least squares on the active pixels and subtracted first.</summary>
    Quadratic = 1,
}

/// <summary>The trigger's settings, field for field the ICD's ecl_trigger_config, with its defaults.</summary>
public sealed record TriggerConfig
{
    public static TriggerConfig Default { get; } = new();

    /// <summary>Alert when the highest peak outside known sources reaches this SNR (6.5 σ, nominal).</summary>
    public float SnrThreshold { get; init; } = 6.5f;

    /// <summary>Quality: the SNR image's standard deviation over the field must lie in [min, max]. A healthy
    /// image gives 1 within a few per cent; 0.8 catches an over-estimated variance or missing data.</summary>
    public float MinImageStd { get; init; } = 0.8f;

    /// <summary>1.3: systematic errors spread over the field (gradients, surges, module efficiencies) push it to ~1.5.</summary>
    public float MaxImageStd { get; init; } = 1.3f;

    /// <summary>Quality: highest peak / second peak outside the first's PSF. Noise alone gives a second peak of
    /// ~4 σ, so a 6.5 σ source has a ratio ~1.6; 1.2 rejects images with a competing excess above ~5.4 σ.</summary>
    public float MinPeakRatio { get; init; } = 1.2f;

    /// <summary>Sky pixels coded less than this are outside the field of view (0.1: fewer than 640 pixels see them).</summary>
    public float MinPartialCoding { get; init; } = 0.1f;

    public BackgroundModel BackgroundModel { get; init; } = BackgroundModel.Flat;

    /// <summary>
    /// Adaptive threshold (Dagoneau &amp; Schanne 2022: the threshold follows the quality of the sky image). The
    /// threshold applied is <see cref="SnrThreshold"/> x (1 + slope x max(0, std − 1)), std the SNR image's standard
    /// deviation over the field; 0 (the default) keeps it fixed, 1 is the same as renormalising the SNR by the std
    /// when the std exceeds 1. The catalogue-flare threshold follows the same factor.
    /// </summary>
    public float AdaptiveThresholdSlope { get; init; }

    /// <summary>
    /// Catalogue-flare criterion (the real notices' type 203, eclairs-catalog): a known source whose measured excess
    /// over its catalogue rate reaches this SNR at its position raises an alert of its own kind
    /// (<see cref="TriggerCriterion.CatalogueFlare"/>). 0 (the default) turns the criterion off: the trigger then
    /// searches outside known sources only, as before.
    /// </summary>
    public float CatalogueFlareThreshold { get; init; }

    /// <summary>The threshold factor at image standard deviation <paramref name="std"/>: 1 + slope x max(0, std − 1).</summary>
    public float ThresholdFactor(float std) => 1f + AdaptiveThresholdSlope * MathF.Max(0f, std - 1f);

    /// <summary>Throws <see cref="TriggerArgumentException"/> (InputRange) naming the first value out of range.</summary>
    public void Validate()
    {
        Require(float.IsFinite(SnrThreshold) && SnrThreshold > 0, nameof(SnrThreshold), "must be finite and positive");
        Require(float.IsFinite(MinImageStd) && MinImageStd >= 0, nameof(MinImageStd), "must be finite and non-negative");
        Require(float.IsFinite(MaxImageStd) && MaxImageStd >= MinImageStd, nameof(MaxImageStd), "must be finite and at least MinImageStd");
        Require(float.IsFinite(MinPeakRatio) && MinPeakRatio >= 1, nameof(MinPeakRatio), "must be finite and at least 1");
        Require(MinPartialCoding > 0 && MinPartialCoding <= 1, nameof(MinPartialCoding), "must lie in (0, 1]");
        Require(BackgroundModel is BackgroundModel.Flat or BackgroundModel.Quadratic, nameof(BackgroundModel), "must be 0 (flat) or 1 (quadratic)");
        Require(float.IsFinite(AdaptiveThresholdSlope) && AdaptiveThresholdSlope >= 0 && AdaptiveThresholdSlope <= 100, nameof(AdaptiveThresholdSlope), "must lie in [0, 100]");
        Require(float.IsFinite(CatalogueFlareThreshold) && CatalogueFlareThreshold >= 0, nameof(CatalogueFlareThreshold), "must be finite and non-negative (0: off)");
    }

    private void Require(bool ok, string name, string what)
    {
        if (!ok)
        {
            object value = name switch
            {
                nameof(SnrThreshold) => SnrThreshold,
                nameof(MinImageStd) => MinImageStd,
                nameof(MaxImageStd) => MaxImageStd,
                nameof(MinPeakRatio) => MinPeakRatio,
                nameof(MinPartialCoding) => MinPartialCoding,
                nameof(AdaptiveThresholdSlope) => AdaptiveThresholdSlope,
                nameof(CatalogueFlareThreshold) => CatalogueFlareThreshold,
                _ => BackgroundModel,
            };
            throw TriggerArgumentException.Range(name, $"TriggerConfig.{name} {what}, got {value}.");
        }
    }
}
