using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Eclairs.Onboard.Inference;

/// <summary>The checks shared by the loader and <see cref="Model.FromDocument"/>: metadata, tensor set, shapes, sizes, values.</summary>
internal static class DocumentValidator
{
    public static void Validate(ModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.NumberFormat is not (NumberFormat.Float32 or NumberFormat.Int8))
        {
            throw Fail(ModelFormatError.InvalidHeader, $"unknown number format {document.NumberFormat}");
        }
        int nameBytes = Encoding.UTF8.GetByteCount(document.Name);
        if (nameBytes > ModelDocument.MaxNameBytes || document.Name.Contains('\0', StringComparison.Ordinal))
        {
            throw Fail(ModelFormatError.BadString, $"name must be at most {ModelDocument.MaxNameBytes} UTF-8 bytes without NUL, found {nameBytes} bytes");
        }
        if (Encoding.UTF8.GetByteCount(document.Provenance) > ModelDocument.MaxProvenanceBytes)
        {
            throw Fail(ModelFormatError.BadString, $"provenance is longer than {ModelDocument.MaxProvenanceBytes} UTF-8 bytes");
        }
        if (!(document.DecisionThreshold >= 0f && document.DecisionThreshold <= 1f))
        {
            throw Fail(ModelFormatError.InvalidHeader, $"decision threshold {document.DecisionThreshold} is not in [0, 1]");
        }
        InputNormalization n = document.Normalization;
        if (!float.IsFinite(n.Scale) || n.Scale == 0f || !float.IsFinite(n.Offset))
        {
            throw Fail(ModelFormatError.InvalidHeader, $"input normalisation scale {n.Scale} offset {n.Offset}: both must be finite, scale non-zero");
        }
        if (document.NumberFormat == NumberFormat.Int8)
        {
            Quantized.Int8DocumentValidator.ValidateTensors(document.Network, document.Tensors);
            return;
        }
        ValidateTensors(document.Network, document.Tensors);
    }

    private static void ValidateTensors(NetworkDescription network, IReadOnlyList<TensorEntry> tensors)
    {
        IReadOnlyList<TensorRequirement> required = network.RequiredTensors;
        var found = new bool[required.Count];
        foreach (TensorEntry t in tensors)
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"layer {t.LayerIndex} ({KindOf(network, t.LayerIndex)}) {t.Role.ToString().ToLowerInvariant()}");
            int match = -1;
            for (int i = 0; i < required.Count; i++)
            {
                if (required[i].LayerIndex == t.LayerIndex && required[i].Role == t.Role)
                {
                    match = i;
                }
            }
            if (match < 0)
            {
                throw Fail(ModelFormatError.UnexpectedTensor, $"{where}: this layer takes no such tensor");
            }
            if (found[match])
            {
                throw Fail(ModelFormatError.UnexpectedTensor, $"{where}: given twice");
            }
            found[match] = true;
            if (t.ElementType != ElementType.Float32)
            {
                throw Fail(ModelFormatError.UnsupportedElementType, $"{where}: element type {t.ElementType} in a float32 model");
            }
            if (!t.Shape.SequenceEqual(required[match].Shape))
            {
                throw Fail(ModelFormatError.ShapeMismatch,
                    $"{where}: expected shape [{string.Join(", ", required[match].Shape)}], found [{string.Join(", ", t.Shape)}]");
            }
            long expectedBytes = required[match].ElementCount * sizeof(float);
            if (t.Data.Length != expectedBytes)
            {
                throw Fail(ModelFormatError.TensorSize, $"{where}: expected {expectedBytes} bytes, found {t.Data.Length}");
            }
            ReadOnlySpan<byte> bytes = t.Data.Span;
            for (int i = 0; i < bytes.Length; i += 4)
            {
                float v = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]);
                if (!float.IsFinite(v))
                {
                    throw Fail(ModelFormatError.NonFiniteWeight, $"{where}: element {i / 4} is {v}");
                }
            }
        }
        for (int i = 0; i < required.Count; i++)
        {
            if (!found[i])
            {
                TensorRequirement r = required[i];
                throw Fail(ModelFormatError.MissingTensor,
                    $"layer {r.LayerIndex} ({KindOf(network, r.LayerIndex)}): {r.Role.ToString().ToLowerInvariant()} [{string.Join(", ", r.Shape)}] is missing");
            }
        }
    }

    private static string KindOf(NetworkDescription network, int index) =>
        index >= 0 && index < network.LayerCount ? network.Layers[index].Kind.ToString() : "no such layer";

    private static ModelFormatException Fail(ModelFormatError error, string message) => new(error, message);
}
