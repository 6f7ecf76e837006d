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

    /// <summary>Diagnostics beyond ICD v1: managed bytes allocated so far by the calling thread (must not move in the hot path).</summary>
    [UnmanagedCallersOnly(EntryPoint = "ecl_diag_thread_allocated_bytes")]
    public static ulong EclDiagThreadAllocatedBytes() => (ulong)System.GC.GetAllocatedBytesForCurrentThread();

    [UnmanagedCallersOnly(EntryPoint = "ecl_init")]
    public static int EclInit() => (int)Init();

    /// <summary>
    /// The runtime starts on the first call into any export, so calling this at boot moves that cost out of the first
    /// inference. It also settles the statics that loading reads (the CPU's kernel path, the trigger defaults).
    /// </summary>
    public static EclStatus Init()
    {
        _ = Eclairs.Onboard.Inference.Model.BestAvailablePath;
        _ = Eclairs.Onboard.Trigger.TriggerConfig.Default;
        return EclStatus.Ok;
    }
}
