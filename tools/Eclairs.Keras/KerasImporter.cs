using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx;

namespace Eclairs.Keras;

/// <summary>Choices for <see cref="KerasImporter.Import"/>; every one may be left null.</summary>
public sealed record KerasImportOptions
{
    /// <summary>Model name (default: the model's name in its configuration).</summary>
    public string? Name { get; init; }

    /// <summary>Decision threshold on the probability (default 0.5).</summary>
    public float? DecisionThreshold { get; init; }

    /// <summary>Name of the SNR input of a two-input model (default: "snr").</summary>
    public string? SnrInput { get; init; }

    /// <summary>Name of the mask input of a two-input model (default: "mask").</summary>
    public string? MaskInput { get; init; }

    /// <summary>Recorded in the provenance (the file's name).</summary>
    public string? Source { get; init; }
}

/// <summary>What a Keras file holds: its format, model class, layers (name, class) and stored variables.</summary>
public sealed record KerasModelSummary(string Format, string ModelClass, IReadOnlyList<(string Name, string ClassName)> Layers, int Tensors, long Parameters);

/// <summary>An imported Keras model and what the user should know about it.</summary>
public sealed record KerasImportResult(ModelDocument Document, IReadOnlyList<string> Notes, string Format, int KerasLayers, long StoredParameters);

/// <summary>
/// Imports a Keras 2 (.h5: model_config + model_weights) or Keras 3 (.keras: config.json + model.weights.h5) model
/// as a float32 <see cref="ModelDocument"/>: Sequential and Functional models with one 2-channel input or SNR and mask
/// inputs joined by Concatenate; Conv2D, MaxPooling2D, GlobalAveragePooling2D, Flatten, Dense, Dropout,
/// BatchNormalization (folded), Activation/ReLU (fused), Rescaling of the SNR. Everything else is refused naming the
/// layer, after the whole configuration and every stored weight have been read.
/// </summary>
public static class KerasImporter
{
    /// <exception cref="KerasImportException">The model is refused (the message names the layer and what is needed).</exception>
    public static KerasImportResult Import(byte[] file, KerasImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Guarded(() => ImportReadable(file, options ?? new KerasImportOptions()));
    }

    private static KerasImportResult ImportReadable(byte[] file, KerasImportOptions options)
    {
        using KerasFile keras = KerasFile.Open(file);
        // Read every layer's weights first: a file whose weights cannot be read is reported as such, not as its first
        // unsupported layer.
        long stored = keras.Config.Layers.Sum(l => keras.Weights.Of(l).Sum(t => (long)t.Values.Length));
        var translator = new KerasTranslator(keras, options);
        translator.Run();
        var specs = translator.Layers.Select(l => l.Spec).ToList();
        if (translator.EndsWithSigmoid)
        {
            specs.Add(new SigmoidLayer());
        }
        else if (translator.Layers[^1].Output.Size == 1)
        {
            specs.Add(new SigmoidLayer());
            translator.Notes.Add("the model outputs the logit; the engine's classifier applies the Sigmoid after it");
        }
        NetworkDescription network;
        try
        {
            network = new NetworkDescription(specs);
        }
        catch (ModelFormatException e)
        {
            throw new KerasImportException("the layers found do not form a network the engine runs: " + e.Message, needed: null);
        }
        string name = options.Name ?? (keras.Config.Name.Length > 0 ? keras.Config.Name : "imported");
        if (options.Name == null && Encoding.UTF8.GetByteCount(name) > ModelDocument.MaxNameBytes)
        {
            name = name[..ModelDocument.MaxNameBytes];
        }
        var provenance = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"imported from {keras.Format} by eclairs import: {options.Source ?? "(bytes)"}, SHA-256 {Convert.ToHexStringLower(SHA256.HashData(file))}"));
        foreach (string note in translator.Notes)
        {
            provenance.Append("; ").Append(note);
        }
        ModelDocument document = ModelDocument.FromParameters(name, network,
            translator.Layers.Where(l => l.Weights != null).SelectMany(l => new[] { l.Weights!, l.Bias! }).ToArray()) with
        {
            DecisionThreshold = options.DecisionThreshold ?? 0.5f,
            Normalization = translator.Normalization,
            Provenance = provenance.ToString(),
        };
        try
        {
            document.Validate();
        }
        catch (ModelFormatException e)
        {
            throw new KerasImportException("the imported model does not validate: " + e.Message, needed: null);
        }
        return new KerasImportResult(document, translator.Notes, keras.Format, keras.Config.Layers.Count, stored);
    }

    /// <summary>Reads the configuration and every stored weight without translating: what the file holds.</summary>
    /// <exception cref="KerasImportException">The file cannot be read as a Keras model.</exception>
    public static KerasModelSummary Inspect(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Guarded(() =>
        {
            using KerasFile keras = KerasFile.Open(file);
            var tensors = keras.Config.Layers.SelectMany(l => keras.Weights.Of(l)).ToArray();
            return new KerasModelSummary(keras.Format, keras.Config.ModelClass, keras.Config.Layers.Select(l => (l.Name, l.ClassName)).ToArray(),
                tensors.Length, tensors.Sum(t => (long)t.Values.Length));
        });
    }

    /// <summary>
    /// A damaged or foreign file fails somewhere inside the zip, JSON or HDF5 readers, with their own exception types
    /// (end of stream, invalid data, missing keys ...): all of them are the one refusal "cannot be read".
    /// </summary>
    private static T Guarded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not KerasImportException and not OutOfMemoryException)
        {
            throw new KerasImportException($"the file cannot be read as a Keras model ({e.GetType().Name}: {e.Message})", e);
        }
    }
}
