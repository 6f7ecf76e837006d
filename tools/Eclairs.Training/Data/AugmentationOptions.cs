using System;

namespace Eclairs.Training.Data;

/// <summary>Training-time augmentation: a uniformly drawn symmetry about the trigger pixel and Gaussian SNR noise.</summary>
public sealed record AugmentationOptions
{
    /// <summary>No augmentation.</summary>
    public static AugmentationOptions None { get; } = new() { Symmetries = false, SnrNoiseSigma = 0 };

    /// <summary>Draw one of the eight symmetries per sample (requires a square image of even side).</summary>
    public bool Symmetries { get; init; } = true;

    /// <summary>Standard deviation of the noise added to the SNR where the mask is non-zero (0 disables).</summary>
    public double SnrNoiseSigma { get; init; }

    internal void Validate()
    {
        if (!(SnrNoiseSigma >= 0) || double.IsInfinity(SnrNoiseSigma))
        {
            throw new ArgumentOutOfRangeException(nameof(SnrNoiseSigma), SnrNoiseSigma, "Noise sigma must be finite and >= 0.");
        }
    }
}
