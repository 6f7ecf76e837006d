using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>What was wrong with an argument, in the terms the C ABI reports (ICD status codes).</summary>
public enum TriggerErrorCode
{
    /// <summary>A buffer length is not what the call needs (ECL_E_BAD_LENGTH).</summary>
    BadLength = -2,

    /// <summary>A count or configuration value out of its documented range (ECL_E_INPUT_RANGE).</summary>
    InputRange = -8,
}

/// <summary>Bad input to the trigger: a wrong buffer length or a value out of its documented range.</summary>
public sealed class TriggerArgumentException : ArgumentException
{
    public TriggerArgumentException()
    {
    }

    public TriggerArgumentException(string message)
        : base(message)
    {
    }

    public TriggerArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TriggerArgumentException(TriggerErrorCode code, string paramName, string message)
        : base(message, paramName)
    {
        Code = code;
    }

    /// <summary>The ICD status this error maps to.</summary>
    public TriggerErrorCode Code { get; } = TriggerErrorCode.InputRange;

    internal static TriggerArgumentException Length(string paramName, int expected, int actual) =>
        new(TriggerErrorCode.BadLength, paramName, $"{paramName} must hold {expected} values, got {actual}.");

    internal static TriggerArgumentException Range(string paramName, string message) =>
        new(TriggerErrorCode.InputRange, paramName, message);
}
