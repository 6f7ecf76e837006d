using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Native;

/// <summary>
/// Static NUL-terminated texts handed to C callers. UTF-8 literals live in the image's read-only
/// data, which never moves, so their addresses stay valid for the life of the process.
/// </summary>
internal static unsafe class StatusText
{
    public static byte* For(int status) => Pointer(status switch
    {
        (int)EclStatus.Ok => "ok\0"u8,
        (int)EclStatus.NullArgument => "a required pointer is NULL\0"u8,
        (int)EclStatus.BadLength => "a buffer length is not what the call needs\0"u8,
        (int)EclStatus.ModelFormat => "malformed model file\0"u8,
        (int)EclStatus.ModelChecksum => "model checksum mismatch\0"u8,
        (int)EclStatus.ModelUnsupported => "model uses a layer or number format this build does not run\0"u8,
        (int)EclStatus.InputMask => "a mask value outside 0..3\0"u8,
        (int)EclStatus.InputNonFinite => "NaN or infinity in a pixel whose mask is not 0\0"u8,
        (int)EclStatus.InputRange => "a count or configuration value out of its documented range\0"u8,
        (int)EclStatus.IO => "a file could not be opened or read\0"u8,
        (int)EclStatus.OutOfMemory => "out of memory\0"u8,
        (int)EclStatus.Internal => "internal error\0"u8,
        _ => "unknown status\0"u8,
    });

    public static byte* Version => Pointer("0.1.0\0"u8);

    private static byte* Pointer(ReadOnlySpan<byte> literal) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(literal));
}
