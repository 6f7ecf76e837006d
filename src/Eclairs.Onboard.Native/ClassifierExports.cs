using System;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Native;

/// <summary>C entry points of the classifier: each catches everything, so no exception crosses the boundary.</summary>
public static unsafe class ClassifierExports
{
    [UnmanagedCallersOnly(EntryPoint = "ecl_model_load")]
    public static int EclModelLoad(byte* data, nuint length, void** output)
    {
        try
        {
            return (int)ClassifierApi.ModelLoad(data, length, output);
        }
        catch (Exception e)
        {
            return Fail(e, output);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_model_load_with_options")]
    public static int EclModelLoadWithOptions(byte* data, nuint length, EclLoadOptions* options, void** output)
    {
        try
        {
            return (int)ClassifierApi.ModelLoadWithOptions(data, length, options, output);
        }
        catch (Exception e)
        {
            return Fail(e, output);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_model_load_file")]
    public static int EclModelLoadFile(byte* path, void** output)
    {
        try
        {
            return (int)ClassifierApi.ModelLoadFile(path, output);
        }
        catch (Exception e)
        {
            return Fail(e, output);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_model_free")]
    public static void EclModelFree(void* model)
    {
        try
        {
            ClassifierApi.ModelFree(model);
        }
        catch (InvalidOperationException)
        {
            // Freeing a handle that was already freed is the caller's error (as in C); never let it cross the boundary.
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_model_get_info")]
    public static int EclModelGetInfo(void* model, EclModelInfo* info)
    {
        try
        {
            return (int)ClassifierApi.ModelGetInfo(model, info);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    /// <summary>Beyond ICD v1 (additive): the planned kernels and the compiled variant in use.</summary>
    [UnmanagedCallersOnly(EntryPoint = "ecl_model_get_kernel_info")]
    public static int EclModelGetKernelInfo(void* model, EclKernelInfo* info)
    {
        try
        {
            return (int)ClassifierApi.ModelGetKernelInfo(model, info);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_model_verify")]
    public static int EclModelVerify(void* model)
    {
        try
        {
            return (int)ClassifierApi.ModelVerify(model);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    /// <summary>Test-only diagnostic beyond ICD v1: the parameter memory ecl_model_verify covers, for fault injection.</summary>
    [UnmanagedCallersOnly(EntryPoint = "ecl_diag_model_parameters")]
    public static int EclDiagModelParameters(void* model, uint region, void** data, nuint* bytes)
    {
        try
        {
            return (int)ClassifierApi.DiagModelParameters(model, region, data, bytes);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_context_create")]
    public static int EclContextCreate(void* model, void** output)
    {
        try
        {
            return (int)ClassifierApi.ContextCreate(model, output);
        }
        catch (Exception e)
        {
            return Fail(e, output);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_context_free")]
    public static void EclContextFree(void* context)
    {
        try
        {
            ClassifierApi.ContextFree(context);
        }
        catch (InvalidOperationException)
        {
            // Freeing a handle that was already freed is the caller's error (as in C); never let it cross the boundary.
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ecl_classify")]
    public static int EclClassify(void* context, float* snr, byte* mask, EclResult* output)
    {
        try
        {
            return (int)ClassifierApi.Classify(context, snr, mask, output);
        }
        catch (Exception e)
        {
            return (int)StatusMapping.From(e);
        }
    }

    private static int Fail(Exception e, void** output)
    {
        if (output != null)
        {
            *output = null;
        }

        return (int)StatusMapping.From(e);
    }
}
