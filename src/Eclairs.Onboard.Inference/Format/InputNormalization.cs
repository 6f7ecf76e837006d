namespace Eclairs.Onboard.Inference;

/// <summary>
/// Affine map applied to SNR pixels whose mask is not 0 before the first layer: snr * Scale + Offset.
/// Pixels with mask 0 enter as 0 whatever they hold. The mask channel is never normalised.
/// </summary>
public readonly record struct InputNormalization(float Scale, float Offset)
{
    /// <summary>The identity (scale 1, offset 0).</summary>
    public static InputNormalization Identity => new(1f, 0f);
}
