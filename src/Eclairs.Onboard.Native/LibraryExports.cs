using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Native;

/// <summary>ICD "Library": version queries, status texts and the boot-time init.</summary>
public static unsafe class LibraryExports
{
    public const uint AbiVersion = 1u;

    [UnmanagedCallersOnly(EntryPoint = "ecl_abi_version")]
    public static uint EclAbiVersion() => AbiVersion;

    [UnmanagedCallersOnly(EntryPoint = "ecl_version")]
    public static byte* EclVersion() => StatusText.Version;

    [UnmanagedCallersOnly(EntryPoint = "ecl_status_string")]
    public static byte* EclStatusString(int status) => StatusText.For(status);

    [UnmanagedCallersOnly(EntryPoint = "ecl_init")]
    public static int EclInit() => (int)Init();

    /// <summary>
    /// The runtime starts on the first call into any export; this one also touches the static state the first
    /// inference and trigger call would otherwise initialise, so they pay nothing at their first use.
    /// </summary>
    public static EclStatus Init()
    {
        RuntimeHelpers.RunClassConstructor(typeof(StatusText).TypeHandle);
        return EclStatus.Ok;
    }
}
