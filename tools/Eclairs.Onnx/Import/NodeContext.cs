using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Eclairs.Onnx.Protobuf;

namespace Eclairs.Onnx;

/// <summary>One node being translated: its inputs as symbols, its attributes, and refusals that name it.</summary>
internal sealed class NodeContext
{
    private readonly ImportState _state;

    public NodeContext(ImportState state, NodeProto node, int index)
    {
        _state = state;
        Node = node;
        Index = index;
    }

    public NodeProto Node { get; }

    public int Index { get; }

    public ImportState State => _state;

    public string OpType => Node.OpType;

    public string Name => Node.Name;

    public long Opset => _state.Graph.Opset;

    /// <summary>Number of inputs given (optional inputs left empty count as absent at the end).</summary>
    public int InputCount
    {
        get
        {
            int n = Node.Input.Count;
            while (n > 0 && Node.Input[n - 1].Length == 0)
            {
                n--;
            }
            return n;
        }
    }

    public bool HasInput(int i) => i < Node.Input.Count && Node.Input[i].Length > 0;

    public Sym Input(int i)
    {
        if (!HasInput(i))
        {
            throw Refuse($"input {i} is missing", null);
        }
        string name = Node.Input[i];
        if (_state.Values.TryGetValue(name, out Sym? value))
        {
            return value;
        }
        if (_state.Graph.Constants.TryGetValue(name, out OnnxTensor? constant))
        {
            return new ConstSym(constant);
        }
        throw Refuse($"input '{name}' is not produced before this node (nodes must be in topological order)", null);
    }

    public OnnxTensor? ConstInput(int i) => HasInput(i) && Input(i) is ConstSym c ? c.Tensor : null;

    public OnnxTensor RequireConst(int i, string what) =>
        ConstInput(i) ?? throw Refuse($"its {what} (input {i}, '{Node.Input[i]}') is computed at run time, not a constant",
            $"the {what} as an initializer (torch.onnx.export(..., do_constant_folding=True) writes them so)");

    public FeatureSym Feature(int i, string what) => Input(i) switch
    {
        FeatureSym f => f,
        ConstSym => throw Refuse($"its {what} is a constant", "an activation of the network here"),
        _ => throw Refuse($"its {what} is the raw SNR or mask input", "the input stage (SNR and mask concatenated on channels) first"),
    };

    /// <summary>True when input <paramref name="i"/> is read by this node only and is not a graph output.</summary>
    public bool InputIsExclusive(int i) => _state.Graph.Consumers(Node.Input[i]) == 1 && !_state.Graph.IsGraphOutput(Node.Input[i]);

    /// <summary>Refuses attributes this translation does not understand (a silent misreading would be worse).</summary>
    public void AllowAttributes(params string[] names)
    {
        foreach (AttributeProto a in Node.Attribute)
        {
            if (!names.Contains(a.Name, StringComparer.Ordinal))
            {
                throw Refuse($"attribute '{a.Name}' is not understood by the importer", $"support for {OpType}'s '{a.Name}' in the importer");
            }
        }
    }

    public AttributeProto? Attribute(string name) => Node.Attribute.FirstOrDefault(a => a.Name == name);

    public long Int(string name, long fallback) => Attribute(name) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Attribute(name) is { } a ? a.F : fallback;

    public long[]? Ints(string name) => Attribute(name) is { } a ? [.. a.Ints] : null;

    public string String(string name, string fallback) => Attribute(name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

    public OnnxImportException Refuse(string problem, string? needed) => new(problem, needed, OpType, Name, Index);

    public static string Join(IEnumerable<long> values) => "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
