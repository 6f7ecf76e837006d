using System;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Native;

/// <summary>C entry points of the trigger emulator: each catches everything, so no exception crosses the boundary.</summary>
public static unsafe class TriggerExports
{
    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_config_default")]
    public static void EclTriggerConfigDefault(EclTriggerConfig* config) => TriggerApi.ConfigDefault(config);

    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_create")]
    public static int EclTriggerCreate(EclTriggerConfig* config, EclKnownSource* catalogue, uint count, void** output)
    {
        try
        {
            return (int)TriggerApi.Create(config, catalogue, count, output);
        }
        catch (Exception e)
        {
            if (output != null)
            {
                *output = null;
            }

            return (int)StatusMapping.From(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_create_with_criteria")]
    public static int EclTriggerCreateWithCriteria(EclTriggerConfig* config, EclTriggerCriteria* criteria, EclKnownSource* catalogue, uint count, void** output)
    {
        try
        {
            return (int)TriggerApi.CreateWithCriteria(config, criteria, catalogue, count, output);
        }
        catch (Exception e)
        {
            if (output != null)
            {
                *output = null;
            }

            return (int)StatusMapping.From(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_last_detail")]
    public static int EclTriggerLastDetail(void* trigger, EclAlertDetail* output)
    {
        try
        {
            return (int)TriggerApi.LastDetail(trigger, output);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_free")]
    public static void EclTriggerFree(void* trigger)
    {
        try
        {
            TriggerApi.Free(trigger);
        }
        catch (InvalidOperationException)
        {
            // Freeing a handle that was already freed is the caller's error (as in C); never let it cross the boundary.
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_sky_side")]
    public static int EclTriggerSkySide(void* trigger, int* side)
    {
        try
        {
            return (int)TriggerApi.SkySide(trigger, side);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_process")]
    public static int EclTriggerProcess(void* trigger, uint* counts, float exposureSeconds, EclAlert* output)
    {
        try
        {
            return (int)TriggerApi.Process(trigger, counts, exposureSeconds, output);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_trigger_copy_sky")]
    public static int EclTriggerCopySky(void* trigger, float* snr, nuint length)
    {
        try
        {
            return (int)TriggerApi.CopySky(trigger, snr, length);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }
}
