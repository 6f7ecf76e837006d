using System;

namespace Eclairs.Onboard.Inference;

/// <summary>Why an input was refused (ICD: ECL_E_BAD_LENGTH, ECL_E_INPUT_MASK, ECL_E_INPUT_NONFINITE, ECL_E_INPUT_RANGE).</summary>
public enum InputError
{
    /// <summary>No error (the default of a plain exception).</summary>
    None = 0,
    /// <summary>SNR or mask does not hold height x width values.</summary>
    BadLength,
    /// <summary>A mask value above 3.</summary>
    MaskOutOfRange,
    /// <summary>NaN or infinity in an SNR pixel whose mask is not 0.</summary>
    NonFiniteSnr,
    /// <summary>
    /// A finite SNR beyond ±<see cref="InputLimits.MaxAbsoluteSnr"/> in a pixel whose mask is not 0: it could overflow
    /// the float engine to infinity and a NaN probability (found by fuzzing the ABI).
    /// </summary>
    SnrOutOfRange,
}

/// <summary>Documented bounds of the classifier's input.</summary>
public static class InputLimits
{
    /// <summary>Largest |SNR| accepted where the mask is not 0 (real alerts stay below a few hundred).</summary>
    public const float MaxAbsoluteSnr = 1e6f;
}

/// <summary>An input image or mask was refused before any computation.</summary>
public sealed class InputValidationException : Exception
{
    /// <summary>Creates the exception with its code and the offending pixel (-1 for a length error).</summary>
    public InputValidationException(InputError error, int pixelIndex, string message)
        : base(message)
    {
        Error = error;
        PixelIndex = pixelIndex;
    }

    /// <summary>Creates the exception with no code.</summary>
    public InputValidationException()
    {
        PixelIndex = -1;
    }

    /// <summary>Creates the exception with no code.</summary>
    public InputValidationException(string message)
        : base(message)
    {
        PixelIndex = -1;
    }

    /// <summary>Creates the exception with no code.</summary>
    public InputValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        PixelIndex = -1;
    }

    /// <summary>What is wrong.</summary>
    public InputError Error { get; }

    /// <summary>Row-major index of the first offending pixel, or -1.</summary>
    public int PixelIndex { get; }
}
