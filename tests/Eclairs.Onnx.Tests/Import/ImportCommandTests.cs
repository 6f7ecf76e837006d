using System;
using System.IO;
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
        string onnx = RepositoryFiles.Path("tests/Eclairs.Onnx.Tests/Fixtures/torch/residual.onnx"), eclw = Path.Combine(_directory, "r.eclw");
        File.WriteAllText(eclw, "earlier");

        (int code, _, string error) = EclairsProcess.Run("import", "--from", onnx, "--out", eclw);

        Assert.Equal(1, code);
        Assert.Contains("(Add)", error, StringComparison.Ordinal);
        Assert.Contains("would need a residual Add layer", error, StringComparison.Ordinal);
        Assert.Equal("earlier", File.ReadAllText(eclw));
        Assert.False(File.Exists(eclw + ".partial"));
    }

    [Fact]
    public void Imports_a_Keras_3_file_and_refuses_a_residual_one()
    {
        string keras = RepositoryFiles.Path("tests/Eclairs.Onnx.Tests/Fixtures/keras/functional.keras"), eclw = Path.Combine(_directory, "k.eclw");

        (int code, string output, string error) = EclairsProcess.Run("import", "--from", keras, "--out", eclw);

        Assert.True(code == 0, error);
        Assert.Contains("read as Keras 3 (keras_version 3.3.3)", output, StringComparison.Ordinal);
        Assert.Equal(EclwWriter.ToBytes(Eclairs.Keras.KerasImporter.Import(File.ReadAllBytes(keras), new Eclairs.Keras.KerasImportOptions { Source = "functional.keras" }).Document),
            File.ReadAllBytes(eclw));

        (code, _, error) = EclairsProcess.Run("import", "--from", RepositoryFiles.Path("tests/Eclairs.Onnx.Tests/Fixtures/keras/residual.keras"),
            "--out", Path.Combine(_directory, "r.eclw"));
        Assert.Equal(1, code);
        Assert.Contains("layer 5 'add' (Add)", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "r.eclw")));
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
