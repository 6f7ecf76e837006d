using System;

namespace Eclairs.Simulation.Formats;

/// <summary>How <see cref="AlertFitsReader"/> reads an alert FITS file made elsewhere.</summary>
public sealed record AlertFitsReadOptions
{
    /// <summary>The options of <c>eclairs import-alerts</c> and the ground service's FITS ingest.</summary>
    public static AlertFitsReadOptions Default { get; } = new();

    /// <summary>Side of the SNR sub-image the models take (ICD: 56).</summary>
    public int Side { get; init; } = AlertDataset.DefaultSide;

    /// <summary>
    /// Shift an alert whose trigger pixel is not at the centre (row and column side/2) so that it is; pixels shifted
    /// in get mask 0. Off (the default), such a file is refused: the deck set such "incorrectly centred" images aside.
    /// </summary>
    public bool Recentre { get; init; }

    /// <summary>Exclusion radius, in pixels, of a known source whose keywords give none (and no KNOWNRAD): the simulator's 3.</summary>
    public double KnownSourceRadius { get; init; } = 3.0;

    /// <summary>Refuse files without a MASK extension (the project's own layout always has one).</summary>
    public bool RequireMaskExtension { get; init; }

    /// <summary>Largest input accepted, compressed or not, in bytes (an alert file is about 20 KB).</summary>
    public int MaxBytes { get; init; } = 16 << 20;

    internal void Validate()
    {
        if (Side < 1 || Side > 4096 || !(KnownSourceRadius >= 0) || double.IsInfinity(KnownSourceRadius) || MaxBytes < 2880)
        {
            throw new ArgumentException($"invalid alert FITS options: {this}");
        }
    }
}
