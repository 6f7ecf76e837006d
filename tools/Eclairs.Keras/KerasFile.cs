using System;
using System.IO;
using System.IO.Compression;
using System.Text.Json;
using PureHDF;

namespace Eclairs.Keras;

/// <summary>
/// An opened Keras model: its configuration and its weights. <c>.h5</c>: Keras 2's HDF5 (root attribute
/// model_config, group model_weights). <c>.keras</c>: Keras 3's zip (config.json, model.weights.h5).
/// </summary>
internal sealed class KerasFile : IDisposable
{
    private readonly IDisposable _hdf5;

    private KerasFile(KerasConfig config, KerasWeights weights, string format, IDisposable hdf5)
    {
        Config = config;
        Weights = weights;
        Format = format;
        _hdf5 = hdf5;
    }

    public KerasConfig Config { get; }

    public KerasWeights Weights { get; }

    /// <summary>"Keras 2 HDF5 (keras_version 2.2.4)" or "Keras 3 (keras_version 3.3.3)".</summary>
    public string Format { get; }

    public static KerasFile Open(byte[] bytes)
    {
        if (bytes.Length >= 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K')
        {
            return OpenKeras3(bytes);
        }
        if (bytes.Length >= 8 && bytes[0] == 0x89 && bytes[1] == (byte)'H' && bytes[2] == (byte)'D' && bytes[3] == (byte)'F')
        {
            return OpenKeras2(bytes);
        }
        throw new KerasImportException("the file is neither an HDF5 file (Keras 2 .h5) nor a zip (Keras 3 .keras)", needed: null);
    }

    public void Dispose() => _hdf5.Dispose();

    private static KerasFile OpenKeras2(byte[] bytes)
    {
        var file = H5File.Open(new MemoryStream(bytes, writable: false), leaveOpen: false);
        try
        {
            if (!file.AttributeExists("model_config"))
            {
                throw new KerasImportException("the HDF5 file has no model_config attribute (a weights-only file, from save_weights?)",
                    "a whole model saved with model.save(\"model.h5\")");
            }
            using JsonDocument json = JsonDocument.Parse(file.Attribute("model_config").Read<string>());
            KerasConfig config = KerasConfig.Parse(json.RootElement.Clone());
            string version = file.AttributeExists("keras_version") ? file.Attribute("keras_version").Read<string>() : "unknown";
            IH5Group weights = file.LinkExists("model_weights") ? file.Group("model_weights") : file;
            return new KerasFile(config, new Keras2Weights(weights), $"Keras 2 HDF5 (keras_version {version})", file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static KerasFile OpenKeras3(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        ZipArchiveEntry entry = zip.GetEntry("config.json") ?? throw new KerasImportException("the zip has no config.json", "a model saved with model.save(\"model.keras\")");
        KerasConfig config;
        using (Stream s = entry.Open())
        using (JsonDocument json = JsonDocument.Parse(s))
        {
            config = KerasConfig.Parse(json.RootElement.Clone());
        }
        string version = "unknown";
        if (zip.GetEntry("metadata.json") is { } metadata)
        {
            using Stream s = metadata.Open();
            using JsonDocument json = JsonDocument.Parse(s);
            version = json.RootElement.TryGetProperty("keras_version", out JsonElement v) ? v.GetString() ?? version : version;
        }
        ZipArchiveEntry weightsEntry = zip.GetEntry("model.weights.h5")
            ?? throw new KerasImportException("the zip has no model.weights.h5", "a model saved with model.save(\"model.keras\")");
        var buffer = new MemoryStream();
        using (Stream s = weightsEntry.Open())
        {
            s.CopyTo(buffer);
        }
        buffer.Position = 0;
        var file = H5File.Open(buffer, leaveOpen: false);
        return new KerasFile(config, new Keras3Weights(file, config), $"Keras 3 (keras_version {version})", file);
    }
}
