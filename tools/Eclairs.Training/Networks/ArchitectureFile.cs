using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eclairs.Training.Export;
using Engine = Eclairs.Onboard.Inference;

namespace Eclairs.Training.Networks;

/// <summary>
/// An architecture as a JSON file, the layers written as <c>describe</c> prints them (<see cref="LayerText"/>):
/// <code>
/// { "name": "compact-v2", "input": [56, 56],
///   "layers": ["conv2d 3x3 16 same relu", "maxpool 2x2", "conv2d 3x3 32 same relu", "globalavgpool",
///              "dense 32 relu", "dropout 0.3", "dense 1"] }
/// </code>
/// Input (SNR and mask as two channels) and the final sigmoid are implied; the last layer gives the one logit.
/// "input" may be left out (56 x 56). The file is checked by the engine's own description rules, so whatever
/// loads here trains, exports and runs.
/// </summary>
public static class ArchitectureFile
{
    /// <exception cref="FormatException">Not an architecture; the message names the file and the layer.</exception>
    public static NetworkSpec Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    public static NetworkSpec Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        FormatException Bad(string what, Exception? inner = null) => new($"{source}: {what}", inner);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Bad($"not JSON ({e.Message})", e);
        }

        if (root is not JsonObject obj)
        {
            throw Bad("expected an object { \"name\": ..., \"layers\": [...] }");
        }

        foreach (string key in obj.Select(p => p.Key))
        {
            if (key is not ("name" or "input" or "layers" or "comment"))
            {
                throw Bad($"unknown key '{key}' (keys: name, input, layers, comment)");
            }
        }

        string name = obj["name"] is JsonValue n && n.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) && s.Length <= Engine.ModelDocument.MaxNameBytes
            ? s
            : throw Bad($"\"name\" must be a string of 1..{Engine.ModelDocument.MaxNameBytes} characters");
        (int height, int width) = (Engine.Architectures.SubImageSide, Engine.Architectures.SubImageSide);
        if (obj["input"] is { } inputNode)
        {
            if (inputNode is not JsonArray { Count: 2 } dims || !TryInt(dims[0], out height) || !TryInt(dims[1], out width) || height < 1 || width < 1)
            {
                throw Bad("\"input\" must be [height, width] in pixels");
            }
        }

        if (obj["layers"] is not JsonArray array || array.Count == 0)
        {
            throw Bad("\"layers\" must be a non-empty array of layer strings, e.g. \"conv2d 3x3 16 same relu\"");
        }

        var layers = new List<LayerSpec>();
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue v || !v.TryGetValue(out string? text))
            {
                throw Bad($"layers[{i}] is not a string; a layer is {LayerText.Grammar}");
            }

            try
            {
                layers.Add(LayerText.Parse(text));
            }
            catch (FormatException e)
            {
                throw Bad($"layers[{i}] {e.Message}", e);
            }
        }

        var spec = new NetworkSpec(name, new TensorShape(height, width, 2), layers);
        try
        {
            EngineModel.ToDescription(spec);
            _ = new TrainingNetwork(spec);
        }
        catch (Exception e) when (e is Engine.ModelFormatException or ArgumentException)
        {
            throw Bad(InFileTerms(e.Message, array), e);
        }

        return spec;
    }

    /// <summary>The file text for <paramref name="spec"/> (to start an edit from a named architecture).</summary>
    public static string Format(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Format(spec.Name, EngineModel.ToDescription(spec));
    }

    /// <summary>The file text for an engine description (a model file's layers): Input, Concatenate and Sigmoid are implied.</summary>
    public static string Format(string name, Engine.NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        IEnumerable<Engine.LayerSpec> body = network.Layers.Where(l => l is not (Engine.InputLayer or Engine.ConcatenateLayer or Engine.SigmoidLayer));
        var obj = new JsonObject
        {
            ["name"] = name,
            ["input"] = new JsonArray(network.InputHeight, network.InputWidth),
            ["layers"] = new JsonArray(body.Select(l => (JsonNode)JsonValue.Create(LayerText.Format(l))).ToArray()),
        };
        return obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// The engine numbers layers from Input (0) and Concatenate (1), so its "layer i" is the file's layers[i - 2], and
    /// the implied Sigmoid after the last one: its complaint means the last layer does not give one logit.
    /// </summary>
    private static string InFileTerms(string message, JsonArray layers)
    {
        System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(message, @"^layer (\d+): (.*)$");
        if (!m.Success || !int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out int index))
        {
            return message;
        }

        int inFile = index - 2;
        return inFile >= 0 && inFile < layers.Count
            ? $"layers[{inFile}] '{layers[inFile]}': {m.Groups[2].Value}"
            : inFile == layers.Count
                ? $"the last layer must give the one logit the implied sigmoid takes (end with \"dense 1\"): {m.Groups[2].Value}"
                : message;
    }

    private static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue v && v.TryGetValue(out value);
    }
}
