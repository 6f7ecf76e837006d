using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Parses and validates <c>.eclw</c> v1. Order of checks: length, magic, version, declared length, CRC-32,
/// header fields, sections, layers, tensors, then <see cref="ModelDocument.Validate"/>. Every read is bounds-checked
/// against the buffer: a malformed file gives a <see cref="ModelFormatException"/>, never an out-of-range read.
/// </summary>
public static class EclwReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and validates a file; returns the document and the file's CRC-32.</summary>
    /// <exception cref="ModelFormatException">The file is not a valid, supported model.</exception>
    public static ModelDocument Read(ReadOnlySpan<byte> file) => Read(file, out _);

    /// <summary>
    /// The number format a file declares, read from its header alone (to choose the engine that loads it), or null
    /// when the buffer is too short or not an .eclw file: the loader then names the problem.
    /// </summary>
    public static NumberFormat? PeekNumberFormat(ReadOnlySpan<byte> file)
    {
        if (file.Length < EclwLayout.HeaderBytes
            || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file[EclwLayout.OffMagic..]) != EclwLayout.Magic)
        {
            return null;
        }
        return (NumberFormat)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file[EclwLayout.OffNumberFormat..]);
    }


    /// <summary>Reads and validates a file; <paramref name="checksum"/> receives the stored (and verified) CRC-32.</summary>
    /// <exception cref="ModelFormatException">The file is not a valid, supported model.</exception>
    public static ModelDocument Read(ReadOnlySpan<byte> file, out uint checksum)
    {
        if (file.Length < 4)
        {
            throw Fail(ModelFormatError.Truncated, $"file is {file.Length} bytes; the magic alone needs 4");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(file) != EclwLayout.Magic)
        {
            throw Fail(ModelFormatError.BadMagic, $"magic is 0x{BinaryPrimitives.ReadUInt32BigEndian(file):X8}, expected \"ECLW\" (0x45434C57)");
        }
        if (file.Length < 8)
        {
            throw Fail(ModelFormatError.Truncated, $"file is {file.Length} bytes; the version field ends at 8");
        }
        uint version = U32(file, EclwLayout.OffVersion);
        if (version != EclwLayout.Version)
        {
            throw Fail(ModelFormatError.UnsupportedVersion, $"format version {version}; this build reads version {EclwLayout.Version}");
        }
        if (file.Length < EclwLayout.MinFileBytes)
        {
            throw Fail(ModelFormatError.Truncated, $"file is {file.Length} bytes; header and checksum need {EclwLayout.MinFileBytes}");
        }
        uint declared = U32(file, EclwLayout.OffFileLength);
        if (declared > file.Length)
        {
            throw Fail(ModelFormatError.Truncated, $"header declares {declared} bytes, buffer holds {file.Length}");
        }
        if (declared < file.Length)
        {
            throw Fail(ModelFormatError.TrailingData, $"header declares {declared} bytes, buffer holds {file.Length}");
        }
        uint stored = U32(file, file.Length - EclwLayout.ChecksumBytes);
        uint computed = Crc32.Compute(file[..^EclwLayout.ChecksumBytes]);
        if (stored != computed)
        {
            throw Fail(ModelFormatError.ChecksumMismatch, $"stored CRC-32 0x{stored:X8}, computed 0x{computed:X8}");
        }
        checksum = stored;
        return ParseVerified(file);
    }

    private static ModelDocument ParseVerified(ReadOnlySpan<byte> file)
    {
        uint numberFormat = U32(file, EclwLayout.OffNumberFormat);
        if (numberFormat is not ((uint)NumberFormat.Float32 or (uint)NumberFormat.Int8))
        {
            throw Fail(ModelFormatError.InvalidHeader, $"unknown number format code {numberFormat}");
        }
        if (U32(file, EclwLayout.OffFlags) != 0 || U32(file, EclwLayout.OffReserved) != 0 || U32(file, EclwLayout.OffReserved + 4) != 0)
        {
            throw Fail(ModelFormatError.InvalidHeader, "flags or reserved header fields are not 0");
        }
        uint layerCount = U32(file, EclwLayout.OffLayerCount);
        uint tensorCount = U32(file, EclwLayout.OffTensorCount);
        uint nameLength = U32(file, EclwLayout.OffNameLength);
        uint provenanceLength = U32(file, EclwLayout.OffProvenanceLength);
        uint dataOffset = U32(file, EclwLayout.OffDataOffset);
        uint dataLength = U32(file, EclwLayout.OffDataLength);
        if (layerCount is < 2 or > NetworkDescription.MaxLayers)
        {
            throw Fail(ModelFormatError.InvalidHeader, $"layer count {layerCount} outside 2..{NetworkDescription.MaxLayers}");
        }
        if (tensorCount > EclwLayout.MaxTensors)
        {
            throw Fail(ModelFormatError.InvalidHeader, $"tensor count {tensorCount} above {EclwLayout.MaxTensors}");
        }
        if (nameLength > ModelDocument.MaxNameBytes)
        {
            throw Fail(ModelFormatError.BadString, $"name is {nameLength} bytes, at most {ModelDocument.MaxNameBytes}");
        }
        if (provenanceLength > ModelDocument.MaxProvenanceBytes)
        {
            throw Fail(ModelFormatError.BadString, $"provenance is {provenanceLength} bytes, at most {ModelDocument.MaxProvenanceBytes}");
        }
        long layerTable = EclwLayout.HeaderBytes;
        long tensorTable = layerTable + (layerCount * (long)EclwLayout.LayerRecordBytes);
        long nameStart = tensorTable + (tensorCount * (long)EclwLayout.TensorRecordBytes);
        long provenanceStart = nameStart + nameLength;
        long stringsEnd = provenanceStart + provenanceLength;
        long payloadEnd = file.Length - EclwLayout.ChecksumBytes;
        if (stringsEnd > payloadEnd)
        {
            throw Fail(ModelFormatError.Truncated, $"tables and strings end at byte {stringsEnd}, past the payload end {payloadEnd}");
        }
        if (dataOffset % EclwLayout.Alignment != 0 || dataOffset < stringsEnd || (long)dataOffset + dataLength != payloadEnd)
        {
            throw Fail(ModelFormatError.InvalidHeader,
                $"data block [{dataOffset}, +{dataLength}) must start 64-aligned after byte {stringsEnd} and end at {payloadEnd}");
        }

        string name = Text(file.Slice((int)nameStart, (int)nameLength), "name");
        string provenance = Text(file.Slice((int)provenanceStart, (int)provenanceLength), "provenance");

        var layers = new LayerSpec[layerCount];
        for (int i = 0; i < layers.Length; i++)
        {
            int r = (int)layerTable + (i * EclwLayout.LayerRecordBytes);
            layers[i] = LayerCodec.Decode(i, U32(file, r), U32(file, r + 4), U32(file, r + 8), U32(file, r + 12), U32(file, r + 16));
        }
        var network = new NetworkDescription(layers);

        ReadOnlySpan<byte> data = file.Slice((int)dataOffset, (int)dataLength);
        var tensors = new TensorEntry[tensorCount];
        for (int i = 0; i < tensors.Length; i++)
        {
            tensors[i] = ReadTensor(file, (int)tensorTable + (i * EclwLayout.TensorRecordBytes), i, data);
        }

        var document = new ModelDocument(name, network, tensors)
        {
            NumberFormat = (NumberFormat)numberFormat,
            DecisionThreshold = F32(file, EclwLayout.OffThreshold),
            Normalization = new InputNormalization(F32(file, EclwLayout.OffScale), F32(file, EclwLayout.OffOffset)),
            Provenance = provenance,
        };
        DocumentValidator.Validate(document);
        return document;
    }

    private static TensorEntry ReadTensor(ReadOnlySpan<byte> file, int record, int index, ReadOnlySpan<byte> data)
    {
        uint layer = U32(file, record);
        uint role = U32(file, record + 4);
        uint type = U32(file, record + 8);
        uint rank = U32(file, record + 12);
        uint offset = U32(file, record + 32);
        uint length = U32(file, record + 36);
        string where = string.Create(CultureInfo.InvariantCulture, $"tensor {index} (layer {layer}, role {role})");
        if (layer >= NetworkDescription.MaxLayers || role > (uint)TensorRole.DecisionThreshold)
        {
            throw Fail(ModelFormatError.UnexpectedTensor, $"{where}: no such layer or role");
        }
        int elementSize = type <= (uint)ElementType.Int32 ? EclwLayout.ElementSize((ElementType)type) : 0;
        if (elementSize == 0)
        {
            throw Fail(ModelFormatError.UnsupportedElementType, $"{where}: unknown element type code {type}");
        }
        if (rank is < 1 or > EclwLayout.MaxTensorRank)
        {
            throw Fail(ModelFormatError.ShapeMismatch, $"{where}: rank {rank} outside 1..{EclwLayout.MaxTensorRank}");
        }
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < EclwLayout.MaxTensorRank; d++)
        {
            uint dim = U32(file, record + 16 + (4 * d));
            if (d < rank)
            {
                if (dim == 0 || dim > NetworkDescription.MaxActivationElements)
                {
                    throw Fail(ModelFormatError.ShapeMismatch, $"{where}: dimension {d} is {dim}");
                }
                shape[d] = (int)dim;
                count *= dim;
                if (count > int.MaxValue)
                {
                    throw Fail(ModelFormatError.TensorSize, $"{where}: more than {int.MaxValue} elements");
                }
            }
            else if (dim != 0)
            {
                throw Fail(ModelFormatError.ShapeMismatch, $"{where}: dimension {d} beyond rank {rank} is {dim}, not 0");
            }
        }
        if (count * elementSize != length)
        {
            throw Fail(ModelFormatError.TensorSize, $"{where}: shape [{string.Join(", ", shape)}] of {(ElementType)type} needs {count * elementSize} bytes, record says {length}");
        }
        if (offset % elementSize != 0 || (long)offset + length > data.Length)
        {
            throw Fail(ModelFormatError.TensorSize, $"{where}: bytes [{offset}, +{length}) do not lie aligned inside the {data.Length}-byte data block");
        }
        return new TensorEntry((int)layer, (TensorRole)role, (ElementType)type, shape, data.Slice((int)offset, (int)length).ToArray());
    }

    private static string Text(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException(ModelFormatError.BadString, $"{what} is not valid UTF-8: {e.Message}");
        }
    }

    private static uint U32(ReadOnlySpan<byte> file, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(offset, 4));

    private static float F32(ReadOnlySpan<byte> file, int offset) => BinaryPrimitives.ReadSingleLittleEndian(file.Slice(offset, 4));

    private static ModelFormatException Fail(ModelFormatError error, string message) => new(error, message);
}
