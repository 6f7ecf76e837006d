using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// The images one reconstruction produces, each <see cref="Side"/> x <see cref="Side"/> row-major
/// (row ↔ sky Z, column ↔ sky Y). Preallocate once with <see cref="SkyReconstructor.CreateImages"/>.
/// </summary>
public sealed class SkyImages
{
    internal SkyImages(int side, ReadOnlySpan<float> partialCoding)
    {
        Side = side;
        Intensity = new float[side * side];
        Variance = new float[side * side];
        Snr = new float[side * side];
        PartialCoding = partialCoding.ToArray();
    }

    public int Side { get; }

    /// <summary>Reconstructed source intensity S, in counts per fully open detector pixel.</summary>
    public float[] Intensity { get; }

    /// <summary>Variance of S from the counts' Poisson variance.</summary>
    public float[] Variance { get; }

    /// <summary>S / sqrt(Var); 0 where the sky is not reconstructible or no counts were seen.</summary>
    public float[] Snr { get; }

    /// <summary>Fraction of the active detector that sees each sky pixel through the mask area (count-independent).</summary>
    public float[] PartialCoding { get; }
}
