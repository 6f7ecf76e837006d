using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Onnx.Protobuf;
using Google.Protobuf;

namespace Eclairs.Onnx;

/// <summary>Appends nodes and initializers to an ONNX graph, naming intermediate values uniquely.</summary>
internal sealed class GraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public GraphBuilder(string name) => Graph = new GraphProto { Name = name };

    public GraphProto Graph { get; }

    /// <summary>Adds a node with one output; returns the output's name.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, string? output = null,
        params AttributeProto[] attributes)
    {
        string result = output ?? Unique(name);
        var node = new NodeProto { OpType = opType, Name = Unique(name + "/" + opType) };
        node.Input.AddRange(inputs);
        node.Output.Add(result);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return result;
    }

    /// <summary>A float32 initializer with the given dimensions, stored as little-endian raw bytes.</summary>
    public string Floats(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Float, LittleEndianBytes(values), values.Length, dims);

    /// <summary>An int8 initializer (quantized weights, zero points).</summary>
    public string Int8s(string name, ReadOnlySpan<sbyte> values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values).ToArray(), values.Length, dims);

    /// <summary>An int32 initializer (quantized biases, their zero points), little-endian raw bytes.</summary>
    public string Int32s(string name, ReadOnlySpan<int> values, params long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(int)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), values[i]);
        }
        return Raw(name, TensorProto.Types.DataType.Int32, bytes, values.Length, dims);
    }

    /// <summary>An int64 initializer (shapes for Reshape).</summary>
    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public static ValueInfoProto FloatTensor(string name, params long[] dims) =>
        Tensor(name, TensorProto.Types.DataType.Float, dims);

    public static ValueInfoProto Tensor(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape },
            },
        };
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private string Raw(string name, TensorProto.Types.DataType type, byte[] bytes, int count, long[] dims)
    {
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count)
        {
            throw new InvalidOperationException($"initializer {name}: {count} values for dimensions [{string.Join(", ", dims)}]");
        }
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }
        return candidate;
    }

    private static byte[] LittleEndianBytes(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            }
        }
        return bytes;
    }
}
