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
        Detail = message;
    }

    public FitsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Detail = message;
    }

    public FitsFormatException(string? fileName, int hduIndex, string detail, Exception? innerException = null)
        : this(fileName, hduIndex, AlertFitsProblem.Structure, detail, innerException)
    {
    }

    /// <summary>An alert-level refusal: the FITS structure is fine but the content is not a usable alert.</summary>
    public FitsFormatException(string? fileName, int hduIndex, AlertFitsProblem problem, string detail, Exception? innerException = null)
        : base($"{(fileName is null ? "" : fileName + ": ")}{(hduIndex < 0 ? "" : $"HDU {hduIndex}: ")}{detail}", innerException)
    {
        FileName = fileName;
        HduIndex = hduIndex;
        Problem = problem;
        Detail = detail;
    }

    public string? FileName { get; }

    /// <summary>What is wrong, without the file name and HDU prefix of <see cref="Exception.Message"/> (for a service's reply).</summary>
    public string Detail { get; } = string.Empty;

    /// <summary>0 for the primary HDU, 1 for the first extension, ...; -1 when not known.</summary>
    public int HduIndex { get; } = -1;

    /// <summary>What is wrong, by kind; <see cref="AlertFitsProblem.Structure"/> for the FITS rules themselves.</summary>
    public AlertFitsProblem Problem { get; }
}
