using System;
using System.Collections.Generic;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Engine = Eclairs.Onboard.Inference;

namespace Eclairs.Training;

/// <summary>
/// Quantization-aware fine-tuning (QAT): the forward pass sees what the int8 engine computes — the SNR input on its
/// grid of 1/n, each convolution and dense output (and what pooling carries on) on its int8 grid, every weight on its
/// per-output-channel grid — and the backward pass lets gradients through the rounding unchanged (the straight-through
/// estimator), blocking them only where a value was clipped to its range. The grids come from an int8 model quantized
/// from the network being tuned (docs/int8.md); the trainer keeps float master weights and updates them with the
/// gradient taken at their quantized values.
/// </summary>
public sealed class FakeQuantization
{
    private readonly (float Scale, int ZeroPoint)?[] _outputs;
    private readonly bool[] _weighted;

    private FakeQuantization(int inputSteps, int inputZeroPoint, (float, int)?[] outputs, bool[] weighted)
    {
        InputSteps = inputSteps;
        InputZeroPoint = inputZeroPoint;
        _outputs = outputs;
        _weighted = weighted;
    }

    /// <summary>SNR steps per unit (input scale 1/n).</summary>
    public int InputSteps { get; }

    public int InputZeroPoint { get; }

    /// <summary>
    /// The grids of an int8 model of <paramref name="network"/>'s architecture: per Conv2D and Dense layer its output
    /// scale and zero point; global average pooling rounds onto its input's grid (max pooling and flatten stay on it).
    /// </summary>
    public static FakeQuantization FromInt8(Engine.ModelDocument quantized, TrainingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(network);
        Engine.Quantized.Int8Parameters p = Engine.Quantized.Int8Parameters.FromDocument(quantized);
        if (quantized.Network.LayerCount != network.Layers.Count + 3)
        {
            throw new ArgumentException($"the int8 model '{quantized.Name}' has {quantized.Network.LayerCount} layers, the network {network.Layers.Count} + Input, Concatenate, Sigmoid");
        }

        var outputs = new (float, int)?[network.Layers.Count];
        var weighted = new bool[network.Layers.Count];
        (float, int)? current = null;
        var byIndex = new Dictionary<int, Engine.Quantized.Int8LayerParameters>();
        foreach (Engine.Quantized.Int8LayerParameters layer in p.Layers)
        {
            byIndex[layer.LayerIndex - 2] = layer;
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (byIndex.TryGetValue(i, out Engine.Quantized.Int8LayerParameters? q))
            {
                current = (q.OutputScale, q.OutputZeroPoint);
                weighted[i] = true;
            }
            else if (network.Layers[i].ParameterCount > 0)
            {
                throw new ArgumentException($"the int8 model '{quantized.Name}' has no quantization for layer {i + 2} ({network.Layers[i].Spec})");
            }

            // Max pooling and flatten keep values on the grid; dropout is the identity in the engine (in training its
            // 1/(1 - rate) scaling is noise the next layer sees); global average pooling rounds back onto it.
            outputs[i] = network.Layers[i].Spec is Conv2DSpec or DenseSpec or GlobalAveragePoolSpec ? current : null;
        }

        return new FakeQuantization(p.InputSteps, p.InputZeroPoint, outputs, weighted);
    }

    /// <summary>The SNR channel on the input grid (the mask channel, 0..3, is exact on it).</summary>
    internal void Input(Span<float> encoded)
    {
        for (int i = 0; i < encoded.Length; i += 2)
        {
            float q = MathF.Round(encoded[i] * InputSteps, MidpointRounding.AwayFromZero) + InputZeroPoint;
            encoded[i] = (Math.Clamp(q, -128f, 127f) - InputZeroPoint) / InputSteps;
        }
    }

    /// <summary>Layer <paramref name="layer"/>'s output on its int8 grid (in place).</summary>
    internal void Output(int layer, Span<float> activation)
    {
        if (_outputs[layer] is not (float scale, int zeroPoint))
        {
            return;
        }

        for (int i = 0; i < activation.Length; i++)
        {
            float q = MathF.Round(activation[i] / scale, MidpointRounding.ToEven) + zeroPoint;
            activation[i] = (Math.Clamp(q, -128f, 127f) - zeroPoint) * scale;
        }
    }

    /// <summary>The straight-through gradient: zero where layer <paramref name="layer"/>'s output sits at a clip bound.</summary>
    internal void StraightThrough(int layer, ReadOnlySpan<float> activation, Span<float> gradient)
    {
        if (_outputs[layer] is not (float scale, int zeroPoint))
        {
            return;
        }

        float low = (-128 - zeroPoint) * scale, high = (127 - zeroPoint) * scale;
        for (int i = 0; i < activation.Length; i++)
        {
            if (activation[i] >= high || activation[i] <= low)
            {
                gradient[i] = 0;
            }
        }
    }

    /// <summary>
    /// Each weight on its output channel's symmetric grid (scale max |w| / 127, as the quantizer chooses it), written
    /// into <paramref name="parameters"/>; biases are left as they are (int32 in the engine: negligible error).
    /// </summary>
    internal void Weights(TrainingNetwork network, Span<float> parameters)
    {
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (!_weighted[i])
            {
                continue;
            }

            TrainingLayer layer = network.Layers[i];
            int channels = layer.Spec switch
            {
                Conv2DSpec c => c.Filters,
                DenseSpec d => d.Units,
                _ => throw new InvalidOperationException($"layer {i} has weights but is {layer.Spec}"),
            };
            Span<float> w = parameters.Slice(network.ParameterOffset(i), layer.WeightCount);
            for (int c = 0; c < channels; c++)
            {
                float max = 0;
                for (int k = c; k < w.Length; k += channels)
                {
                    max = Math.Max(max, Math.Abs(w[k]));
                }

                if (max == 0)
                {
                    continue;
                }

                float scale = max / 127;
                for (int k = c; k < w.Length; k += channels)
                {
                    w[k] = Math.Clamp(MathF.Round(w[k] / scale, MidpointRounding.ToEven), -127f, 127f) * scale;
                }
            }
        }
    }
}
