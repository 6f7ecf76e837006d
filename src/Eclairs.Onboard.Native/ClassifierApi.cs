using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Native;

/// <summary>
/// The classifier half of the ICD, as plain managed methods over raw pointers (the tests call these; the exports
/// wrap them so no exception crosses the boundary). Every method checks its pointers before anything else.
/// </summary>
public static unsafe class ClassifierApi
{
    public const int SubimageSide = 56;
    public const int SubimagePixels = SubimageSide * SubimageSide;

    public static EclStatus ModelLoad(byte* data, nuint length, void** output) => ModelLoadWithOptions(data, length, null, output);

    /// <summary>
    /// ecl_model_load_with_options: as <see cref="ModelLoad"/>, planned with the caller's choices. NULL options are
    /// ecl_model_load's defaults; a value out of its documented range or a reserved word not zero is ECL_E_INPUT_RANGE
    /// before the file is read, and so is a kernel path this CPU does not run for the file's number format.
    /// </summary>
    public static EclStatus ModelLoadWithOptions(byte* data, nuint length, EclLoadOptions* options, void** output)
    {
        if (output == null)
        {
            return EclStatus.NullArgument;
        }

        *output = null;
        if (data == null)
        {
            return EclStatus.NullArgument;
        }

        if (length > int.MaxValue)
        {
            return EclStatus.BadLength;
        }

        ModelOptions? planned = null;
        if (options != null)
        {
            EclStatus status = LoadOptions.TryRead(*options, out planned);
            if (status != EclStatus.Ok)
            {
                return status;
            }
        }

        AlertClassifier model;
        try
        {
            model = AlertClassifier.Load(new ReadOnlySpan<byte>(data, (int)length), planned);
        }
        catch (PlatformNotSupportedException) when (planned is { KernelPath: not KernelPath.Auto })
        {
            return EclStatus.InputRange;
        }

        return Accept(model, output);
    }

    public static EclStatus ModelLoadFile(byte* path, void** output)
    {
        if (output == null)
        {
            return EclStatus.NullArgument;
        }

        *output = null;
        if (path == null)
        {
            return EclStatus.NullArgument;
        }

        string file = Marshal.PtrToStringUTF8((IntPtr)path) ?? string.Empty;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return EclStatus.IO;
        }

        return Accept(AlertClassifier.Load(bytes), output);
    }

    public static void ModelFree(void* model) => Handles.Free<AlertClassifier>(model);

    public static EclStatus ModelGetInfo(void* model, EclModelInfo* info)
    {
        AlertClassifier? m = Handles.Get<AlertClassifier>(model);
        if (m is null || info == null)
        {
            return EclStatus.NullArgument;
        }

        var result = new EclModelInfo
        {
            NumericFormat = (uint)m.NumberFormat,
            LayerCount = (uint)m.Network.LayerCount,
            ParameterCount = (ulong)m.Network.ParameterCount,
            Macs = (ulong)m.Network.Macs,
            ModelBytes = (ulong)m.ModelBytes,
            ContextBytes = (ulong)m.ContextBytes,
            DecisionThreshold = m.DecisionThreshold,
            Checksum = m.Checksum,
        };
        WriteName(m.Name, new Span<byte>(result.Name, 64));
        *info = result;
        return EclStatus.Ok;
    }

    /// <summary>ecl_model_get_kernel_info: the selector's plan and the compiled variant running it.</summary>
    public static EclStatus ModelGetKernelInfo(void* model, EclKernelInfo* info)
    {
        AlertClassifier? m = Handles.Get<AlertClassifier>(model);
        if (m is null || info == null)
        {
            return EclStatus.NullArgument;
        }

        var result = new EclKernelInfo { KernelPath = (uint)m.KernelPath };
        KernelAlgorithm[] steps = m.StepAlgorithms();
        result.StepCount = (uint)Math.Min(steps.Length, EclKernelInfo.MaxSteps);
        for (int i = 0; i < (int)result.StepCount; i++)
        {
            result.StepKernel[i] = (byte)steps[i];
        }

        WriteName(CompiledTarget.InstructionSet, new Span<byte>(result.InstructionSet, 32));
        WriteName(CompiledTarget.Lanes(m.KernelPath, m.NumberFormat, steps), new Span<byte>(result.Lanes, 32));
        *info = result;
        return EclStatus.Ok;
    }

    public static EclStatus ModelVerify(void* model)
    {
        AlertClassifier? m = Handles.Get<AlertClassifier>(model);
        if (m is null)
        {
            return EclStatus.NullArgument;
        }

        return m.Verify() ? EclStatus.Ok : EclStatus.ModelChecksum;
    }

    /// <summary>
    /// Test-only diagnostic (ecl_diag_model_parameters): where region <paramref name="region"/> of the parameter memory
    /// lies, for fault injection from C. ECL_E_INPUT_RANGE past the last region (outputs NULL and 0 then).
    /// </summary>
    public static EclStatus DiagModelParameters(void* model, uint region, void** data, nuint* bytes)
    {
        if (data == null || bytes == null)
        {
            return EclStatus.NullArgument;
        }

        *data = null;
        *bytes = 0;
        AlertClassifier? m = Handles.Get<AlertClassifier>(model);
        if (m is null)
        {
            return EclStatus.NullArgument;
        }

        // Region 0: the plan (header and steps); region 1: the parameters. Both lie in the one arena Verify hashes.
        ModelArena arena = m.Arena;
        Span<byte> part = region switch
        {
            0 => arena.PlanRegion,
            1 => arena.ParameterRegion,
            _ => default,
        };
        if (region > 1)
        {
            return EclStatus.InputRange;
        }

        *data = Unsafe.AsPointer(ref MemoryMarshal.GetReference(part));
        *bytes = (nuint)part.Length;
        return EclStatus.Ok;
    }

    public static EclStatus ContextCreate(void* model, void** output)
    {
        if (output == null)
        {
            return EclStatus.NullArgument;
        }

        *output = null;
        AlertClassifier? m = Handles.Get<AlertClassifier>(model);
        if (m is null)
        {
            return EclStatus.NullArgument;
        }

        *output = Handles.New(m.CreateContext());
        return EclStatus.Ok;
    }

    public static void ContextFree(void* context) => Handles.Free<AlertClassifierContext>(context);

    /// <summary>The hot path: no allocation, no exception on bad pixels (the engine reports them as a code).</summary>
    public static EclStatus Classify(void* context, float* snr, byte* mask, EclResult* output)
    {
        AlertClassifierContext? c = Handles.Get<AlertClassifierContext>(context);
        if (c is null || snr == null || mask == null || output == null)
        {
            return EclStatus.NullArgument;
        }

        InputError error = c.TryClassify(
            new ReadOnlySpan<float>(snr, SubimagePixels), new ReadOnlySpan<byte>(mask, SubimagePixels), out AlertClassification r);
        if (error != InputError.None)
        {
            return StatusMapping.From(error);
        }

        *output = new EclResult { Probability = r.Probability, Logit = r.Logit, RawLogit = r.RawLogit, IsTrueAlert = r.IsTrueAlert ? 1 : 0 };
        return EclStatus.Ok;
    }

    private static EclStatus Accept(AlertClassifier model, void** output)
    {
        if (!model.Network.IsClassifier || model.Network.InputHeight != SubimageSide || model.Network.InputWidth != SubimageSide)
        {
            return EclStatus.ModelUnsupported;
        }

        *output = Handles.New(model);
        return EclStatus.Ok;
    }

    /// <summary>UTF-8, cut at a character boundary so it fits 63 bytes, NUL-terminated.</summary>
    private static void WriteName(string name, Span<byte> destination)
    {
        destination.Clear();
        int length = 0;
        foreach (Rune rune in name.EnumerateRunes())
        {
            int size = rune.Utf8SequenceLength;
            if (length + size > destination.Length - 1)
            {
                break;
            }

            length += rune.EncodeToUtf8(destination[length..]);
        }
    }
}
