using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs import --from model.onnx --out model.eclw</c>: a model made elsewhere as a float32 .eclw. A refused
/// graph names the node and what would be needed, and nothing is written.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var from = new Option<FileInfo>("--from") { Description = "The model to import: .onnx (opsets 6-17: torch.onnx.export, tf2onnx, eclairs export-onnx).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The float32 .eclw to write (replaced only when the import succeeds).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name (at most 63 UTF-8 bytes; default: from the file)." };
        var threshold = new Option<float?>("--threshold") { Description = "Decision threshold on the probability, in [0, 1] (default: from the file, else 0.5)." };
        var snrInput = new Option<string?>("--snr-input") { Description = "Name of the SNR input of a two-input graph (default: snr)." };
        var maskInput = new Option<string?>("--mask-input") { Description = "Name of the mask input of a two-input graph (default: mask)." };
        var command = new Command("import", "Import a model made elsewhere (ONNX) as a float32 .eclw; unsupported graphs are refused naming the node.")
        {
            from, output, name, threshold, snrInput, maskInput,
        };
        command.SetAction(parse =>
        {
            FileInfo source = parse.GetValue(from)!;
            FileInfo destination = parse.GetValue(output)!;
            try
            {
                var options = new OnnxImportOptions
                {
                    Name = parse.GetValue(name),
                    DecisionThreshold = parse.GetValue(threshold),
                    SnrInput = parse.GetValue(snrInput),
                    MaskInput = parse.GetValue(maskInput),
                    Source = source.Name,
                };
                OnnxImportResult result = OnnxImporter.Import(File.ReadAllBytes(source.FullName), options);
                WriteAtomically(destination.FullName, EclwWriter.ToBytes(result.Document));
                NetworkDescription network = result.Document.Network;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{destination.FullName}: '{result.Document.Name}', {network.LayerCount} layers ({string.Join(" ", network.Layers.Select(l => l.Kind))}), "
                    + $"{network.ParameterCount} parameters, threshold {result.Document.DecisionThreshold}"));
                foreach (string note in result.Notes)
                {
                    Console.WriteLine("note: " + note);
                }
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxImportException or ModelFormatException)
            {
                Console.Error.WriteLine($"import: {source.Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Writes beside the destination, then renames: a failure leaves any earlier file as it was.</summary>
    private static void WriteAtomically(string path, byte[] bytes)
    {
        string temporary = path + ".partial";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
