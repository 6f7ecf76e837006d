using System;

namespace Eclairs.Simulation.Formats;

/// <summary>A .npy or .npz file that is malformed, truncated or does not hold what the caller asked for.</summary>
public sealed class NumPyFormatException : FormatException
{
    public NumPyFormatException()
    {
    }

    public NumPyFormatException(string message)
        : base(message)
    {
    }

    public NumPyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NumPyFormatException(string? fileName, string? arrayName, string detail, Exception? innerException = null)
        : base(Compose(fileName, arrayName, detail), innerException)
    {
        FileName = fileName;
        ArrayName = arrayName;
    }

    /// <summary>The file (or stream name) being read, when known.</summary>
    public string? FileName { get; }

    /// <summary>The array inside an .npz archive, when the problem concerns one array.</summary>
    public string? ArrayName { get; }

    private static string Compose(string? fileName, string? arrayName, string detail)
    {
        string where = (fileName, arrayName) switch
        {
            (null, null) => "",
            (not null, null) => $"{fileName}: ",
            (null, not null) => $"array '{arrayName}': ",
            _ => $"{fileName}: array '{arrayName}': ",
        };
        return where + detail;
    }
}
