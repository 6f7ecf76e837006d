using System;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Onboard.Native;

/// <summary>What an ecl_model handle holds: a float32 or an int8 model behind the one ABI.</summary>
internal abstract class NativeModel
{
    public abstract string Name { get; }

    public abstract NumberFormat NumberFormat { get; }

    public abstract NetworkDescription Network { get; }

    public abstract long ModelBytes { get; }

    public abstract float DecisionThreshold { get; }

    public abstract uint Checksum { get; }

    /// <summary>Bytes one context of this model keeps.</summary>
    public abstract long ContextBytes { get; }

    public abstract bool Verify();

    /// <summary>
    /// Test-only (ecl_diag_model_parameters): region <paramref name="index"/> of the parameter memory that
    /// <see cref="Verify"/> covers, pinned for the model's lifetime; false past the last region.
    /// </summary>
    public abstract unsafe bool TryGetParameterRegion(int index, out byte* data, out nuint bytes);

    public abstract NativeContext CreateContext();

    /// <summary>Chooses the engine from the number format the header declares; the engine validates the rest.</summary>
    public static NativeModel Load(ReadOnlySpan<byte> file) =>
        EclwReader.PeekNumberFormat(file) == NumberFormat.Int8
            ? new Int8NativeModel(Int8Model.Load(file))
            : new FloatNativeModel(Model.Load(file));
}

/// <summary>What an ecl_context handle holds: scratch for one caller at a time.</summary>
internal abstract class NativeContext
{
    /// <summary>Classifies without allocating; a refused input is returned as its code.</summary>
    public abstract InputError TryClassify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, out EclResult result);
}

internal sealed class FloatNativeModel(Model model) : NativeModel
{
    public override string Name => model.Name;

    public override NumberFormat NumberFormat => NumberFormat.Float32;

    public override NetworkDescription Network => model.Network;

    public override long ModelBytes => model.ModelBytes;

    public override float DecisionThreshold => model.DecisionThreshold;

    public override uint Checksum => model.Checksum;

    public override long ContextBytes => model.ContextBytes;

    public override bool Verify() => model.Verify();

    /// <summary>One region: the float block (weights, biases, Winograd-transformed weights), on the pinned heap.</summary>
    public override unsafe bool TryGetParameterRegion(int index, out byte* data, out nuint bytes)
    {
        data = index == 0 ? (byte*)model.Parameters : null;
        bytes = index == 0 ? (nuint)model.ParameterBlock.Length * sizeof(float) : 0;
        return index == 0;
    }

    public override NativeContext CreateContext() => new Context(model.CreateContext());

    private sealed class Context(InferenceContext context) : NativeContext
    {
        public override InputError TryClassify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, out EclResult result)
        {
            InputError error = context.TryClassify(snr, mask, out ClassificationResult r);
            result = new EclResult { Probability = r.Probability, Logit = r.Logit, RawLogit = 0, IsTrueAlert = r.IsTrueAlert ? 1 : 0 };
            return error;
        }
    }
}

internal sealed class Int8NativeModel(Int8Model model) : NativeModel
{
    public override string Name => model.Name;

    public override NumberFormat NumberFormat => NumberFormat.Int8;

    public override NetworkDescription Network => model.Network;

    public override long ModelBytes => model.ModelBytes;

    public override float DecisionThreshold => model.DecisionThreshold;

    public override uint Checksum => model.Checksum;

    public override long ContextBytes => model.ContextBytes;

    public override bool Verify() => model.Verify();

    /// <summary>One region per planned array (weights, bias, multiplier, shifts), each on the pinned heap.</summary>
    public override unsafe bool TryGetParameterRegion(int index, out byte* data, out nuint bytes)
    {
        if (index < 0 || index >= model.ParameterArrays.Count)
        {
            data = null;
            bytes = 0;
            return false;
        }

        Span<byte> region = Int8Model.Bytes(model.ParameterArrays[index]);
        data = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(region));
        bytes = (nuint)region.Length;
        return true;
    }

    public override NativeContext CreateContext() => new Context(model.CreateContext());

    private sealed class Context(Int8Context context) : NativeContext
    {
        public override InputError TryClassify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, out EclResult result)
        {
            InputError error = context.TryClassify(snr, mask, out Int8ClassificationResult r);
            result = new EclResult { Probability = r.Probability, Logit = r.Logit, RawLogit = r.RawLogit, IsTrueAlert = r.IsTrueAlert ? 1 : 0 };
            return error;
        }
    }
}
