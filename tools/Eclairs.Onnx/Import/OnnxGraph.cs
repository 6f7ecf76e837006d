using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Eclairs.Onnx.Protobuf;
using Google.Protobuf;

namespace Eclairs.Onnx;

/// <summary>A graph input or output: its name, element type and dimensions (-1 where the file gives a name or nothing).</summary>
internal sealed record OnnxValueInfo(string Name, int ElementType, long[] Dims);

/// <summary>
/// The parts of an ONNX model the importer works on: nodes in order, constants by name (initializers and Constant
/// nodes), the real inputs (graph inputs that are not initializers), the outputs, the default-domain opset, the
/// metadata, and how many nodes read each value.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>
    /// Oldest default-domain opset read. The operators translated kept their meaning since opset 1 where they were
    /// defined; what older versions spelled differently (attributes such as consumed_inputs, Reshape's shape as an
    /// attribute) is refused by the translators, which accept only the attributes and inputs they understand.
    /// </summary>
    public const long MinOpset = 1;

    /// <summary>Newest default-domain opset read (torch.onnx.export of torch 1.13 writes 14 by default, 13-17 on request).</summary>
    public const long MaxOpset = 17;

    private readonly Dictionary<string, int> _consumers = new(StringComparer.Ordinal);

    private OnnxGraph(ModelProto model)
    {
        Model = model;
        GraphProto graph = model.Graph ?? throw new OnnxImportException("the file holds no graph", needed: null);
        Name = graph.Name;
        Nodes = graph.Node;
        if (graph.SparseInitializer.Count > 0)
        {
            throw new OnnxImportException("the graph has sparse initializers", "dense initializers");
        }
        foreach (TensorProto t in graph.Initializer)
        {
            Constants[t.Name] = OnnxTensor.Decode(t, $"initializer '{t.Name}'");
        }
        Inputs = graph.Input.Where(i => !Constants.ContainsKey(i.Name)).Select(ToInfo).ToArray();
        Outputs = graph.Output.Select(ToInfo).ToArray();
        foreach (NodeProto node in Nodes)
        {
            foreach (string input in node.Input.Where(i => i.Length > 0))
            {
                _consumers[input] = _consumers.GetValueOrDefault(input) + 1;
            }
        }
        foreach (OnnxValueInfo output in Outputs)
        {
            _consumers[output.Name] = _consumers.GetValueOrDefault(output.Name) + 1;
        }
        Metadata = model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        Opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(-1).Max();
    }

    public ModelProto Model { get; }

    public string Name { get; }

    public IReadOnlyList<NodeProto> Nodes { get; }

    public Dictionary<string, OnnxTensor> Constants { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The default-domain opset the model imports, or -1 when it imports none.</summary>
    public long Opset { get; }

    /// <summary>Parses the bytes of a model file and checks what applies to the whole graph (opset, subgraphs).</summary>
    public static OnnxGraph Parse(ReadOnlySpan<byte> file)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(file);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException("the file is not an ONNX model: " + e.Message, needed: null);
        }
        var graph = new OnnxGraph(model);
        if (graph.Opset < 0)
        {
            throw new OnnxImportException("the model imports no default-domain opset (only "
                + string.Join(", ", model.OpsetImport.Select(o => $"'{o.Domain}' {o.Version}")) + ")", "operators of the default ONNX domain");
        }
        if (graph.Opset < MinOpset || graph.Opset > MaxOpset)
        {
            throw new OnnxImportException(
                string.Create(CultureInfo.InvariantCulture, $"the model imports default-domain opset {graph.Opset}"),
                $"opset {MinOpset} to {MaxOpset} (torch.onnx.export(..., opset_version=14), tf2onnx --opset 13)");
        }
        return graph;
    }

    /// <summary>Number of nodes that read <paramref name="value"/>, graph outputs counted as readers.</summary>
    public int Consumers(string value) => _consumers.GetValueOrDefault(value);

    public bool IsGraphOutput(string value) => Outputs.Any(o => o.Name == value);

    /// <summary>The nodes the outputs depend on, by index, in graph order (unused nodes are not translated).</summary>
    public IReadOnlyList<int> LiveNodes()
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Nodes.Count; i++)
        {
            foreach (string output in Nodes[i].Output.Where(o => o.Length > 0))
            {
                producer[output] = i;
            }
        }
        var live = new HashSet<int>();
        var pending = new Stack<string>(Outputs.Select(o => o.Name));
        while (pending.Count > 0)
        {
            if (producer.TryGetValue(pending.Pop(), out int index) && live.Add(index))
            {
                foreach (string input in Nodes[index].Input.Where(i => i.Length > 0))
                {
                    pending.Push(input);
                }
            }
        }
        return live.Order().ToArray();
    }

    private static OnnxValueInfo ToInfo(ValueInfoProto info)
    {
        TypeProto.Types.Tensor? tensor = info.Type?.TensorType;
        if (tensor == null)
        {
            return new OnnxValueInfo(info.Name, 0, []);
        }
        long[] dims = tensor.Shape == null
            ? []
            : tensor.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray();
        return new OnnxValueInfo(info.Name, tensor.ElemType, dims);
    }
}
