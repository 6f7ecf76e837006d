using System;

namespace Eclairs.Onboard.Telemetry;

/// <summary>A packet or a field of one does not follow the layout of docs/file-formats.md ("VHF alert sequences").</summary>
public sealed class TelemetryFormatException : FormatException
{
    public TelemetryFormatException()
    {
    }

    public TelemetryFormatException(string message)
        : base(message)
    {
    }

    public TelemetryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
