using System;
using System.Diagnostics.CodeAnalysis;

namespace Eclairs.Onboard.Trigger;

/// <summary>Alert criteria that failed (ICD quality_flags); an alert is raised when none is set.</summary>
[Flags]
[SuppressMessage("Naming", "CA1711", Justification = "Mirrors the ICD's quality_flags field.")]
public enum QualityFlags : uint
{
    None = 0,

    /// <summary>Bit 0: the highest peak is below the SNR threshold.</summary>
    BelowThreshold = 1,

    /// <summary>Bit 1: the SNR image's standard deviation is outside [min, max].</summary>
    ImageStdOutOfRange = 2,

    /// <summary>Bit 2: highest peak / second peak is below the minimum ratio.</summary>
    PeakRatioTooLow = 4,

    /// <summary>Bit 3: the highest peak lies where partial coding is below the minimum (or nowhere searchable).</summary>
    PeakOutsideFieldOfView = 8,
}
