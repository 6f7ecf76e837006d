using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Native;

// Blittable mirrors of the ICD's structs. Field order, types and sizes are the ABI: the tests compare
// every offset and size with what a C compiler gives for eclairs_onboard.h.

/// <summary>ecl_model_info.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct EclModelInfo
{
    public uint NumericFormat;
    public uint LayerCount;
    public ulong ParameterCount;
    public ulong Macs;
    public ulong ModelBytes;
    public ulong ContextBytes;
    public float DecisionThreshold;
    public uint Checksum;
    public fixed byte Name[64];
}

/// <summary>ecl_kernel_info (beyond ICD v1).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct EclKernelInfo
{
    public const int MaxSteps = 64;

    public uint KernelPath;
    public uint StepCount;
    public fixed byte StepKernel[MaxSteps];
    public fixed byte InstructionSet[32];
    public fixed byte Lanes[32];
}

/// <summary>ecl_load_options (beyond ICD v1).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct EclLoadOptions
{
    public const int ReservedWords = 6;

    public uint KernelPath;
    public uint Winograd;
    public fixed uint Reserved[ReservedWords];
}

/// <summary>ecl_result.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct EclResult
{
    public float Probability;
    public float Logit;
    public int RawLogit;
    public int IsTrueAlert;
}

/// <summary>ecl_trigger_config.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct EclTriggerConfig
{
    public float SnrThreshold;
    public float MinImageStd;
    public float MaxImageStd;
    public float MinPeakRatio;
    public float MinPartialCoding;
    public uint BackgroundModel;
    public fixed uint Reserved[8];
}

/// <summary>ecl_known_source.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct EclKnownSource
{
    public float Y;
    public float Z;
    public float CountsPerSecond;
    public float ExclusionRadius;
}

/// <summary>ecl_alert.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct EclAlert
{
    public const int SubimagePixels = 3136;

    public int Raised;
    public uint QualityFlags;
    public float PeakSnr;
    public float SecondPeakSnr;
    public float ImageStd;
    public int SkyY;
    public int SkyZ;
    public float OffAxisDeg;
    public float AzimuthDeg;
    public fixed float SubimageSnr[SubimagePixels];
    public fixed byte SubimageMask[SubimagePixels];
}
