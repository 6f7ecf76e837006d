using System;
using System.Collections.Generic;
using Eclairs.Training.Data;
using Eclairs.Training.Layers;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Networks;

/// <summary>
/// A network being trained: its layers and one flat parameter vector (each layer's weights in the engine's layout,
/// then its biases, layer after layer). Forward and backward passes work on one sample in a <see cref="NetworkWorkspace"/>.
/// </summary>
public sealed class TrainingNetwork
{
    private readonly TrainingLayer[] _layers;
    private readonly int[] _offsets;
    private readonly float[] _parameters;

    /// <summary>Builds the layers of <paramref name="spec"/> and checks that every shape fits.</summary>
    public TrainingNetwork(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        _layers = new TrainingLayer[spec.Layers.Count];
        _offsets = new int[spec.Layers.Count + 1];
        TensorShape shape = spec.Input;
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i] = LayerFactory.Create(spec.Layers[i], shape);
            shape = _layers[i].OutputShape;
            _offsets[i + 1] = checked(_offsets[i] + _layers[i].ParameterCount);
        }

        if (shape.Size != 1)
        {
            throw new ArgumentException($"The last layer of {spec.Name} must output one logit; it outputs {shape}.", nameof(spec));
        }

        _parameters = new float[_offsets[^1]];
        if (!spec.UsesMask && (spec.Layers[0] is not Conv2DSpec || spec.Input.Channels != 2))
        {
            throw new ArgumentException($"{spec.Name}: a network without the mask must start with a convolution on the two-channel input.", nameof(spec));
        }
    }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>While set (quantization-aware fine-tuning), inputs and layer outputs pass through the int8 grids.</summary>
    internal FakeQuantization? Quantization { get; set; }

    /// <summary>The layers in evaluation order.</summary>
    public IReadOnlyList<TrainingLayer> Layers => _layers;

    /// <summary>Total number of trainable values.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>All parameters, layer after layer (weights then biases).</summary>
    public Span<float> Parameters => _parameters;

    /// <summary>Start of layer <paramref name="index"/>'s parameters in <see cref="Parameters"/>.</summary>
    public int ParameterOffset(int index) => _offsets[index];

    /// <summary>Parameters of layer <paramref name="index"/>.</summary>
    public Span<float> LayerParameters(int index) => _parameters.AsSpan(_offsets[index], _layers[index].ParameterCount);

    /// <summary>Ranges of <see cref="Parameters"/> holding weights (decayed by the optimiser); biases are outside them.</summary>
    public IEnumerable<Range> WeightRanges()
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i].WeightCount > 0)
            {
                yield return new Range(_offsets[i], _offsets[i] + _layers[i].WeightCount);
            }
        }
    }

    /// <summary>Draws fresh parameters: He normal (ReLU layers) or Glorot uniform weights, zero biases.</summary>
    public void Initialize(ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i].Initialize(LayerParameters(i), ref rng);
        }

        if (!Spec.UsesMask)
        {
            // HWIO weights [kh][kw][cin][cout]: zero every cin = 1 (mask) row of the first convolution.
            int filters = ((Conv2DSpec)Spec.Layers[0]).Filters;
            Span<float> weights = LayerParameters(0)[.._layers[0].WeightCount];
            for (int row = 1; row * filters < weights.Length; row += 2)
            {
                weights.Slice(row * filters, filters).Clear();
            }
        }
    }

    /// <summary>Encodes one alert as this network's input (the mask channel zeroed when it does not use the mask).</summary>
    internal void Encode(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, Span<float> input)
    {
        AlertEncoding.Encode(snr, mask, input);
        if (!Spec.UsesMask)
        {
            AlertEncoding.DropMask(input);
        }

        Quantization?.Input(input);
    }

    /// <summary>One line per layer (spec, output shape, parameters) and a total: for logs and model cards.</summary>
    public string Summary()
    {
        var text = new System.Text.StringBuilder();
        text.Append(Spec.Name).Append(": input ").Append(Spec.Input).AppendLine();
        foreach (TrainingLayer layer in _layers)
        {
            text.Append("  ").Append(layer.Spec).Append(" -> ").Append(layer.OutputShape)
                .Append(", ").Append(layer.ParameterCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).AppendLine(" parameters");
        }

        text.Append("  total ").Append(ParameterCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" parameters");
        return text.ToString();
    }

    /// <summary>Buffers for one thread's passes.</summary>
    public NetworkWorkspace CreateWorkspace() => new(this);

    /// <summary>Probability that the alert is a true burst (dropout off).</summary>
    public float PredictProbability(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, NetworkWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        Encode(snr, mask, workspace.Input);
        return (float)SigmoidCrossEntropy.Sigmoid(Forward(workspace, training: false, dropoutSeed: 0));
    }

    /// <summary>Runs the layers on <see cref="NetworkWorkspace.Input"/> and returns the logit.</summary>
    internal float Forward(NetworkWorkspace workspace, bool training, ulong dropoutSeed)
    {
        CheckOwner(workspace);
        ReadOnlySpan<float> input = workspace.Input;
        for (int i = 0; i < _layers.Length; i++)
        {
            var context = new LayerContext(LayerParameters(i), default, workspace.Scratch[i], training, LayerSeed(dropoutSeed, i));
            _layers[i].Forward(context, input, workspace.Activations[i]);
            Quantization?.Output(i, workspace.Activations[i]);
            input = workspace.Activations[i];
        }

        return workspace.Activations[^1][0];
    }

    /// <summary>
    /// Forward and backward pass of the sample in the workspace (training mode). Adds d(loss)/d(parameters) to
    /// <paramref name="gradients"/> (same layout as <see cref="Parameters"/>) and returns the weighted loss.
    /// </summary>
    /// <param name="firstTrainable">Lowest layer whose parameters train: the backward pass stops there (frozen layers below it need nothing).</param>
    internal double ForwardBackward(
        NetworkWorkspace workspace, int label, double weight, Span<float> gradients, ulong dropoutSeed, DeferredGradients? deferred = null, int slot = 0,
        int firstTrainable = 0)
    {
        float logit = Forward(workspace, training: true, dropoutSeed);
        double loss = SigmoidCrossEntropy.Loss(logit, label, weight);
        workspace.GradientA[0] = (float)SigmoidCrossEntropy.Gradient(logit, label, weight);
        Backward(workspace, gradients, dropoutSeed, training: true, inputGradient: default, deferred, slot, firstTrainable);
        return loss;
    }

    /// <summary>
    /// Backward pass from the output gradient already in <see cref="NetworkWorkspace.GradientA"/> (length of the
    /// last output). When <paramref name="inputGradient"/> is not empty, the gradient with respect to the input is
    /// written there (used by gradient checks). With <paramref name="deferred"/>, layers that can defer their weight
    /// gradient leave this sample's pair in slot <paramref name="slot"/> instead of adding to <paramref name="gradients"/>.
    /// </summary>
    internal void Backward(
        NetworkWorkspace workspace, Span<float> gradients, ulong dropoutSeed, bool training, Span<float> inputGradient, DeferredGradients? deferred = null, int slot = 0,
        int firstTrainable = 0)
    {
        if (!inputGradient.IsEmpty)
        {
            firstTrainable = 0;
        }

        if (deferred is not null && (uint)slot >= (uint)deferred.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Deferred slots hold {deferred.Capacity} samples.");
        }

        CheckOwner(workspace);
        if (gradients.Length != _parameters.Length)
        {
            throw new ArgumentException($"Gradient buffer has {gradients.Length} values; the network has {_parameters.Length}.", nameof(gradients));
        }

        float[] current = workspace.GradientA, other = workspace.GradientB;
        for (int i = _layers.Length - 1; i >= firstTrainable; i--)
        {
            TrainingLayer layer = _layers[i];
            ReadOnlySpan<float> input = i == 0 ? workspace.Input : workspace.Activations[i - 1];
            bool wantInput = i > firstTrainable || !inputGradient.IsEmpty;
            Span<float> deferredInput = default, deferredGradient = default;
            if (deferred is not null && deferred.Defers(i))
            {
                deferredInput = deferred.Inputs[i].AsSpan(slot * layer.InputShape.Size, layer.InputShape.Size);
                deferredGradient = deferred.OutputGradients[i].AsSpan(slot * layer.OutputShape.Size, layer.OutputShape.Size);
            }

            Quantization?.StraightThrough(i, workspace.Activations[i], current.AsSpan(0, layer.OutputShape.Size));
            var context = new LayerContext(
                LayerParameters(i),
                gradients.Slice(_offsets[i], layer.ParameterCount),
                workspace.Scratch[i],
                training,
                LayerSeed(dropoutSeed, i),
                deferredInput,
                deferredGradient);
            layer.Backward(
                context,
                input,
                workspace.Activations[i],
                current.AsSpan(0, layer.OutputShape.Size),
                other.AsSpan(0, layer.InputShape.Size),
                wantInput);
            (current, other) = (other, current);
        }

        if (!inputGradient.IsEmpty)
        {
            current.AsSpan(0, Spec.Input.Size).CopyTo(inputGradient);
        }
    }

    /// <summary>Each dropout layer of a sample draws its own mask.</summary>
    private static ulong LayerSeed(ulong sampleSeed, int layer) => sampleSeed ^ SplitMix64.Mix((ulong)layer + 1);

    private void CheckOwner(NetworkWorkspace workspace)
    {
        if (!ReferenceEquals(workspace.Network, this))
        {
            throw new ArgumentException("The workspace was created by another network.", nameof(workspace));
        }
    }
}
