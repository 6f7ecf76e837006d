using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Eclairs.Training.Export;
using Engine = Eclairs.Onboard.Inference;

namespace Eclairs.Training.Networks;

/// <summary>
/// Layers as a person writes and reads them: <c>conv2d 3x3 16 same relu</c>, <c>maxpool 2x2</c>, <c>globalavgpool</c>,
/// <c>flatten</c>, <c>dense 32 relu</c>, <c>dropout 0.3</c>, <c>dense 1</c> (no activation word: linear). <c>eclairs
/// describe</c> prints them, architecture files (<see cref="ArchitectureFile"/>) hold them, and each layer has a name
/// (conv1, pool1, dense2 ...) that <c>--freeze</c> takes beside its index.
/// </summary>
public static class LayerText
{
    /// <summary>The grammar, for error messages and help.</summary>
    public const string Grammar =
        "conv2d KxK FILTERS [same|valid] [relu] | maxpool 2x2 | globalavgpool | flatten | dense UNITS [relu] | dropout RATE";

    /// <summary>The text of one layer of an engine description.</summary>
    public static string Format(Engine.LayerSpec layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer switch
        {
            Engine.InputLayer i => string.Create(CultureInfo.InvariantCulture, $"input {i.Height}x{i.Width} snr, mask"),
            Engine.ConcatenateLayer => "concatenate snr+mask",
            Engine.Conv2DLayer c => string.Create(CultureInfo.InvariantCulture,
                $"conv2d {c.KernelSize}x{c.KernelSize} {c.Filters} {(c.Padding == Engine.Padding.Same ? "same" : "valid")}{Relu(c.Activation)}"),
            Engine.MaxPool2DLayer => "maxpool 2x2",
            Engine.GlobalAveragePoolLayer => "globalavgpool",
            Engine.FlattenLayer => "flatten",
            Engine.DenseLayer d => string.Create(CultureInfo.InvariantCulture, $"dense {d.Units}{Relu(d.Activation)}"),
            Engine.DropoutLayer d => string.Create(CultureInfo.InvariantCulture, $"dropout {d.Rate:0.###}"),
            Engine.SigmoidLayer => "sigmoid",
            _ => layer.Kind.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>
    /// The name of every layer of <paramref name="network"/>, by position: input, concat, then the kind and its count
    /// (conv1, pool1, gap1, flatten1, dense1, dropout1, ...), and sigmoid.
    /// </summary>
    public static IReadOnlyList<string> Names(Engine.NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (Engine.LayerSpec layer in network.Layers)
        {
            string kind = layer switch
            {
                Engine.InputLayer => "input",
                Engine.ConcatenateLayer => "concat",
                Engine.SigmoidLayer => "sigmoid",
                Engine.Conv2DLayer => "conv",
                Engine.MaxPool2DLayer => "pool",
                Engine.GlobalAveragePoolLayer => "gap",
                Engine.FlattenLayer => "flatten",
                Engine.DenseLayer => "dense",
                Engine.DropoutLayer => "dropout",
                _ => layer.Kind.ToString().ToLowerInvariant(),
            };
            if (kind is "input" or "concat" or "sigmoid")
            {
                names.Add(kind);
                continue;
            }

            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            names.Add(kind + counts[kind].ToString(CultureInfo.InvariantCulture));
        }

        return names;
    }

    /// <summary>
    /// Engine-description indices of the layers named in a comma-separated list of names (conv1) or indices (2), as
    /// <c>describe</c> prints them. Only layers with parameters can be chosen.
    /// </summary>
    /// <exception cref="FormatException">An unknown name or index, or a layer without parameters.</exception>
    public static IReadOnlySet<int> Select(string list, Engine.NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<string> names = Names(network);
        var chosen = new SortedSet<int>();
        foreach (string raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int index = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                ? i
                : names.ToList().FindIndex(n => string.Equals(n, raw, StringComparison.OrdinalIgnoreCase));
            if (index < 0 || index >= names.Count)
            {
                throw new FormatException($"'{raw}' is not a layer of this network; layers: {string.Join(", ", names.Select((n, k) => $"{k} {n}"))}");
            }

            if (network.LayerInfos[index].ParameterCount == 0)
            {
                throw new FormatException($"layer {index} ({names[index]}, {Format(network.Layers[index])}) has no parameters to freeze");
            }

            chosen.Add(index);
        }

        return chosen;
    }

    /// <summary>Reads one layer of the grammar (<see cref="Grammar"/>) into the trainer's layer.</summary>
    /// <exception cref="FormatException">The text is not a layer; the message says what was expected.</exception>
    public static LayerSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] w = text.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length == 0)
        {
            throw new FormatException("an empty layer; a layer is " + Grammar);
        }

        FormatException Bad(string what) => new($"'{text.Trim()}': {what}");
        switch (w[0])
        {
            case "conv2d":
                if (w.Length < 3 || w.Length > 5)
                {
                    throw Bad("expected conv2d KxK FILTERS [same|valid] [relu]");
                }

                int k = Kernel(w[1], Bad);
                int filters = Count(w[2], "FILTERS", Bad);
                Padding padding = Padding.Same;
                Activation activation = Activation.None;
                foreach (string option in w.Skip(3))
                {
                    switch (option)
                    {
                        case "same": padding = Padding.Same; break;
                        case "valid": padding = Padding.Valid; break;
                        case "relu": activation = Activation.Relu; break;
                        case "linear": activation = Activation.None; break;
                        default: throw Bad($"'{option}' is not same, valid or relu");
                    }
                }

                return new Conv2DSpec(filters, k, padding, activation);
            case "maxpool" when w.Length == 1 || (w.Length == 2 && w[1] == "2x2"):
                return new MaxPool2DSpec();
            case "maxpool":
                throw Bad("only 2x2 max pooling (stride 2) is run by the engine: maxpool 2x2");
            case "globalavgpool" or "gap" when w.Length == 1:
                return new GlobalAveragePoolSpec();
            case "flatten" when w.Length == 1:
                return new FlattenSpec();
            case "dense" when w.Length is 2 or 3:
                if (w.Length == 3 && w[2] is not ("relu" or "linear"))
                {
                    throw Bad($"'{w[2]}' is not relu");
                }

                return new DenseSpec(Count(w[1], "UNITS", Bad), w.Length == 3 && w[2] == "relu" ? Activation.Relu : Activation.None);
            case "dropout" when w.Length == 2:
                if (!double.TryParse(w[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !(rate >= 0 && rate < 1))
                {
                    throw Bad($"dropout rate '{w[1]}' is not a number in [0, 1)");
                }

                return new DropoutSpec(rate);
            default:
                throw Bad("not a layer; a layer is " + Grammar);
        }
    }

    /// <summary>The text of one trainer layer (the engine's text of the same layer).</summary>
    public static string Format(LayerSpec layer) => Format(EngineModel.ToEngine(layer));

    private static int Kernel(string word, Func<string, FormatException> bad)
    {
        string[] parts = word.Split('x');
        if (parts.Length != 2 || parts[0] != parts[1] || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k is not (3 or 5))
        {
            throw bad($"kernel '{word}' is not 3x3 or 5x5 (the kernels the engine runs)");
        }

        return k;
    }

    private static int Count(string word, string what, Func<string, FormatException> bad) =>
        int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= Engine.NetworkDescription.MaxDimension
            ? n
            : throw bad($"{what} '{word}' is not a whole number in 1..{Engine.NetworkDescription.MaxDimension}");

    private static string Relu(Engine.Activation activation) => activation == Engine.Activation.Relu ? " relu" : "";
}
