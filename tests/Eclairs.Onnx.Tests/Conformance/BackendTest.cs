using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx.Protobuf;
using Google.Protobuf;

namespace Eclairs.Onnx.Tests;

/// <summary>Outcome of one ONNX backend test: passed, refused by the importer (why), or failed (a real defect).</summary>
internal sealed record BackendOutcome(string Test, string Status, string Detail)
{
    public const string Passed = "passed";
    public const string Refused = "refused";
    public const string Failed = "FAILED";
}

/// <summary>
/// One test of the ONNX project's backend suite (Debian's libonnx-testdata: DIR/model.onnx, DIR/test_data_set_0/
/// input_K.pb and output_K.pb as TensorProto). Its first input is the activation; the others (weights, biases, batch
/// norm statistics, which node tests feed as inputs) become constants. Whatever the importer accepts is run by
/// <see cref="LayerRunner"/> sample by sample and must match output_0 within rtol 1e-4 (atol 1e-5); the rest must be
/// refused with the node named.
/// </summary>
internal static class BackendTest
{
    public const string DataRoot = "/usr/share/libonnx-testdata/data";

    public static readonly string[] Suites = ["node", "pytorch-converted", "pytorch-operator"];

    public static IEnumerable<string> All() =>
        Suites.SelectMany(suite => Directory.Exists(Path.Combine(DataRoot, suite))
            ? Directory.GetDirectories(Path.Combine(DataRoot, suite)).Order(StringComparer.Ordinal).Select(d => suite + "/" + Path.GetFileName(d))
            : []);

    public static BackendOutcome Run(string test)
    {
        string directory = Path.Combine(DataRoot, test), data = Path.Combine(directory, "test_data_set_0");
        try
        {
            ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
            if (!Directory.Exists(data))
            {
                return new BackendOutcome(test, BackendOutcome.Refused, "no test_data_set_0");
            }
            TensorProto[] inputs = Directory.GetFiles(data, "input_*.pb").Order(StringComparer.Ordinal).Select(Tensor).ToArray();
            TensorProto[] outputs = Directory.GetFiles(data, "output_*.pb").Order(StringComparer.Ordinal).Select(Tensor).ToArray();
            ConstantiseAllButFirst(model, inputs);
            (IReadOnlyList<ImportedLayer> layers, FeatureSym output) = OnnxImporter.ImportLayers(OnnxGraph.Parse(model.ToByteArray()));
            return Compare(test, layers, output, OnnxTensor.Decode(inputs[0], "input_0"), OnnxTensor.Decode(outputs[0], "output_0"));
        }
        catch (OnnxImportException e)
        {
            return new BackendOutcome(test, BackendOutcome.Refused, e.Message);
        }
    }

    private static BackendOutcome Compare(string test, IReadOnlyList<ImportedLayer> layers, FeatureSym output, OnnxTensor input, OnnxTensor expected)
    {
        if (input.Type != TensorProto.Types.DataType.Float || expected.Type != TensorProto.Types.DataType.Float)
        {
            return new BackendOutcome(test, BackendOutcome.Refused, $"a {input.Type} input or {expected.Type} output: the engine runs float32");
        }
        TensorShape inShape = layers[0].Output;
        int samples = (int)input.Dims[0];
        long perSample = OnnxTensor.ElementCount(expected.Dims) / Math.Max(1, expected.Dims[0]);
        if (expected.Dims[0] != samples || perSample != output.Shape.Size)
        {
            return new BackendOutcome(test, BackendOutcome.Failed, $"output {NodeContext.Join(expected.Dims)} for {samples} samples of {output.Shape}");
        }
        var sym = new FeatureSym(0, inShape, input.Rank == 4 ? FeatureSym.Nchw : null, null, true);
        int[] toEngineIn = sym.IsImage ? LayoutOps.EngineOrder(sym) : Enumerable.Range(0, (int)inShape.Size).ToArray();
        int[] fromEngineOut = output.IsImage ? LayoutOps.EngineOrder(output) : output.Order ?? Enumerable.Range(0, (int)output.Shape.Size).ToArray();
        double worst = 0;
        for (int n = 0; n < samples; n++)
        {
            var x = new float[inShape.Size];
            for (int p = 0; p < x.Length; p++)
            {
                x[toEngineIn[p]] = (float)input.Values[(n * x.Length) + p];
            }
            float[] y = LayerRunner.Run(layers, x);
            for (int p = 0; p < perSample; p++)
            {
                double e = expected.Values[(n * perSample) + p], a = y[fromEngineOut[p]];
                double error = Math.Abs(a - e) / ((1e-4 * Math.Abs(e)) + 1e-5);
                worst = Math.Max(worst, double.IsNaN(error) ? double.PositiveInfinity : error);
            }
        }
        string layerList = string.Join(" ", layers.Skip(1).Select(l => l.Spec.Kind));
        return worst <= 1
            ? new BackendOutcome(test, BackendOutcome.Passed, layerList.Length == 0 ? "identity" : layerList)
            : new BackendOutcome(test, BackendOutcome.Failed, string.Create(CultureInfo.InvariantCulture, $"{layerList}: worst error {worst:0.##} x tolerance"));
    }

    /// <summary>Inputs after the first become initializers holding the test's data (weights are inputs in node tests).</summary>
    private static void ConstantiseAllButFirst(ModelProto model, TensorProto[] inputs)
    {
        GraphProto graph = model.Graph;
        var initialized = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        ValueInfoProto[] real = graph.Input.Where(i => !initialized.Contains(i.Name)).ToArray();
        for (int k = 1; k < real.Length && k < inputs.Length; k++)
        {
            TensorProto constant = inputs[k].Clone();
            constant.Name = real[k].Name;
            graph.Initializer.Add(constant);
            graph.Input.Remove(real[k]);
        }
    }

    private static TensorProto Tensor(string path) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
}
