using System;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Ground.Classifiers;

/// <summary>
/// The service's one door to the inference engine: a float32 or int8 .eclw behind one Classify, picked from the
/// number format the file declares (as tools/Eclairs.Cli's AnyModel does today). When the engine gains its single
/// model type (issue 21) only this class changes. Not thread-safe: a context holds the scratch of one classification.
/// </summary>
internal sealed class EngineModel
{
    private readonly Func<float[], byte[], (float Probability, float Logit, bool IsTrue)> _classify;

    private EngineModel(string name, NumberFormat format, uint checksum, float threshold, Func<float[], byte[], (float, float, bool)> classify)
    {
        Name = name;
        Format = format;
        Checksum = checksum;
        Threshold = threshold;
        _classify = classify;
    }

    public string Name { get; }

    public NumberFormat Format { get; }

    /// <summary>Checksum of the model's parameters as the .eclw header declares it (ICD ecl_model_info.checksum).</summary>
    public uint Checksum { get; }

    public float Threshold { get; }

    public string FormatName => Format == NumberFormat.Int8 ? "int8" : "float32";

    public static EngineModel Load(byte[] file)
    {
        if (EclwReader.PeekNumberFormat(file) == NumberFormat.Int8)
        {
            Int8Model int8 = Int8Model.Load(file);
            Int8Context context = int8.CreateContext();
            return new EngineModel(int8.Name, NumberFormat.Int8, int8.Checksum, int8.DecisionThreshold, (snr, mask) =>
            {
                Int8ClassificationResult r = context.Classify(snr, mask);
                return (r.Probability, r.Logit, r.IsTrueAlert);
            });
        }

        Model model = Model.Load(file);
        InferenceContext ctx = model.CreateContext();
        return new EngineModel(model.Name, model.NumberFormat, model.Checksum, model.DecisionThreshold, (snr, mask) =>
        {
            ClassificationResult r = ctx.Classify(snr, mask);
            return (r.Probability, r.Logit, r.IsTrueAlert);
        });
    }

    public (float Probability, float Logit, bool IsTrue) Classify(float[] snr, byte[] mask) => _classify(snr, mask);
}
