using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Native;

// Blittable mirrors of the trigger structs added to ABI version 1 after its first release (additions only: the
// ABI v1 structs keep their layouts). AbiLayoutTests checks every offset and size against eclairs_onboard.h.

/// <summary>ecl_trigger_criteria: the trigger criteria ecl_trigger_config has no room for.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct EclTriggerCriteria
{
    public float AdaptiveThresholdSlope;
    public float CatalogueFlareThreshold;
    public fixed uint Reserved[6];
}

/// <summary>ecl_alert_detail: what ecl_alert has no room for, for the last processed image.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct EclAlertDetail
{
    public uint Criterion;
    public int KnownSourceIndex;
    public float EffectiveThreshold;
    public float Quality;
    public fixed uint Reserved[4];
}
