using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>Tensor checks of an int8 document: the set of <see cref="Int8Requirements"/>, then every quantization parameter's range.</summary>
internal static class Int8DocumentValidator
{
    private const int MaxInputSteps = Int8Requirements.MaxInputSteps;

    public static void ValidateTensors(NetworkDescription network, IReadOnlyList<TensorEntry> tensors)
    {
        IReadOnlyList<Int8TensorRequirement> required = Int8Requirements.For(network);
        var found = new TensorEntry?[required.Count];
        foreach (TensorEntry t in tensors)
        {
            string where = Where(network, t.LayerIndex, t.Role);
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
                throw Fail(ModelFormatError.UnexpectedTensor, $"{where}: this layer takes no such tensor in an int8 model");
            }
            if (found[match] is not null)
            {
                throw Fail(ModelFormatError.UnexpectedTensor, $"{where}: given twice");
            }
            Int8TensorRequirement r = required[match];
            if (t.ElementType != r.ElementType)
            {
                throw Fail(ModelFormatError.UnsupportedElementType, $"{where}: element type {t.ElementType}, an int8 model stores {r.ElementType}");
            }
            if (!t.Shape.SequenceEqual(r.Shape))
            {
                throw Fail(ModelFormatError.ShapeMismatch, $"{where}: expected shape [{string.Join(", ", r.Shape)}], found [{string.Join(", ", t.Shape)}]");
            }
            long expectedBytes = t.ElementCount * (r.ElementType == ElementType.Int8 ? 1 : 4);
            if (t.Data.Length != expectedBytes)
            {
                throw Fail(ModelFormatError.TensorSize, $"{where}: expected {expectedBytes} bytes, found {t.Data.Length}");
            }
            found[match] = t;
        }
        for (int i = 0; i < required.Count; i++)
        {
            if (found[i] is null)
            {
                Int8TensorRequirement r = required[i];
                throw Fail(ModelFormatError.MissingTensor, $"{Where(network, r.LayerIndex, r.Role)} [{string.Join(", ", r.Shape)}] is missing");
            }
        }
        for (int i = 0; i < required.Count; i++)
        {
            CheckValues(network, required[i], found[i]!.Data.Span);
        }
    }

    private static void CheckValues(NetworkDescription network, Int8TensorRequirement r, ReadOnlySpan<byte> bytes)
    {
        string where = Where(network, r.LayerIndex, r.Role);
        switch (r.Role)
        {
            case TensorRole.Weights:
                for (int i = 0; i < bytes.Length; i++)
                {
                    if ((sbyte)bytes[i] == sbyte.MinValue)
                    {
                        throw Fail(ModelFormatError.InvalidQuantization, $"{where}: element {i} is -128; symmetric weights lie in [-127, 127]");
                    }
                }
                break;
            case TensorRole.WeightScale or TensorRole.OutputScale:
                for (int i = 0; i < bytes.Length; i += 4)
                {
                    float v = BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]);
                    if (!(float.IsFinite(v) && v > 0f))
                    {
                        throw Fail(ModelFormatError.InvalidQuantization, $"{where}: element {i / 4} is {v}; a scale must be finite and > 0");
                    }
                }
                break;
            case TensorRole.Multiplier:
                for (int i = 0; i < bytes.Length; i += 4)
                {
                    int m = BinaryPrimitives.ReadInt32LittleEndian(bytes[i..]);
                    if (m != 0 && m < FixedPoint.MinMultiplier)
                    {
                        throw Fail(ModelFormatError.InvalidQuantization, $"{where}: element {i / 4} is {m}; a multiplier is 0 or in [2^30, 2^31)");
                    }
                }
                break;
            case TensorRole.Shift when network.Layers[r.LayerIndex] is AddLayer:
                for (int i = 0; i < bytes.Length; i += 4)
                {
                    int s = BinaryPrimitives.ReadInt32LittleEndian(bytes[i..]);
                    if (s is < FixedPoint.MinShift or > 0)
                    {
                        throw Fail(ModelFormatError.InvalidQuantization,
                            $"{where}: element {i / 4} is {s}; an Add's shifts lie in [-31, 0] (its multipliers are below one, as TFLM's ADD)");
                    }
                }
                break;
            case TensorRole.Shift:
                for (int i = 0; i < bytes.Length; i += 4)
                {
                    int s = BinaryPrimitives.ReadInt32LittleEndian(bytes[i..]);
                    if (s is < FixedPoint.MinShift or > FixedPoint.MaxShift)
                    {
                        throw Fail(ModelFormatError.InvalidQuantization, $"{where}: element {i / 4} is {s}; a shift lies in [-31, 30]");
                    }
                }
                break;
            case TensorRole.OutputZeroPoint:
                CheckZeroPoint(where, BinaryPrimitives.ReadInt32LittleEndian(bytes));
                break;
            case TensorRole.InputQuantization:
                int steps = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                int zeroPoint = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
                if (steps is < 1 or > MaxInputSteps)
                {
                    throw Fail(ModelFormatError.InvalidQuantization, $"{where}: {steps} steps per SNR unit; must be 1..{MaxInputSteps}");
                }
                CheckZeroPoint(where, zeroPoint);
                if (zeroPoint + (3 * steps) > sbyte.MaxValue)
                {
                    throw Fail(ModelFormatError.InvalidQuantization,
                        $"{where}: zero point {zeroPoint} + 3 x {steps} steps exceeds 127; the mask value 3 must be exact");
                }
                break;
            case TensorRole.DecisionThreshold:
                int threshold = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                if (threshold is < sbyte.MinValue or > sbyte.MaxValue + 1)
                {
                    throw Fail(ModelFormatError.InvalidQuantization, $"{where}: {threshold} outside [-128, 128]");
                }
                break;
        }
    }

    private static void CheckZeroPoint(string where, int zeroPoint)
    {
        if (zeroPoint is < sbyte.MinValue or > sbyte.MaxValue)
        {
            throw Fail(ModelFormatError.InvalidQuantization, $"{where}: zero point {zeroPoint} outside [-128, 127]");
        }
    }

    private static string Where(NetworkDescription network, int layer, TensorRole role) =>
        string.Create(CultureInfo.InvariantCulture,
            $"layer {layer} ({(layer >= 0 && layer < network.LayerCount ? network.Layers[layer].Kind.ToString() : "no such layer")}) {role}");

    private static ModelFormatException Fail(ModelFormatError error, string message) => new(error, message);
}
