using Eclairs.Onboard.Inference;

namespace Eclairs.Ground.Classifiers;

/// <summary>
/// The service's one door to the inference engine: <see cref="AlertClassifier"/>, the engine's type for any .eclw
/// (float32 or int8, picked from the number format the file declares), with its context. Not thread-safe: a context
/// holds the scratch of one classification (<see cref="ClassifierBank"/> serialises).
/// </summary>
internal sealed class EngineModel
{
    private readonly AlertClassifierContext _context;

    private EngineModel(AlertClassifier classifier)
    {
        Classifier = classifier;
        _context = classifier.CreateContext();
    }

    public AlertClassifier Classifier { get; }

    public string Name => Classifier.Name;

    public NumberFormat Format => Classifier.NumberFormat;

    /// <summary>Checksum of the model's parameters as the .eclw header declares it (ICD ecl_model_info.checksum).</summary>
    public uint Checksum => Classifier.Checksum;

    public float Threshold => Classifier.DecisionThreshold;

    public string FormatName => Format == NumberFormat.Int8 ? "int8" : "float32";

    public static EngineModel Load(byte[] file) => new(AlertClassifier.Load(file));

    public (float Probability, float Logit, bool IsTrue) Classify(float[] snr, byte[] mask)
    {
        AlertClassification r = _context.Classify(snr, mask);
        return (r.Probability, r.Logit, r.IsTrueAlert);
    }
}
