using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Eclairs.Training.Evaluation;
using Engine = Eclairs.Onboard.Inference;

namespace Eclairs.Training.Export;

/// <summary>
/// Stores a temperature in a float32 model without a new field (docs/weights-format.md, "Calibrated probabilities"):
/// the last dense layer, the one that gives the logit, has its weights and bias divided by T, so the engine computes
/// z / T with the kernels it already has; the decision threshold becomes sigmoid(logit(threshold) / T), which keeps
/// every decision (z / T &gt;= logit(p) / T exactly when z &gt;= logit(p)); a provenance line records T, cumulated over
/// successive calibrations, so the original logit is z' T. An int8 model quantized from the calibrated file derives its
/// integer threshold from the mapped one as always.
/// </summary>
public static partial class TemperatureFolding
{
    private const string LinePrefix = "temperature: ";

    /// <summary>The model with 1/<paramref name="temperature"/> folded into its logit layer and the threshold mapped.</summary>
    /// <param name="note">What the temperature was fitted on, for the provenance line.</param>
    /// <exception cref="ArgumentException">An int8 model, or a model whose last layer before the sigmoid is not a linear dense layer.</exception>
    public static Engine.ModelDocument Apply(Engine.ModelDocument document, double temperature, string note)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(note);
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "a temperature is finite and > 0");
        }

        if (document.NumberFormat != Engine.NumberFormat.Float32)
        {
            throw new ArgumentException($"model '{document.Name}' is {document.NumberFormat}: calibrate its float32 model, then quantize that");
        }

        int logitLayer = LogitLayer(document.Network);
        Engine.TensorEntry[] tensors = document.Tensors.Select(t => t.LayerIndex != logitLayer
            ? t
            : Engine.TensorEntry.FromSingles(t.LayerIndex, t.Role, t.Shape, t.ToSingles().Select(v => (float)(v / temperature)).ToArray())).ToArray();
        double total = Temperature(document.Provenance) * temperature;
        float threshold = (float)TemperatureScaling.MapThreshold(document.DecisionThreshold, temperature);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{LinePrefix}T = {total:R} folded into layer {logitLayer} (the logit's dense layer: weights and bias / T); this calibration T = {temperature:R}, {note}; threshold {document.DecisionThreshold:R} -> {threshold:R} (same decisions)");
        var result = document with
        {
            Tensors = tensors,
            DecisionThreshold = threshold,
            Provenance = WithLine(document.Provenance, line),
        };
        result.Validate();
        return result;
    }

    /// <summary>The cumulated temperature a model's provenance records (1 when it was never calibrated).</summary>
    public static double Temperature(string provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        Match m = TemperatureLine().Match(provenance);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1.0;
    }

    /// <summary>Index of the dense layer (no activation) right before the final sigmoid.</summary>
    public static int LogitLayer(Engine.NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int last = network.LayerCount - 1;
        return network.Layers[last] is Engine.SigmoidLayer && last >= 1 && network.Layers[last - 1] is Engine.DenseLayer { Activation: Engine.Activation.None }
            ? last - 1
            : throw new ArgumentException("a temperature folds into a linear dense layer right before the final sigmoid; this network does not end that way");
    }

    private static string WithLine(string provenance, string line)
    {
        string kept = string.Join('\n', provenance.Split('\n').Where(l => !l.StartsWith(LinePrefix, StringComparison.Ordinal)));
        return kept.Length == 0 ? line : kept.TrimEnd('\n') + "\n" + line;
    }

    [GeneratedRegex(@"^temperature: T = ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex TemperatureLine();
}
