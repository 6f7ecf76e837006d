using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Writes a <see cref="ModelDocument"/> as <c>.eclw</c> v1. It encodes what it is given without judging it
/// (tests write bad files with it); call <see cref="ModelDocument.Validate"/> first to write only loadable files.
/// </summary>
public static class EclwWriter
{
    /// <summary>The file as a byte array.</summary>
    public static byte[] ToBytes(ModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        byte[] name = Encoding.UTF8.GetBytes(document.Name);
        byte[] provenance = Encoding.UTF8.GetBytes(document.Provenance);
        IReadOnlyList<LayerSpec> layers = document.Network.Layers;
        IReadOnlyList<TensorEntry> tensors = document.Tensors;

        int layerTable = EclwLayout.HeaderBytes;
        int tensorTable = layerTable + (layers.Count * EclwLayout.LayerRecordBytes);
        int nameStart = tensorTable + (tensors.Count * EclwLayout.TensorRecordBytes);
        int provenanceStart = nameStart + name.Length;
        int dataOffset = EclwLayout.AlignUp(provenanceStart + provenance.Length);
        var tensorOffsets = new long[tensors.Count];
        long dataLength = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            tensorOffsets[i] = dataLength;
            dataLength = EclwLayout.AlignUp(dataLength + tensors[i].Data.Length);
        }
        long fileLength = dataOffset + dataLength + EclwLayout.ChecksumBytes;
        if (fileLength > int.MaxValue)
        {
            throw new ArgumentException("the model does not fit in a v1 file (2 GiB)", nameof(document));
        }

        var file = new byte[fileLength];
        Span<byte> f = file;
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffMagic..], EclwLayout.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffVersion..], EclwLayout.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffFileLength..], (uint)fileLength);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffNumberFormat..], (uint)document.NumberFormat);
        BinaryPrimitives.WriteSingleLittleEndian(f[EclwLayout.OffThreshold..], document.DecisionThreshold);
        BinaryPrimitives.WriteSingleLittleEndian(f[EclwLayout.OffScale..], document.Normalization.Scale);
        BinaryPrimitives.WriteSingleLittleEndian(f[EclwLayout.OffOffset..], document.Normalization.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffLayerCount..], (uint)layers.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffTensorCount..], (uint)tensors.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffNameLength..], (uint)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffProvenanceLength..], (uint)provenance.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffDataOffset..], (uint)dataOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(f[EclwLayout.OffDataLength..], (uint)dataLength);

        for (int i = 0; i < layers.Count; i++)
        {
            Span<byte> r = f[(layerTable + (i * EclwLayout.LayerRecordBytes))..];
            (uint kind, uint a0, uint a1, uint a2, uint a3) = LayerCodec.Encode(layers[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(r, kind);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], a0);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], a1);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], a2);
            BinaryPrimitives.WriteUInt32LittleEndian(r[16..], a3);
        }
        for (int i = 0; i < tensors.Count; i++)
        {
            TensorEntry t = tensors[i];
            if (t.Shape.Count is < 1 or > EclwLayout.MaxTensorRank)
            {
                throw new ArgumentException($"tensor {i} has rank {t.Shape.Count}; v1 stores ranks 1..4", nameof(document));
            }
            Span<byte> r = f[(tensorTable + (i * EclwLayout.TensorRecordBytes))..];
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)t.LayerIndex);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)t.Role);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], (uint)t.ElementType);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (uint)t.Shape.Count);
            for (int d = 0; d < t.Shape.Count; d++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(r[(16 + (4 * d))..], (uint)t.Shape[d]);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(r[32..], (uint)tensorOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(r[36..], (uint)t.Data.Length);
            t.Data.Span.CopyTo(f[(dataOffset + (int)tensorOffsets[i])..]);
        }
        name.CopyTo(f[nameStart..]);
        provenance.CopyTo(f[provenanceStart..]);
        BinaryPrimitives.WriteUInt32LittleEndian(f[^EclwLayout.ChecksumBytes..], Crc32.Compute(f[..^EclwLayout.ChecksumBytes]));
        return file;
    }

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public static void Write(ModelDocument document, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(document));
    }
}
