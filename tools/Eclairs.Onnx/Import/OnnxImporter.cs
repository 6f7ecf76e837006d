using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// Imports an ONNX classifier (opsets 1 to 17, as torch.onnx.export and tf2onnx write them, and our own
/// export-onnx output) as a float32 <see cref="ModelDocument"/>. The graph is run symbolically node by node into the
/// engine's layer chain; anything the engine cannot run exactly is refused with the op type, the node's name and
/// position and what would be needed, before anything is written.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Imports the bytes of an .onnx file.</summary>
    /// <exception cref="OnnxImportException">The graph is refused (the message says where and why).</exception>
    public static OnnxImportResult Import(ReadOnlySpan<byte> onnx, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        string hash = Convert.ToHexStringLower(SHA256.HashData(onnx));
        OnnxGraph graph = OnnxGraph.Parse(onnx);
        var state = new ImportState(graph);
        BindInputs(state, options);
        Translate(state);
        (bool classifier, string? logitNote) = CheckOutputs(state);
        if (logitNote != null)
        {
            state.Notes.Add(logitNote);
        }
        return new OnnxImportResult(BuildDocument(state, graph, options, classifier, hash), state.Notes);
    }

    /// <summary>
    /// Test entry point (the conformance harness): translates a graph whose first input is an activation of any shape,
    /// [N, C, H, W] or [N, K], every other input having been made a constant, into layers after a source layer 0.
    /// </summary>
    internal static (IReadOnlyList<ImportedLayer> Layers, FeatureSym Output) ImportLayers(OnnxGraph graph)
    {
        var state = new ImportState(graph);
        OnnxValueInfo input = graph.Inputs.Count == 1 ? graph.Inputs[0] : throw new OnnxImportException($"{graph.Inputs.Count} run-time inputs", "one");
        long[] d = input.Dims;
        int reader = graph.Nodes.ToList().FindIndex(n => n.Input.Contains(input.Name));
        TensorShape shape = d.Length switch
        {
            4 => new TensorShape((int)d[2], (int)d[3], (int)d[1]),
            2 => new TensorShape(1, 1, (int)d[1]),
            _ => throw new OnnxImportException($"its input is a rank-{d.Length} tensor {NodeContext.Join(d)}",
                "an image [N, C, H, W] or a vector [N, K] (the engine's activations)", reader < 0 ? null : graph.Nodes[reader].OpType,
                reader < 0 ? null : graph.Nodes[reader].Name, reader),
        };
        if (d.Skip(1).Any(v => v <= 0))
        {
            throw new OnnxImportException($"input dimensions {NodeContext.Join(d)} not all known", needed: null);
        }
        state.Layers.Add(new ImportedLayer(new InputLayer(shape.Height, shape.Width), shape, shape, input.Name));
        state.Values[input.Name] = new FeatureSym(0, shape, d.Length == 4 ? FeatureSym.Nchw : null, null, true);
        Translate(state);
        if (graph.Outputs.Count != 1 || state.Values.GetValueOrDefault(graph.Outputs[0].Name) is not FeatureSym output || output.Layer != state.Last)
        {
            throw new OnnxImportException("the output is not the last layer's activation", needed: null);
        }
        return (state.Layers, output);
    }

    private static void Translate(ImportState state)
    {
        OnnxGraph graph = state.Graph;
        foreach (int index in graph.LiveNodes())
        {
            var context = new NodeContext(state, graph.Nodes[index], index);
            Sym result = OpTable.Translate(context);
            state.Values[context.Node.Output[0]] = result;
        }
    }

    private static void BindInputs(ImportState state, OnnxImportOptions options)
    {
        IReadOnlyList<OnnxValueInfo> inputs = state.Graph.Inputs;
        foreach (OnnxValueInfo i in inputs)
        {
            if (i.ElementType != 1)
            {
                throw new OnnxImportException($"input '{i.Name}' is not float (element type {i.ElementType})", "float32 inputs");
            }
            if (i.Dims.Length != 4 || i.Dims.Skip(1).Any(d => d <= 0) || i.Dims[0] is not (1 or -1))
            {
                throw new OnnxImportException($"input '{i.Name}' has dimensions {NodeContext.Join(i.Dims)}",
                    "a batch of 1 (or a named batch) and a known image size: [N, 2, H, W] / [N, H, W, 2], or SNR and mask as [N, 1, H, W] / [N, H, W, 1]");
            }
        }
        long[] Batch1(long[] dims) => [1, .. dims.Skip(1)];
        if (inputs.Count == 1)
        {
            long[] d = inputs[0].Dims;
            PlaneLayout layout = d[1] == 2 ? PlaneLayout.Nchw : d[3] == 2 ? PlaneLayout.Nhwc
                : throw new OnnxImportException($"input '{inputs[0].Name}' {NodeContext.Join(d)} has neither 2 channels first nor last", "SNR and mask as two channels");
            state.Values[inputs[0].Name] = InputStageOps.InputImage(state, d, layout, inputs[0].Name);
            state.Notes.Add($"one input, '{inputs[0].Name}': the engine feeds it channel 0 = SNR (0 where the mask is 0), channel 1 = the mask (0..3)");
            return;
        }
        if (inputs.Count != 2)
        {
            throw new OnnxImportException($"{inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))})", "one 2-channel input, or an SNR and a mask input");
        }
        OnnxValueInfo snr = Pick(inputs, options.SnrInput, "snr", "--snr-input"), mask = Pick(inputs, options.MaskInput, "mask", "--mask-input");
        if (snr == mask)
        {
            throw new OnnxImportException($"'{snr.Name}' named as both SNR and mask input", needed: null);
        }
        PlaneLayout Layout(OnnxValueInfo i) => i.Dims[1] == 1 ? PlaneLayout.Nchw : i.Dims[3] == 1 ? PlaneLayout.Nhwc
            : throw new OnnxImportException($"input '{i.Name}' {NodeContext.Join(i.Dims)} is not one plane", "[N, 1, H, W] or [N, H, W, 1]");
        if (!snr.Dims.Skip(1).SequenceEqual(mask.Dims.Skip(1)))
        {
            throw new OnnxImportException($"SNR {NodeContext.Join(snr.Dims)} and mask {NodeContext.Join(mask.Dims)} differ in shape", needed: null);
        }
        state.Values[snr.Name] = new SnrSym(1f, 0f, false, Layout(snr), Batch1(snr.Dims));
        state.Values[mask.Name] = new MaskSym(Layout(mask), Batch1(mask.Dims));
    }

    private static OnnxValueInfo Pick(IReadOnlyList<OnnxValueInfo> inputs, string? requested, string conventional, string option)
    {
        string name = requested ?? conventional;
        return inputs.FirstOrDefault(i => i.Name == name) ?? throw new OnnxImportException(
            $"no input named '{name}' (the inputs are {string.Join(", ", inputs.Select(i => "'" + i.Name + "'"))})", $"{option} NAME to say which is which");
    }

    /// <summary>The outputs must be the last layer's: its probability and/or logit, or (no Sigmoid) its activation in NHWC order.</summary>
    private static (bool Classifier, string? Note) CheckOutputs(ImportState state)
    {
        bool probability = false, vectorOfOne = true;
        foreach (OnnxValueInfo output in state.Graph.Outputs)
        {
            Sym? value = state.Values.GetValueOrDefault(output.Name);
            FeatureSym feature = value switch
            {
                ProbabilitySym p => p.Logit,
                FeatureSym f => f,
                _ => throw new OnnxImportException($"graph output '{output.Name}' is not an activation of the network", needed: null),
            };
            if (feature.Layer != state.Last)
            {
                throw new OnnxImportException(string.Create(CultureInfo.InvariantCulture,
                    $"graph output '{output.Name}' is the output of layer {feature.Layer} ({state.Layers[feature.Layer].Spec.Kind}), not of the last layer"),
                    "a single output (the logit or the probability)");
            }
            probability |= value is ProbabilitySym;
            vectorOfOne &= feature.Shape.Size == 1;
            if (feature.Shape.Size > 1 && feature.IsImage && feature.Shape.Height * feature.Shape.Width > 1 && !feature.Axes!.SequenceEqual(FeatureSym.Nhwc))
            {
                throw new OnnxImportException($"graph output '{output.Name}' is an image in {Layout(feature.Axes)} order",
                    "a Transpose to NHWC before the output (the engine's order)");
            }
            if (feature.Order != null)
            {
                throw new OnnxImportException($"graph output '{output.Name}' is a vector in another order than the engine's (h, w, c)", needed: null);
            }
        }
        if (probability && !vectorOfOne)
        {
            throw new OnnxImportException("a graph output beside the probability is not the logit", "the logit and/or the probability as outputs");
        }
        bool classifier = probability || vectorOfOne;
        return (classifier, classifier && !probability ? "the graph outputs the logit; the engine's classifier applies the Sigmoid after it" : null);
    }

    private static ModelDocument BuildDocument(ImportState state, OnnxGraph graph, OnnxImportOptions options, bool classifier, string hash)
    {
        var specs = state.Layers.Select(l => l.Spec).ToList();
        if (classifier)
        {
            specs.Add(new SigmoidLayer());
        }
        NetworkDescription network;
        try
        {
            network = new NetworkDescription(specs);
        }
        catch (ModelFormatException e)
        {
            throw new OnnxImportException("the layers found do not form a network the engine runs: " + e.Message, needed: null);
        }
        var parameters = state.Layers.Where(l => l.Weights != null).SelectMany(l => new[] { l.Weights!, l.Bias! }).ToArray();
        float threshold = options.DecisionThreshold ?? Metadata(graph, "eclairs.decision_threshold") ?? 0.5f;
        string name = options.Name ?? graph.Metadata.GetValueOrDefault("eclairs.name") ?? (graph.Name.Length > 0 ? graph.Name : "imported");
        if (Encoding.UTF8.GetByteCount(name) > ModelDocument.MaxNameBytes && options.Name == null)
        {
            name = name[..ModelDocument.MaxNameBytes];
        }
        var provenance = new StringBuilder();
        provenance.Append(CultureInfo.InvariantCulture,
            $"imported from ONNX by eclairs import: {options.Source ?? "(bytes)"}, SHA-256 {hash}, producer '{graph.Model.ProducerName} {graph.Model.ProducerVersion}', opset {graph.Opset}");
        foreach (string note in state.Notes)
        {
            provenance.Append("; ").Append(note);
        }
        ModelDocument document = ModelDocument.FromParameters(name, network, parameters) with
        {
            DecisionThreshold = threshold,
            Normalization = state.Normalization,
            Provenance = provenance.ToString(),
        };
        try
        {
            document.Validate();
        }
        catch (ModelFormatException e)
        {
            throw new OnnxImportException("the imported model does not validate: " + e.Message, needed: null);
        }
        return document;
    }

    private static float? Metadata(OnnxGraph graph, string key) =>
        graph.Metadata.TryGetValue(key, out string? text) && float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : null;

    private static string Layout(int[]? axes) => axes == null ? "vector" : new string(axes.Select(a => "NCHW"[a]).ToArray());
}
