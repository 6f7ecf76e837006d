using System;
using System.IO;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Onboard.Inference;

/// <summary>Outcome of one classification, float32 or int8 (the ICD's ecl_result).</summary>
/// <param name="Probability">P(true alert), in [0, 1].</param>
/// <param name="Logit">The network's output before the sigmoid (dequantized for int8).</param>
/// <param name="RawLogit">int8: the quantized output of the last layer; float32: 0.</param>
/// <param name="IsTrueAlert">The decision: probability &gt;= the threshold (float32), raw logit &gt;= the integer threshold (int8).</param>
public readonly record struct AlertClassification(float Probability, float Logit, int RawLogit, bool IsTrueAlert);

/// <summary>
/// The engine behind one <c>.eclw</c> classifier file, whatever its number format: loads and validates the file,
/// plans it for this CPU (<see cref="KernelSelector"/>), and classifies through an allocation-free
/// <see cref="AlertClassifierContext"/> per thread. The native library, the CLI and the ground service use this
/// type; <see cref="Model"/> and <see cref="Quantized.Int8Model"/> are the two engines it holds.
/// </summary>
/// <example>
/// <code>
/// AlertClassifier classifier = AlertClassifier.LoadFile("weights/eclairs-cnn-v1.int8.eclw");
/// AlertClassifierContext context = classifier.CreateContext();   // one per thread; reusable
/// AlertClassification r = context.Classify(snr, mask);            // 3136 floats, 3136 bytes; allocates nothing
/// </code>
/// </example>
public sealed class AlertClassifier
{
    private AlertClassifier(Model? floatModel, Int8Model? int8Model)
    {
        FloatModel = floatModel;
        QuantizedModel = int8Model;
    }

    /// <summary>The float32 engine, when the file is float32.</summary>
    public Model? FloatModel { get; }

    /// <summary>The int8 engine, when the file is int8.</summary>
    public Int8Model? QuantizedModel { get; }

    /// <summary>Number format of the file.</summary>
    public NumberFormat NumberFormat => QuantizedModel is null ? NumberFormat.Float32 : NumberFormat.Int8;

    /// <summary>Model name from the file.</summary>
    public string Name => QuantizedModel?.Name ?? FloatModel!.Name;

    /// <summary>Provenance text from the file.</summary>
    public string Provenance => QuantizedModel?.Provenance ?? FloatModel!.Provenance;

    /// <summary>CRC-32 of the model file as stored.</summary>
    public uint Checksum => QuantizedModel?.Checksum ?? FloatModel!.Checksum;

    /// <summary>The layers.</summary>
    public NetworkDescription Network => QuantizedModel?.Network ?? FloatModel!.Network;

    /// <summary>The probability threshold of the decision (for int8, the one the integer threshold was derived from).</summary>
    public float DecisionThreshold => QuantizedModel?.DecisionThreshold ?? FloatModel!.DecisionThreshold;

    /// <summary>int8: true alert when the raw logit is &gt;= this; float32: null.</summary>
    public int? IntegerThreshold => QuantizedModel?.Parameters.DecisionThreshold;

    /// <summary>SNR normalisation applied before the first layer.</summary>
    public InputNormalization Normalization => QuantizedModel?.Normalization ?? FloatModel!.Normalization;

    /// <summary>Kernel path chosen at load.</summary>
    public KernelPath KernelPath => QuantizedModel?.KernelPath ?? FloatModel!.KernelPath;

    /// <summary>Bytes the loaded model keeps.</summary>
    public long ModelBytes => QuantizedModel?.ModelBytes ?? FloatModel!.ModelBytes;

    /// <summary>Bytes one context keeps.</summary>
    public long ContextBytes => QuantizedModel?.ContextBytes ?? FloatModel!.ContextBytes;

    /// <summary>Height and width of the SNR and mask images it takes.</summary>
    public int InputPixels => Network.InputHeight * Network.InputWidth;

    /// <summary>The algorithm of each planned step, in order.</summary>
    public KernelAlgorithm[] StepAlgorithms() => QuantizedModel?.StepAlgorithms() ?? FloatModel!.StepAlgorithms();

    /// <summary>Validates a classifier file (float32 or int8) and loads it; the bytes are copied.</summary>
    /// <exception cref="ModelFormatException">Not a valid model, or not a classifier (<see cref="ModelFormatError.NotAClassifier"/>).</exception>
    /// <exception cref="PlatformNotSupportedException">The requested kernel path does not run on this CPU.</exception>
    public static AlertClassifier Load(ReadOnlySpan<byte> file, ModelOptions? options = null)
    {
        ModelDocument document = EclwReader.Read(file, out uint checksum);
        return document.NumberFormat == NumberFormat.Int8
            ? new AlertClassifier(null, Int8Model.FromValidated(document, checksum, options))
            : new AlertClassifier(RequireClassifier(Model.FromValidated(document, checksum, options)), null);
    }

    /// <summary>Reads and loads the file at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static AlertClassifier LoadFile(string path, ModelOptions? options = null) => Load(File.ReadAllBytes(path), options);

    /// <summary>Validates a document and loads it as if from the file <see cref="EclwWriter"/> makes of it.</summary>
    public static AlertClassifier FromDocument(ModelDocument document, ModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.NumberFormat == NumberFormat.Int8
            ? new AlertClassifier(null, Int8Model.FromDocument(document, options))
            : new AlertClassifier(RequireClassifier(Model.FromDocument(document, options)), null);
    }

    /// <summary>Re-checks the model in memory (parameters and plan) against the checksum taken at load.</summary>
    public bool Verify() => QuantizedModel?.Verify() ?? FloatModel!.Verify();

    /// <summary>Scratch for one thread; reuse it for every classification on that thread.</summary>
    public AlertClassifierContext CreateContext() => new(this);

    internal ModelArena Arena => QuantizedModel?.Arena ?? FloatModel!.Arena;

    private static Model RequireClassifier(Model model) => model.IsClassifier ? model
        : throw new ModelFormatException(ModelFormatError.NotAClassifier, "the network does not end with a Sigmoid on one logit: it cannot classify");
}

/// <summary>Scratch for classifying with one <see cref="AlertClassifier"/>, one call at a time. Allocates nothing per call.</summary>
public sealed class AlertClassifierContext
{
    private readonly InferenceContext? _float;
    private readonly Int8Context? _int8;

    internal AlertClassifierContext(AlertClassifier classifier)
    {
        Classifier = classifier;
        _float = classifier.FloatModel?.CreateContext();
        _int8 = classifier.QuantizedModel?.CreateContext();
    }

    /// <summary>The classifier this context runs.</summary>
    public AlertClassifier Classifier { get; }

    /// <summary>Classifies one alert: <paramref name="snr"/> and <paramref name="mask"/> hold height x width values, row-major.</summary>
    /// <exception cref="InputValidationException">A length, mask value or SNR value is refused (nothing is computed).</exception>
    public AlertClassification Classify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        if (_int8 is not null)
        {
            Int8ClassificationResult q = _int8.Classify(snr, mask);
            return new AlertClassification(q.Probability, q.Logit, q.RawLogit, q.IsTrueAlert);
        }
        ClassificationResult r = _float!.Classify(snr, mask);
        return new AlertClassification(r.Probability, r.Logit, 0, r.IsTrueAlert);
    }

    /// <summary>As <see cref="Classify"/>, a refused input returned as its code (<paramref name="result"/> default): never throws on pixels, never allocates.</summary>
    public InputError TryClassify(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, out AlertClassification result)
    {
        InputError error;
        if (_int8 is not null)
        {
            error = _int8.TryClassify(snr, mask, out Int8ClassificationResult q);
            result = new AlertClassification(q.Probability, q.Logit, q.RawLogit, q.IsTrueAlert);
            return error;
        }
        error = _float!.TryClassify(snr, mask, out ClassificationResult r);
        result = new AlertClassification(r.Probability, r.Logit, 0, r.IsTrueAlert);
        return error;
    }
}
