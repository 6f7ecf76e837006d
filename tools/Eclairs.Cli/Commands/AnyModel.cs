using System;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Cli.Commands;

/// <summary>One classification, whichever engine made it (raw logit 0 for float32 models).</summary>
internal readonly record struct AnyResult(float Probability, float Logit, int RawLogit, bool IsTrueAlert);

/// <summary>Classifies one alert with a loaded model.</summary>
internal delegate AnyResult AnyClassifier(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask);

/// <summary>
/// A float32 or int8 model file behind one Classify, chosen from the number format the header declares, for the
/// commands that take either (evaluate, vectors, describe).
/// </summary>
internal sealed class AnyModel
{
    private readonly AnyClassifier _classify;

    private AnyModel(string name, NumberFormat format, uint checksum, NetworkDescription network, AnyClassifier classify)
    {
        Name = name;
        Format = format;
        Checksum = checksum;
        Network = network;
        _classify = classify;
    }

    public string Name { get; }

    public NetworkDescription Network { get; }

    public NumberFormat Format { get; }

    public uint Checksum { get; }

    /// <param name="file">The .eclw bytes.</param>
    /// <param name="reference">Run the scalar reference kernels (the golden path) instead of the fastest ones.</param>
    public static AnyModel Load(byte[] file, bool reference)
    {
        if (EclwReader.PeekNumberFormat(file) == NumberFormat.Int8)
        {
            Int8Model int8 = Int8Model.Load(file, reference ? Int8KernelPath.Scalar : Int8KernelPath.Auto);
            Int8Context context = int8.CreateContext();
            return new AnyModel(int8.Name, NumberFormat.Int8, int8.Checksum, int8.Network, (snr, mask) =>
            {
                Int8ClassificationResult r = context.Classify(snr, mask);
                return new AnyResult(r.Probability, r.Logit, r.RawLogit, r.IsTrueAlert);
            });
        }

        Model model = Model.Load(file, new ModelOptions { KernelPath = reference ? KernelPath.Scalar : KernelPath.Auto });
        InferenceContext ctx = model.CreateContext();
        return new AnyModel(model.Name, model.NumberFormat, model.Checksum, model.Network, (snr, mask) =>
        {
            ClassificationResult r = ctx.Classify(snr, mask);
            return new AnyResult(r.Probability, r.Logit, 0, r.IsTrueAlert);
        });
    }

    public AnyResult Classify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask) => _classify(snr, mask);
}
