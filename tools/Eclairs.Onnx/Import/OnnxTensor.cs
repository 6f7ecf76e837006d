using System;
using System.Buffers.Binary;
using System.Linq;
using Eclairs.Onnx.Protobuf;
using DataType = Eclairs.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Eclairs.Onnx;

/// <summary>
/// A constant tensor of the graph (an initializer, a Constant node, or a value folded from constants), decoded from
/// any of the encodings the spec allows (raw little-endian bytes or the typed repeated fields). Values are kept as
/// doubles, which hold every float32, float16, int32 and small int64 exactly.
/// </summary>
internal sealed class OnnxTensor
{
    /// <summary>Largest constant decoded (elements): far above any layer the engine runs, far below memory trouble.</summary>
    public const long MaxElements = 1L << 27;

    public OnnxTensor(long[] dims, DataType type, double[] values)
    {
        Dims = dims;
        Type = type;
        Values = values;
    }

    public long[] Dims { get; }

    public DataType Type { get; }

    public double[] Values { get; }

    public int Rank => Dims.Length;

    public bool IsInteger => Type is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8 or DataType.Uint8
        or DataType.Uint16 or DataType.Uint32 or DataType.Uint64 or DataType.Bool;

    public static long ElementCount(long[] dims) => dims.Aggregate(1L, (a, d) => a * d);

    public float[] ToSingles() => Array.ConvertAll(Values, v => (float)v);

    public long[] ToInt64s() => Array.ConvertAll(Values, v => (long)v);

    public static OnnxTensor Int64s(params long[] values) =>
        new([values.Length], DataType.Int64, Array.ConvertAll(values, v => (double)v));

    /// <summary>Decodes <paramref name="proto"/>; <paramref name="what"/> names it in errors.</summary>
    public static OnnxTensor Decode(TensorProto proto, string what)
    {
        if (proto.DataLocation != 0 || proto.ExternalData.Count > 0)
        {
            throw new OnnxImportException($"{what} keeps its data in an external file", "the weights inside the .onnx file (onnx.save without external data)");
        }
        long[] dims = [.. proto.Dims];
        if (dims.Any(d => d < 0))
        {
            throw new OnnxImportException($"{what} has a negative dimension", needed: null);
        }
        long count = ElementCount(dims);
        if (count > MaxElements)
        {
            throw new OnnxImportException($"{what} has {count} elements, more than {MaxElements}", needed: null);
        }
        var type = (DataType)proto.DataType;
        int size = ElementSize(type, what);
        double[] values;
        if (proto.RawData.Length > 0)
        {
            if (proto.RawData.Length != count * size)
            {
                throw new OnnxImportException($"{what}: {proto.RawData.Length} raw bytes for {count} elements of {type}", needed: null);
            }
            ReadOnlySpan<byte> raw = proto.RawData.Span;
            values = new double[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = FromRaw(type, raw.Slice(i * size, size));
            }
        }
        else
        {
            values = type switch
            {
                DataType.Float => proto.FloatData.Select(v => (double)v).ToArray(),
                DataType.Double => [.. proto.DoubleData],
                DataType.Int64 => proto.Int64Data.Select(v => (double)v).ToArray(),
                DataType.Uint32 or DataType.Uint64 => proto.Uint64Data.Select(v => (double)v).ToArray(),
                DataType.Float16 => proto.Int32Data.Select(v => (double)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(),
                DataType.Bfloat16 => proto.Int32Data.Select(v => (double)BitConverter.Int32BitsToSingle(v << 16)).ToArray(),
                _ => proto.Int32Data.Select(v => (double)v).ToArray(),
            };
            if (values.Length != count)
            {
                throw new OnnxImportException($"{what}: {values.Length} values for dimensions [{string.Join(", ", dims)}]", needed: null);
            }
        }
        return new OnnxTensor(dims, type, values);
    }

    private static int ElementSize(DataType type, string what) => type switch
    {
        DataType.Float or DataType.Int32 or DataType.Uint32 => 4,
        DataType.Double or DataType.Int64 or DataType.Uint64 => 8,
        DataType.Float16 or DataType.Bfloat16 or DataType.Int16 or DataType.Uint16 => 2,
        DataType.Int8 or DataType.Uint8 or DataType.Bool => 1,
        _ => throw new OnnxImportException($"{what} is of type {type}", "a numeric tensor (float, integer or bool)"),
    };

    private static double FromRaw(DataType type, ReadOnlySpan<byte> b) => type switch
    {
        DataType.Float => BinaryPrimitives.ReadSingleLittleEndian(b),
        DataType.Double => BinaryPrimitives.ReadDoubleLittleEndian(b),
        DataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
        DataType.Bfloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16),
        DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        DataType.Uint64 => BinaryPrimitives.ReadUInt64LittleEndian(b),
        DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
        DataType.Uint32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
        DataType.Uint16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        DataType.Int8 => (sbyte)b[0],
        _ => b[0],
    };
}
