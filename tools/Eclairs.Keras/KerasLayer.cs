using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace Eclairs.Keras;

/// <summary>One layer of a Keras model configuration: its class, name, configuration and the layers it reads.</summary>
internal sealed record KerasLayer(int Index, string ClassName, string Name, JsonElement Config, IReadOnlyList<string> Inbound)
{
    public KerasImportException Refuse(string problem, string? needed) => new(problem, needed, ClassName, Name, Index);

    public string String(string key, string fallback) =>
        Config.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;

    public double Number(string key, double fallback) =>
        Config.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    public bool Bool(string key, bool fallback) =>
        Config.TryGetProperty(key, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    /// <summary>An integer list (kernel_size, strides, ...), a single integer repeated, or null when absent or null.</summary>
    public long[]? Ints(string key, int rank) => Config.TryGetProperty(key, out JsonElement v) ? v.ValueKind switch
    {
        JsonValueKind.Array => v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? -1L : e.GetInt64()).ToArray(),
        JsonValueKind.Number => Enumerable.Repeat(v.GetInt64(), rank).ToArray(),
        _ => null,
    } : null;

    /// <summary>The activation's name ("relu", "linear", ...); Keras 3 may serialise it as an object.</summary>
    public string Activation() => Config.TryGetProperty("activation", out JsonElement v) ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Object when v.TryGetProperty("config", out JsonElement c) && c.TryGetProperty("name", out JsonElement n) => n.GetString()!,
        JsonValueKind.Object when v.TryGetProperty("class_name", out JsonElement n) => n.GetString()!.ToLowerInvariant(),
        _ => "linear",
    } : "linear";
}

/// <summary>
/// The model configuration (Keras 2 model_config, Keras 3 config.json): Sequential or Functional, its layers in order
/// and, for a functional model, which layers each reads (Keras 2 inbound_nodes [[name, 0, 0, {}]], Keras 3
/// inbound_nodes [{args: [keras tensors with keras_history [name, 0, 0]]}]).
/// </summary>
internal sealed record KerasConfig(string ModelClass, string Name, IReadOnlyList<KerasLayer> Layers, bool IsSequential)
{
    public static KerasConfig Parse(JsonElement root)
    {
        string modelClass = root.TryGetProperty("class_name", out JsonElement c) ? c.GetString() ?? string.Empty : string.Empty;
        if (!root.TryGetProperty("config", out JsonElement config))
        {
            throw new KerasImportException("the model configuration has no 'config'", needed: null);
        }
        bool sequential = modelClass == "Sequential";
        if (!sequential && modelClass is not ("Functional" or "Model"))
        {
            throw new KerasImportException($"a model of class '{modelClass}'", "a Sequential or Functional model (a subclassed model has no configuration to read)");
        }
        JsonElement list = config.ValueKind == JsonValueKind.Array ? config : config.GetProperty("layers");
        string name = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? string.Empty : string.Empty;
        var layers = new List<KerasLayer>();
        string? previous = null;
        JsonElement first = list.EnumerateArray().FirstOrDefault();
        if (sequential && first.ValueKind == JsonValueKind.Object && first.GetProperty("class_name").GetString() != "InputLayer"
            && first.GetProperty("config").TryGetProperty("batch_input_shape", out JsonElement shape))
        {
            // Older Sequential files give the input shape on the first layer instead of an InputLayer.
            using JsonDocument input = JsonDocument.Parse($"{{\"batch_input_shape\": {shape.GetRawText()}, \"name\": \"input\"}}");
            layers.Add(new KerasLayer(0, "InputLayer", "input", input.RootElement.Clone(), []));
            previous = "input";
        }
        foreach (JsonElement l in list.EnumerateArray())
        {
            string cls = l.GetProperty("class_name").GetString() ?? string.Empty;
            JsonElement cfg = l.GetProperty("config");
            string layerName = l.TryGetProperty("name", out JsonElement ln) ? ln.GetString()! : cfg.TryGetProperty("name", out JsonElement cn) ? cn.GetString()! : $"layer{layers.Count}";
            IReadOnlyList<string> inbound = sequential ? (previous == null ? [] : [previous]) : Inbound(l);
            layers.Add(new KerasLayer(layers.Count, cls, layerName, cfg, inbound));
            previous = layerName;
        }
        return new KerasConfig(modelClass, name, layers, sequential);
    }

    private static List<string> Inbound(JsonElement layer)
    {
        var names = new List<string>();
        if (!layer.TryGetProperty("inbound_nodes", out JsonElement nodes) || nodes.ValueKind != JsonValueKind.Array)
        {
            return names;
        }
        if (nodes.GetArrayLength() > 1)
        {
            throw new KerasImportException($"layer '{layer.GetProperty("config").GetProperty("name").GetString()}' is called {nodes.GetArrayLength()} times (shared layer)",
                "each layer used once");
        }
        foreach (JsonElement node in nodes.EnumerateArray())
        {
            Collect(node, names);
        }
        return names;
    }

    /// <summary>Layer names from Keras 2's [name, node, tensor, kwargs] lists or Keras 3's keras_history, in order.</summary>
    private static void Collect(JsonElement e, List<string> names)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array when e.GetArrayLength() >= 3 && e[0].ValueKind == JsonValueKind.String && e[1].ValueKind == JsonValueKind.Number:
                names.Add(e[0].GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (JsonElement x in e.EnumerateArray())
                {
                    Collect(x, names);
                }
                break;
            case JsonValueKind.Object when e.TryGetProperty("keras_history", out JsonElement history):
                names.Add(history[0].GetString()!);
                break;
            case JsonValueKind.Object when e.TryGetProperty("config", out JsonElement config):
                Collect(config, names);
                break;
            case JsonValueKind.Object when e.TryGetProperty("args", out JsonElement args):
                Collect(args, names);
                break;
        }
    }
}
