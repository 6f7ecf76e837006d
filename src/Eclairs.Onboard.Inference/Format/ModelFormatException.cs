using System;

namespace Eclairs.Onboard.Inference;

/// <summary>A model file or document was rejected; <see cref="Error"/> says why, the message says where.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with its code.</summary>
    public ModelFormatException(ModelFormatError error, string message)
        : base(message) => Error = error;

    /// <summary>Creates the exception with no code.</summary>
    public ModelFormatException()
    {
    }

    /// <summary>Creates the exception with no code.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no code.</summary>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why the model was rejected.</summary>
    public ModelFormatError Error { get; }
}
