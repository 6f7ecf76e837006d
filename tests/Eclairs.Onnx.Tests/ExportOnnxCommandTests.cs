using System;
using System.IO;
using Eclairs.Cli.Tests;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary><c>eclairs export-onnx</c> run as a process, as a user runs it.</summary>
public sealed class ExportOnnxCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eclairs-onnx-" + Guid.NewGuid().ToString("N"));

    public ExportOnnxCommandTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void Writes_the_graph_the_library_exports_and_ORT_runs_it()
    {
        ModelDocument document = TestModels.Random(Architectures.CompactV1(), 31);
        string eclw = Path.Combine(_directory, "m.eclw"), onnx = Path.Combine(_directory, "m.onnx");
        File.WriteAllBytes(eclw, EclwWriter.ToBytes(document));

        (int code, string output, string error) = Eclairs("export-onnx", "--model", eclw, "--out", onnx);

        Assert.True(code == 0, error);
        Assert.Contains("41201 parameters", output, StringComparison.Ordinal);
        byte[] written = File.ReadAllBytes(onnx);
        Assert.Equal(OnnxExporter.Export(document), written);
        using var runtime = new OrtRunner(written, 56, 56);
        (float[] snr, byte[] mask) = TestModels.Alert(56, 1, 4);
        float expected = Model.FromDocument(document).CreateContext().Classify(snr, mask).Logit;
        Assert.Equal(expected, runtime.Run(snr, mask)[OnnxExporter.LogitOutput][0], 1e-4f * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void Writes_an_int8_model_as_a_QDQ_graph()
    {
        string eclw = RepositoryFiles.Path("weights/eclairs-compact-v1.int8.eclw"), onnx = Path.Combine(_directory, "q.onnx");

        (int code, string output, string error) = Eclairs("export-onnx", "--model", eclw, "--out", onnx);

        Assert.True(code == 0, error);
        Assert.Contains("Int8 (QDQ)", output, StringComparison.Ordinal);
        Assert.Equal(OnnxExporter.Export(File.ReadAllBytes(eclw)), File.ReadAllBytes(onnx));
    }

    [Fact]
    public void A_corrupt_model_is_reported_and_no_file_is_written()
    {
        byte[] file = EclwWriter.ToBytes(TestModels.Random(Architectures.CompactV1(), 31));
        file[200] ^= 0x40;
        string eclw = Path.Combine(_directory, "bad.eclw"), onnx = Path.Combine(_directory, "bad.onnx");
        File.WriteAllBytes(eclw, file);

        (int code, _, string error) = Eclairs("export-onnx", "--model", eclw, "--out", onnx);

        Assert.Equal(1, code);
        Assert.Contains("CRC", error, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void A_missing_model_file_is_reported()
    {
        (int code, _, string error) = Eclairs("export-onnx", "--model", Path.Combine(_directory, "none.eclw"), "--out", Path.Combine(_directory, "x.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("none.eclw", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Code, string Output, string Error) Eclairs(params string[] arguments) => EclairsProcess.Run(arguments);
}
