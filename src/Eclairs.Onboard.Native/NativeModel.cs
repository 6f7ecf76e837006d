using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Native;

/// <summary>What an ecl_model handle holds: the loaded model and its figures for ecl_model_get_info.</summary>
internal sealed class NativeModel(Model model)
{
    public Model Model { get; } = model;

    /// <summary>Bytes one context of this model keeps, measured once on a probe context.</summary>
    public long ContextBytes { get; } = model.CreateContext().ContextBytes;
}

/// <summary>What an ecl_context handle holds.</summary>
internal sealed class NativeContext(NativeModel owner)
{
    public NativeModel Owner { get; } = owner;

    public InferenceContext Context { get; } = owner.Model.CreateContext();
}
