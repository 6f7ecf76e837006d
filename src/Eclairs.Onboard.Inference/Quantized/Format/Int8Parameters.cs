using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>The quantized parameters of one Conv2D or Dense layer (weights HWIO or [in][out], as the float model).</summary>
public sealed record Int8LayerParameters(
    int LayerIndex,
    sbyte[] Weights,
    int[] Bias,
    float[] WeightScale,
    int[] Multiplier,
    int[] Shift,
    float OutputScale,
    int OutputZeroPoint);

/// <summary>
/// The requantization of one residual Add (TFLM's int8 ADD): input 1 is the previous layer's output, input 2 the
/// output of the Add's <see cref="AddLayer.Source"/> layer. Each input, offset by its producer's zero point and
/// shifted left by <see cref="LeftShift"/>, is rescaled to the common scale 2·max(s1, s2) / 2^20 by its own
/// multiplier and shift; the sum goes to the output scale by the third. Every shift is &lt;= 0 (multipliers below one).
/// </summary>
/// <param name="LayerIndex">The Add layer.</param>
/// <param name="Multiplier">[3]: input 1 (previous layer), input 2 (source layer), output; 0 or in [2^30, 2^31).</param>
/// <param name="Shift">[3], same order, each in [-31, 0].</param>
/// <param name="OutputScale">Scale of the Add's output.</param>
/// <param name="OutputZeroPoint">Zero point of the Add's output.</param>
public sealed record Int8AddParameters(int LayerIndex, int[] Multiplier, int[] Shift, float OutputScale, int OutputZeroPoint)
{
    /// <summary>TFLM's left shift of both inputs for int8 ADD (|x - zp| &lt;= 255, so x · 2^20 fits in 28 bits).</summary>
    public const int LeftShift = 20;

    /// <summary>Multiplier of input 1 (the previous layer).</summary>
    public int InputMultiplier => Multiplier[0];

    /// <summary>Shift of input 1.</summary>
    public int InputShift => Shift[0];

    /// <summary>Multiplier of input 2 (the <see cref="AddLayer.Source"/> layer).</summary>
    public int SourceMultiplier => Multiplier[1];

    /// <summary>Shift of input 2.</summary>
    public int SourceShift => Shift[1];

    /// <summary>Multiplier of the sum to the output scale.</summary>
    public int OutputMultiplier => Multiplier[2];

    /// <summary>Shift of the sum to the output scale.</summary>
    public int OutputShift => Shift[2];
}

/// <summary>
/// Typed view of an int8 document: the input quantization (scale 1/<see cref="InputSteps"/>, zero point), each layer's
/// parameters, the integer decision threshold. Converts to and from the document's tensors.
/// </summary>
public sealed class Int8Parameters
{
    /// <summary>Creates the set (unchecked: <see cref="ModelDocument.Validate"/> checks the document made of it).</summary>
    public Int8Parameters(int inputSteps, int inputZeroPoint, int decisionThreshold, IReadOnlyList<Int8LayerParameters> layers,
        IReadOnlyList<Int8AddParameters>? adds = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        InputSteps = inputSteps;
        InputZeroPoint = inputZeroPoint;
        DecisionThreshold = decisionThreshold;
        Layers = layers;
        Adds = adds ?? [];
    }

    /// <summary>Input codes per SNR unit: the input scale is exactly 1/n, so the mask value m is the code zp + n·m.</summary>
    public int InputSteps { get; }

    /// <summary>Zero point of the two-channel input.</summary>
    public int InputZeroPoint { get; }

    /// <summary>True alert when the raw int8 logit is &gt;= this (-128: always, 128: never).</summary>
    public int DecisionThreshold { get; }

    /// <summary>Conv2D, GeneralConv2D and Dense layers, in network order.</summary>
    public IReadOnlyList<Int8LayerParameters> Layers { get; }

    /// <summary>Residual Add layers, in network order (empty for a plain chain).</summary>
    public IReadOnlyList<Int8AddParameters> Adds { get; }

    /// <summary>
    /// The scale and zero point of every layer's output, by layer index: the input's (1/<see cref="InputSteps"/>,
    /// <see cref="InputZeroPoint"/>) up to Concatenate, a Conv2D/GeneralConv2D/Dense/Add layer's own, a Branch its
    /// source's, every other layer its input's (pools keep their input's quantization, as TFLM requires).
    /// </summary>
    public (float Scale, int ZeroPoint)[] LayerOutputQuantization(NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var own = new Dictionary<int, (float, int)>();
        foreach (Int8LayerParameters l in Layers)
        {
            own[l.LayerIndex] = (l.OutputScale, l.OutputZeroPoint);
        }
        foreach (Int8AddParameters a in Adds)
        {
            own[a.LayerIndex] = (a.OutputScale, a.OutputZeroPoint);
        }
        var result = new (float Scale, int ZeroPoint)[network.LayerCount];
        (float, int) current = (1f / InputSteps, InputZeroPoint);
        foreach (LayerInfo info in network.LayerInfos)
        {
            if (own.TryGetValue(info.Index, out (float, int) q))
            {
                current = q;
            }
            else if (info.Spec is BranchLayer branch)
            {
                current = result[branch.Source];
            }
            result[info.Index] = current;
        }
        return result;
    }

    /// <summary>The parameters of a validated int8 document.</summary>
    public static Int8Parameters FromDocument(ModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.NumberFormat != NumberFormat.Int8)
        {
            throw new ArgumentException("not an int8 document", nameof(document));
        }
        TensorEntry Find(int layer, TensorRole role)
        {
            foreach (TensorEntry t in document.Tensors)
            {
                if (t.LayerIndex == layer && t.Role == role)
                {
                    return t;
                }
            }
            throw new ModelFormatException(ModelFormatError.MissingTensor, $"layer {layer}: {role} is missing");
        }
        var layers = new List<Int8LayerParameters>();
        var adds = new List<Int8AddParameters>();
        int steps = 0, zeroPoint = 0, threshold = sbyte.MaxValue + 1;
        foreach (LayerInfo info in document.Network.LayerInfos)
        {
            switch (info.Spec)
            {
                case ConcatenateLayer:
                    int[] q = Int32s(Find(info.Index, TensorRole.InputQuantization));
                    (steps, zeroPoint) = (q[0], q[1]);
                    break;
                case Conv2DLayer or DenseLayer or GeneralConv2DLayer:
                    layers.Add(new Int8LayerParameters(info.Index,
                        MemoryMarshal.Cast<byte, sbyte>(Find(info.Index, TensorRole.Weights).Data.Span).ToArray(),
                        Int32s(Find(info.Index, TensorRole.Bias)),
                        Find(info.Index, TensorRole.WeightScale).ToSinglesAnyFormat(),
                        Int32s(Find(info.Index, TensorRole.Multiplier)),
                        Int32s(Find(info.Index, TensorRole.Shift)),
                        Find(info.Index, TensorRole.OutputScale).ToSinglesAnyFormat()[0],
                        Int32s(Find(info.Index, TensorRole.OutputZeroPoint))[0]));
                    break;
                case AddLayer:
                    adds.Add(new Int8AddParameters(info.Index, Int32s(Find(info.Index, TensorRole.Multiplier)), Int32s(Find(info.Index, TensorRole.Shift)),
                        Find(info.Index, TensorRole.OutputScale).ToSinglesAnyFormat()[0], Int32s(Find(info.Index, TensorRole.OutputZeroPoint))[0]));
                    break;
                case SigmoidLayer:
                    threshold = Int32s(Find(info.Index, TensorRole.DecisionThreshold))[0];
                    break;
            }
        }
        return new Int8Parameters(steps, zeroPoint, threshold, layers, adds);
    }

    /// <summary>The document's tensors, in <see cref="Int8Requirements.For"/> order.</summary>
    public IReadOnlyList<TensorEntry> ToTensors(NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var byLayer = new Dictionary<int, Int8LayerParameters>();
        foreach (Int8LayerParameters l in Layers)
        {
            byLayer[l.LayerIndex] = l;
        }
        var addByLayer = new Dictionary<int, Int8AddParameters>();
        foreach (Int8AddParameters a in Adds)
        {
            addByLayer[a.LayerIndex] = a;
        }
        var tensors = new List<TensorEntry>();
        foreach (Int8TensorRequirement r in Int8Requirements.For(network))
        {
            if (network.Layers[r.LayerIndex] is AddLayer)
            {
                Int8AddParameters a = addByLayer[r.LayerIndex];
                tensors.Add(new TensorEntry(r.LayerIndex, r.Role, r.ElementType, r.Shape, r.Role switch
                {
                    TensorRole.Multiplier => Bytes(a.Multiplier),
                    TensorRole.Shift => Bytes(a.Shift),
                    TensorRole.OutputScale => Bytes([a.OutputScale]),
                    TensorRole.OutputZeroPoint => Bytes([a.OutputZeroPoint]),
                    _ => throw new InvalidOperationException($"unexpected Add role {r.Role}"),
                }));
                continue;
            }
            byte[] data = r.Role switch
            {
                TensorRole.InputQuantization => Bytes([InputSteps, InputZeroPoint]),
                TensorRole.DecisionThreshold => Bytes([DecisionThreshold]),
                TensorRole.Weights => MemoryMarshal.AsBytes(byLayer[r.LayerIndex].Weights.AsSpan()).ToArray(),
                TensorRole.Bias => Bytes(byLayer[r.LayerIndex].Bias),
                TensorRole.WeightScale => Bytes(byLayer[r.LayerIndex].WeightScale),
                TensorRole.Multiplier => Bytes(byLayer[r.LayerIndex].Multiplier),
                TensorRole.Shift => Bytes(byLayer[r.LayerIndex].Shift),
                TensorRole.OutputScale => Bytes([byLayer[r.LayerIndex].OutputScale]),
                TensorRole.OutputZeroPoint => Bytes([byLayer[r.LayerIndex].OutputZeroPoint]),
                _ => throw new InvalidOperationException($"unexpected role {r.Role}"),
            };
            tensors.Add(new TensorEntry(r.LayerIndex, r.Role, r.ElementType, r.Shape, data));
        }
        return tensors;
    }

    private static int[] Int32s(TensorEntry t)
    {
        ReadOnlySpan<byte> b = t.Data.Span;
        var values = new int[b.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]);
        }
        return values;
    }

    private static byte[] Bytes(ReadOnlySpan<int> values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4 * i), values[i]);
        }
        return b;
    }

    private static byte[] Bytes(ReadOnlySpan<float> values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), values[i]);
        }
        return b;
    }
}

internal static class TensorEntryExtensions
{
    public static float[] ToSinglesAnyFormat(this TensorEntry t)
    {
        ReadOnlySpan<byte> b = t.Data.Span;
        var values = new float[b.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]);
        }
        return values;
    }
}
