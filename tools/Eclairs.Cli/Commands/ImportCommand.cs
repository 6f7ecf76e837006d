using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Keras;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs import --from model.onnx|model.h5|model.keras --out model.eclw</c>: a model made elsewhere as a float32
/// .eclw. A refused graph names the node or layer and what would be needed, and nothing is written.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var from = new Option<FileInfo>("--from") { Description = "The model to import: .onnx (opsets 1-17: torch.onnx.export, tf2onnx, eclairs export-onnx), .h5 (Keras 2) or .keras (Keras 3).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The float32 .eclw to write (replaced only when the import succeeds).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name (at most 63 UTF-8 bytes; default: from the file)." };
        var threshold = new Option<float?>("--threshold") { Description = "Decision threshold on the probability, in [0, 1] (default: from the file, else 0.5)." };
        var snrInput = new Option<string?>("--snr-input") { Description = "Name of the SNR input of a two-input graph (default: snr)." };
        var maskInput = new Option<string?>("--mask-input") { Description = "Name of the mask input of a two-input graph (default: mask)." };
        var command = new Command("import", "Import a model made elsewhere (ONNX, Keras .h5/.keras) as a float32 .eclw; unsupported graphs are refused naming the node or layer.")
        {
            from, output, name, threshold, snrInput, maskInput,
        };
        command.SetAction(parse =>
        {
            FileInfo source = parse.GetValue(from)!;
            FileInfo destination = parse.GetValue(output)!;
            try
            {
                byte[] bytes = File.ReadAllBytes(source.FullName);
                (ModelDocument document, IReadOnlyList<string> notes) = source.Extension.ToLowerInvariant() switch
                {
                    ".h5" or ".hdf5" or ".keras" => FromKeras(bytes, new KerasImportOptions
                    {
                        Name = parse.GetValue(name), DecisionThreshold = parse.GetValue(threshold),
                        SnrInput = parse.GetValue(snrInput), MaskInput = parse.GetValue(maskInput), Source = source.Name,
                    }),
                    ".onnx" => FromOnnx(bytes, new OnnxImportOptions
                    {
                        Name = parse.GetValue(name), DecisionThreshold = parse.GetValue(threshold),
                        SnrInput = parse.GetValue(snrInput), MaskInput = parse.GetValue(maskInput), Source = source.Name,
                    }),
                    string other => throw new IOException($"unknown model file type '{other}' (.onnx, .h5 or .keras)"),
                };
                WriteAtomically(destination.FullName, EclwWriter.ToBytes(document));
                NetworkDescription network = document.Network;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{destination.FullName}: '{document.Name}', {network.LayerCount} layers ({string.Join(" ", network.Layers.Select(l => l.Kind))}), "
                    + $"{network.ParameterCount} parameters, threshold {document.DecisionThreshold}"));
                foreach (string note in notes)
                {
                    Console.WriteLine("note: " + note);
                }
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxImportException or KerasImportException or ModelFormatException)
            {
                Console.Error.WriteLine($"import: {source.Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static (ModelDocument, IReadOnlyList<string>) FromOnnx(byte[] bytes, OnnxImportOptions options)
    {
        OnnxImportResult r = OnnxImporter.Import(bytes, options);
        return (r.Document, r.Notes);
    }

    private static (ModelDocument, IReadOnlyList<string>) FromKeras(byte[] bytes, KerasImportOptions options)
    {
        KerasImportResult r = KerasImporter.Import(bytes, options);
        return (r.Document, [$"read as {r.Format}: {r.KerasLayers} Keras layers, {r.StoredParameters} stored values", .. r.Notes]);
    }

    /// <summary>Writes beside the destination, then renames: a failure leaves any earlier file as it was.</summary>
    private static void WriteAtomically(string path, byte[] bytes)
    {
        string temporary = path + ".partial";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
