using System;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Onboard.Native;

/// <summary>Turns the managed errors into the ICD's status codes; nothing else may reach a C caller.</summary>
internal static class StatusMapping
{
    public static EclStatus From(ModelFormatError error) => error switch
    {
        ModelFormatError.ChecksumMismatch => EclStatus.ModelChecksum,
        ModelFormatError.UnsupportedNumberFormat or ModelFormatError.UnknownLayer
            or ModelFormatError.UnsupportedElementType or ModelFormatError.NotAClassifier => EclStatus.ModelUnsupported,
        _ => EclStatus.ModelFormat,
    };

    public static EclStatus From(InputError error) => error switch
    {
        InputError.None => EclStatus.Ok,
        InputError.BadLength => EclStatus.BadLength,
        InputError.MaskOutOfRange => EclStatus.InputMask,
        InputError.NonFiniteSnr => EclStatus.InputNonFinite,
        InputError.SnrOutOfRange => EclStatus.InputRange,
        _ => EclStatus.Internal,
    };

    public static EclStatus From(Exception exception) => exception switch
    {
        ModelFormatException e => From(e.Error),
        InputValidationException e => From(e.Error),
        TriggerArgumentException e when e.Code == TriggerErrorCode.BadLength => EclStatus.BadLength,
        TriggerArgumentException => EclStatus.InputRange,
        OutOfMemoryException => EclStatus.OutOfMemory,
        IOException or UnauthorizedAccessException => EclStatus.IO,
        _ => EclStatus.Internal,
    };
}
