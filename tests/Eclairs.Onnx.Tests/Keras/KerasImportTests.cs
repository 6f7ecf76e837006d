using System;
using System.IO;
using System.Linq;
using Eclairs.Keras;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// Keras files written by h5py in Keras' layouts (tools/keras-fixtures/make_fixtures.py): imported, run by the
/// engine, and compared with the probabilities of a plain numpy forward pass of the same network as Keras defines it.
/// </summary>
public class KerasImportTests
{
    private const string Directory = "tests/Eclairs.Onnx.Tests/Fixtures/keras/";

    [Theory]
    [InlineData("sequential.h5", "sequential", KernelPath.Scalar)]
    [InlineData("sequential.h5", "sequential", KernelPath.Auto)]
    [InlineData("functional.keras", "functional", KernelPath.Scalar)]
    [InlineData("functional.keras", "functional", KernelPath.Auto)]
    [InlineData("functional.h5", "functional", KernelPath.Auto)]
    [InlineData("residual.keras", "residual", KernelPath.Scalar)]
    [InlineData("residual.keras", "residual", KernelPath.Auto)]
    public void Keras_files_import_and_match_the_reference(string file, string network, KernelPath path)
    {
        KerasImportResult imported = KerasImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + file)));
        InferenceContext engine = Model.FromDocument(imported.Document, new ModelOptions { KernelPath = path }).CreateContext();
        using var alerts = new NpzReader(RepositoryFiles.Path(Directory + "alerts.npz"));
        using var outputs = new NpzReader(RepositoryFiles.Path(Directory + network + ".outputs.npz"));
        float[] snr = alerts.ReadFloat32("snr").Data, expected = outputs.ReadFloat32("probability").Data;
        byte[] mask = alerts.ReadUInt8("mask").Data;
        const int Pixels = 32 * 32;
        for (int n = 0; n < expected.Length; n++)
        {
            float p = engine.Classify(snr.AsSpan(n * Pixels, Pixels), mask.AsSpan(n * Pixels, Pixels)).Probability;
            Assert.True(Math.Abs(p - expected[n]) <= 1e-4, $"{file} alert {n}: engine {p:R}, reference {expected[n]:R}");
        }
        Assert.True(expected.Max() - expected.Min() > 0.02, "the reference probabilities hardly differ: the comparison would say little");
    }

    [Fact]
    public void The_sequential_model_maps_layer_by_layer()
    {
        KerasImportResult imported = KerasImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + "sequential.h5")));
        Assert.Equal("Keras 2 HDF5 (keras_version 2.15.0)", imported.Format);
        Assert.Equal(
        [
            new InputLayer(32, 32), new ConcatenateLayer(), new Conv2DLayer(8, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(),
            new Conv2DLayer(16, 5, Padding.Valid, Activation.Relu), new MaxPool2DLayer(), new FlattenLayer(), new DenseLayer(16, Activation.Relu),
            new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ], imported.Document.Network.Layers);
        // Kernels are taken as stored (HWIO, [in][out]); the batch norm after conv2d_1 is folded into it.
        Assert.Equal(imported.StoredParameters - (4 * 16) + 16, imported.Document.Network.ParameterCount);
    }

    [Fact]
    public void Keras_2_and_Keras_3_files_of_one_model_give_the_same_document()
    {
        ModelDocument h5 = KerasImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + "functional.h5"))).Document;
        ModelDocument keras = KerasImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + "functional.keras"))).Document;
        Assert.Equal(h5.Network.Layers, keras.Network.Layers);
        ExportImportRoundTripTests.AssertSameTensors(h5, keras);
    }

    [Fact]
    public void A_residual_model_maps_to_add_branch_and_strided_layers()
    {
        KerasImportResult imported = KerasImporter.Import(File.ReadAllBytes(RepositoryFiles.Path(Directory + "residual.keras")));
        Assert.Equal(
        [
            new InputLayer(32, 32), new ConcatenateLayer(), new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
            new Conv2DLayer(8, 3, Padding.Same, Activation.Relu), new AddLayer(2, Activation.None),
            new Conv2DLayer(8, 3, Padding.Valid, Activation.Relu), new AveragePool2DLayer(),
            new GeneralConv2DLayer(16, 3, 2, Padding.Same, Activation.Relu), new BranchLayer(6),
            new GeneralConv2DLayer(16, 1, 2, Padding.Same, Activation.None), new AddLayer(7, Activation.Relu),
            new GlobalAveragePoolLayer(), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ], imported.Document.Network.Layers);
    }

    [Fact]
    public void Not_a_Keras_file_is_refused()
    {
        Assert.Contains("neither an HDF5 file", Assert.Throws<KerasImportException>(() => KerasImporter.Import("hello"u8.ToArray())).Message, StringComparison.Ordinal);
        byte[] truncated = File.ReadAllBytes(RepositoryFiles.Path(Directory + "sequential.h5"))[..4096];
        Assert.Throws<KerasImportException>(() => KerasImporter.Import(truncated));
    }
}
