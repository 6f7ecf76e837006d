using System;
using System.IO;
using Eclairs.Cli.Tests;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary><c>eclairs import</c> run as a process.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eclairs-import-").FullName;

    [Fact]
    public void Imports_a_torch_export_with_the_options_given()
    {
        string onnx = RepositoryFiles.Path("tests/Eclairs.Onnx.Tests/Fixtures/torch/deck_like.onnx"), eclw = Path.Combine(_directory, "m.eclw");

        (int code, string output, string error) = EclairsProcess.Run("import", "--from", onnx, "--out", eclw, "--name", "deck-like", "--threshold", "0.25");

        Assert.True(code == 0, error);
        Assert.Contains("note: the graph outputs the logit", output, StringComparison.Ordinal);
        ModelDocument written = EclwReader.Read(File.ReadAllBytes(eclw));
        Assert.Equal(("deck-like", 0.25f), (written.Name, written.DecisionThreshold));
        ModelDocument library = OnnxImporter.Import(File.ReadAllBytes(onnx), new OnnxImportOptions { Name = "deck-like", DecisionThreshold = 0.25f, Source = "deck_like.onnx" }).Document;
        Assert.Equal(EclwWriter.ToBytes(library), File.ReadAllBytes(eclw));
    }

    [Fact]
    public void A_refused_graph_names_the_node_and_leaves_the_output_untouched()
    {
        // The torch residual network with its first Add made a Sub of two activations, which has no engine layer.
        var model = Eclairs.Onnx.Protobuf.ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryFiles.Path("tests/Eclairs.Onnx.Tests/Fixtures/torch/residual.onnx")));
        System.Linq.Enumerable.First(model.Graph.Node, n => n.OpType == "Add").OpType = "Sub";
        string onnx = Path.Combine(_directory, "sub.onnx"), eclw = Path.Combine(_directory, "r.eclw");
        File.WriteAllBytes(onnx, Google.Protobuf.MessageExtensions.ToByteArray(model));
        File.WriteAllText(eclw, "earlier");

        (int code, _, string error) = EclairsProcess.Run("import", "--from", onnx, "--out", eclw);

        Assert.Equal(1, code);
        Assert.Contains("(Sub)", error, StringComparison.Ordinal);
        Assert.Contains("would need an element-wise Sub layer", error, StringComparison.Ordinal);
        Assert.Equal("earlier", File.ReadAllText(eclw));
        Assert.False(File.Exists(eclw + ".partial"));
    }

    [Fact]
    public void Imports_Keras_3_files_plain_and_residual()
    {
        string keras = RepositoryFiles.Path("tests/Eclairs.Onnx.Tests/Fixtures/keras/functional.keras"), eclw = Path.Combine(_directory, "k.eclw");

        (int code, string output, string error) = EclairsProcess.Run("import", "--from", keras, "--out", eclw);

        Assert.True(code == 0, error);
        Assert.Contains("read as Keras 3 (keras_version 3.3.3)", output, StringComparison.Ordinal);
        Assert.Equal(EclwWriter.ToBytes(Eclairs.Keras.KerasImporter.Import(File.ReadAllBytes(keras), new Eclairs.Keras.KerasImportOptions { Source = "functional.keras" }).Document),
            File.ReadAllBytes(eclw));

        (code, _, error) = EclairsProcess.Run("import", "--from", RepositoryFiles.Path("tests/Eclairs.Onnx.Tests/Fixtures/keras/residual.keras"),
            "--out", Path.Combine(_directory, "r.eclw"));
        Assert.True(code == 0, error);
        Assert.Contains(Model.Load(File.ReadAllBytes(Path.Combine(_directory, "r.eclw"))).Network.Layers, l => l is AddLayer);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        (int code, _, string error) = EclairsProcess.Run("import", "--from", Path.Combine(_directory, "none.onnx"), "--out", Path.Combine(_directory, "x.eclw"));
        Assert.Equal(1, code);
        Assert.Contains("none.onnx", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "x.eclw")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
