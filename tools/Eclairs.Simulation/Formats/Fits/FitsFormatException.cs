using System;

namespace Eclairs.Simulation.Formats;

/// <summary>A FITS file that breaks the standard's rules (FITS 4.0) or holds something this reader does not support.</summary>
public sealed class FitsFormatException : FormatException
{
    public FitsFormatException()
    {
    }

    public FitsFormatException(string message)
        : base(message)
    {
    }

    public FitsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FitsFormatException(string? fileName, int hduIndex, string detail, Exception? innerException = null)
        : base($"{(fileName is null ? "" : fileName + ": ")}HDU {hduIndex}: {detail}", innerException)
    {
        FileName = fileName;
        HduIndex = hduIndex;
    }

    public string? FileName { get; }

    /// <summary>0 for the primary HDU, 1 for the first extension, ...; -1 when not known.</summary>
    public int HduIndex { get; } = -1;
}
