using System;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Native;

/// <summary>
/// Opaque C handles (ecl_model*, ecl_context*, ecl_trigger*) are normal GC handles to the managed objects,
/// so the objects stay alive and reachable until the matching free call.
/// </summary>
internal static unsafe class Handles
{
    public static void* New(object target) => (void*)GCHandle.ToIntPtr(GCHandle.Alloc(target, GCHandleType.Normal));

    /// <summary>The object behind a handle, or null when the handle is NULL or of another kind.</summary>
    public static T? Get<T>(void* handle)
        where T : class
    {
        if (handle == null)
        {
            return null;
        }

        return GCHandle.FromIntPtr((IntPtr)handle).Target as T;
    }

    /// <summary>Frees a handle of kind <typeparamref name="T"/>; NULL, or a handle of another kind, is left alone.</summary>
    public static void Free<T>(void* handle)
        where T : class
    {
        if (handle == null)
        {
            return;
        }

        GCHandle h = GCHandle.FromIntPtr((IntPtr)handle);
        if (h.Target is T)
        {
            h.Free();
        }
    }
}
