using System;
using System.CommandLine;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs export-onnx --model m.eclw --out m.onnx</c>: the model as a standard ONNX graph (int8 models as QDQ).</summary>
internal static class ExportOnnxCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Float32 or int8 .eclw model to export.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "ONNX file to write (replaced if present).", Required = true };
        var command = new Command("export-onnx",
            "Write a .eclw model as an ONNX graph (IR 8, opset 17): inputs snr and mask [1,1,H,W] float, outputs logit and probability [1,1]; "
            + "an int8 model becomes a QDQ graph (QuantizeLinear/DequantizeLinear around every Conv and Gemm, per-channel weight scales) "
            + "with a third output, raw_logit [1,1] int8.")
        {
            model,
            output,
        };
        command.SetAction(parse =>
        {
            FileInfo source = parse.GetValue(model)!;
            FileInfo destination = parse.GetValue(output)!;
            try
            {
                ModelDocument document = EclwReader.Read(File.ReadAllBytes(source.FullName));
                byte[] onnx = OnnxExporter.Export(document);
                File.WriteAllBytes(destination.FullName, onnx);
                Console.WriteLine($"{destination.FullName}: {onnx.Length} bytes, {document.Network.LayerCount} layers, "
                    + $"{document.Network.ParameterCount} parameters, {(document.NumberFormat == NumberFormat.Int8 ? "Int8 (QDQ)" : "Float32")}, "
                    + $"opset {OnnxExporter.OpsetVersion}");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModelFormatException or NotSupportedException)
            {
                Console.Error.WriteLine($"export-onnx: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
