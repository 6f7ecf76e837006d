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

    /// <summary>Diagnostics beyond ICD v1: garbage collections the runtime has run (harnesses check it stays flat).</summary>
    [UnmanagedCallersOnly(EntryPoint = "ecl_diag_gc_collections")]
    public static ulong EclDiagGcCollections() => (ulong)System.GC.CollectionCount(0);

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
