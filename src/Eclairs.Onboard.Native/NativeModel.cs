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
