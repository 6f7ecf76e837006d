namespace Eclairs.Onboard.Native;

/// <summary>The ICD's ecl_status codes; the values are part of the ABI and never change.</summary>
public enum EclStatus
{
    Ok = 0,
    NullArgument = -1,
    BadLength = -2,
    ModelFormat = -3,
    ModelChecksum = -4,
    ModelUnsupported = -5,
    InputMask = -6,
    InputNonFinite = -7,
    InputRange = -8,
    IO = -9,
    OutOfMemory = -10,
    Internal = -11,
}
