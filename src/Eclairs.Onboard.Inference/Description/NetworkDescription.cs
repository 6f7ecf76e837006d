using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// An immutable, checked chain of layers: Input, Concatenate, then any sequence of Conv2D, MaxPool2D,
/// GlobalAveragePool, Flatten, Dense, Dropout and, for a classifier, a final Sigmoid on one logit.
/// Shapes, parameter counts and MACs are computed here, once.
/// </summary>
public sealed partial class NetworkDescription
{
    /// <summary>Most layers a description may hold (a bound for the file loader).</summary>
    public const int MaxLayers = 64;

    /// <summary>Largest input side and channel or unit count accepted.</summary>
    public const int MaxDimension = 4096;

    /// <summary>Largest activation, in elements, accepted (keeps every index in 32 bits).</summary>
    public const long MaxActivationElements = 1L << 26;

    private readonly LayerSpec[] _layers;
    private readonly LayerInfo[] _infos;
    private readonly TensorRequirement[] _tensors;

    /// <summary>Checks the chain and computes its shapes.</summary>
    /// <exception cref="ModelFormatException">The chain is not valid (code and message say where).</exception>
    public NetworkDescription(IEnumerable<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        _infos = new LayerInfo[_layers.Length];
        var tensors = new List<TensorRequirement>();
        Analyse(tensors);
        _tensors = [.. tensors];
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<LayerSpec> Layers => new ReadOnlyCollection<LayerSpec>(_layers);

    /// <summary>The layers with their computed shapes, parameters and MACs.</summary>
    public IReadOnlyList<LayerInfo> LayerInfos => new ReadOnlyCollection<LayerInfo>(_infos);

    /// <summary>Parameter tensors, in layer order (weights then bias of each layer).</summary>
    public IReadOnlyList<TensorRequirement> RequiredTensors => new ReadOnlyCollection<TensorRequirement>(_tensors);

    /// <summary>Number of layers.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Side of the input images.</summary>
    public int InputHeight { get; private set; }

    /// <summary>Width of the input images.</summary>
    public int InputWidth { get; private set; }

    /// <summary>Shape of the last layer's output.</summary>
    public TensorShape OutputShape => _infos[^1].OutputShape;

    /// <summary>Total weights and biases.</summary>
    public long ParameterCount { get; private set; }

    /// <summary>Multiply-accumulates per inference.</summary>
    public long Macs { get; private set; }

    /// <summary>Largest activation any layer produces, in elements.</summary>
    public long MaxActivationSize { get; private set; }

    /// <summary>True when the chain ends with a Sigmoid on a single logit (what <c>Classify</c> needs).</summary>
    public bool IsClassifier => _layers[^1].Kind == LayerKind.Sigmoid;

    /// <summary>The first <paramref name="layerCount"/> layers as a description of their own (to check layers one by one).</summary>
    public NetworkDescription Prefix(int layerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(layerCount, _layers.Length);
        return new NetworkDescription(_layers.AsSpan(0, layerCount).ToArray());
    }

    private void Analyse(List<TensorRequirement> tensors)
    {
        if (_layers.Length < 2 || _layers.Length > MaxLayers)
        {
            throw Fail(ModelFormatError.InvalidLayerParameter, -1,
                $"a network has 2..{MaxLayers} layers (Input, Concatenate, ...), found {_layers.Length}");
        }
        var shape = default(TensorShape);
        for (int i = 0; i < _layers.Length; i++)
        {
            LayerSpec spec = _layers[i] ?? throw Fail(ModelFormatError.UnknownLayer, i, "null layer");
            if (i == 0 && spec is not InputLayer)
            {
                throw Fail(ModelFormatError.ShapeMismatch, i, $"the first layer must be Input, found {spec.Kind}");
            }
            if (i == 1 && spec is not ConcatenateLayer)
            {
                throw Fail(ModelFormatError.ShapeMismatch, i, $"the second layer must be Concatenate, found {spec.Kind}");
            }
            TensorShape input = shape;
            long parameters = 0, macs = 0;
            switch (spec)
            {
                case InputLayer layer when i == 0:
                    CheckRange(i, "height", layer.Height, 1, MaxDimension);
                    CheckRange(i, "width", layer.Width, 1, MaxDimension);
                    InputHeight = layer.Height;
                    InputWidth = layer.Width;
                    input = new TensorShape(layer.Height, layer.Width, 1);
                    shape = new TensorShape(layer.Height, layer.Width, 2);
                    break;
                case ConcatenateLayer when i == 1:
                    break;
                case Conv2DLayer conv:
                    CheckRange(i, "filters", conv.Filters, 1, MaxDimension);
                    if (conv.KernelSize is not (3 or 5))
                    {
                        throw Fail(ModelFormatError.InvalidLayerParameter, i, $"kernel size must be 3 or 5, found {conv.KernelSize}");
                    }
                    CheckEnum(i, "padding", (int)conv.Padding, 1);
                    CheckEnum(i, "activation", (int)conv.Activation, 1);
                    int k = conv.KernelSize;
                    int oh = conv.Padding == Padding.Same ? input.Height : input.Height - k + 1;
                    int ow = conv.Padding == Padding.Same ? input.Width : input.Width - k + 1;
                    if (oh < 1 || ow < 1)
                    {
                        throw Fail(ModelFormatError.ShapeMismatch, i,
                            $"a {k}x{k} 'valid' convolution needs at least {k}x{k} pixels, input is {input}");
                    }
                    shape = new TensorShape(oh, ow, conv.Filters);
                    long kernelVolume = (long)k * k * input.Channels;
                    parameters = kernelVolume * conv.Filters + conv.Filters;
                    macs = shape.Size * kernelVolume;
                    tensors.Add(new TensorRequirement(i, TensorRole.Weights, [k, k, input.Channels, conv.Filters]));
                    tensors.Add(new TensorRequirement(i, TensorRole.Bias, [conv.Filters]));
                    break;
                case MaxPool2DLayer:
                    if (input.Height < 2 || input.Width < 2)
                    {
                        throw Fail(ModelFormatError.ShapeMismatch, i, $"2x2 max pooling needs at least 2x2 pixels, input is {input}");
                    }
                    shape = new TensorShape(input.Height / 2, input.Width / 2, input.Channels);
                    break;
                case GlobalAveragePoolLayer:
                    shape = new TensorShape(1, 1, input.Channels);
                    break;
                case FlattenLayer:
                    if (input.Size > MaxActivationElements)
                    {
                        throw Fail(ModelFormatError.ShapeMismatch, i, $"flattened size {input.Size} is too large");
                    }
                    shape = new TensorShape(1, 1, (int)input.Size);
                    break;
                case DenseLayer dense:
                    CheckRange(i, "units", dense.Units, 1, MaxDimension);
                    CheckEnum(i, "activation", (int)dense.Activation, 1);
                    if (!input.IsVector)
                    {
                        throw Fail(ModelFormatError.ShapeMismatch, i,
                            $"Dense takes a 1x1xN vector (add Flatten or GlobalAveragePool), input is {input}");
                    }
                    shape = new TensorShape(1, 1, dense.Units);
                    parameters = (long)input.Channels * dense.Units + dense.Units;
                    macs = (long)input.Channels * dense.Units;
                    tensors.Add(new TensorRequirement(i, TensorRole.Weights, [input.Channels, dense.Units]));
                    tensors.Add(new TensorRequirement(i, TensorRole.Bias, [dense.Units]));
                    break;
                case DropoutLayer dropout:
                    if (!(dropout.Rate >= 0f && dropout.Rate < 1f))
                    {
                        throw Fail(ModelFormatError.InvalidLayerParameter, i, $"dropout rate must be in [0, 1), found {dropout.Rate}");
                    }
                    break;
                case SigmoidLayer:
                    if (i != _layers.Length - 1)
                    {
                        throw Fail(ModelFormatError.ShapeMismatch, i, "Sigmoid must be the last layer");
                    }
                    if (input.Size != 1)
                    {
                        throw Fail(ModelFormatError.ShapeMismatch, i, $"Sigmoid takes a single logit, input is {input}");
                    }
                    break;
                case GeneralConv2DLayer conv:
                    shape = GeneralConvolution(i, conv, input, tensors, out parameters, out macs);
                    break;
                case AveragePool2DLayer:
                    if (input.Height < 2 || input.Width < 2)
                    {
                        throw Fail(ModelFormatError.ShapeMismatch, i, $"2x2 average pooling needs at least 2x2 pixels, input is {input}");
                    }
                    shape = new TensorShape(input.Height / 2, input.Width / 2, input.Channels);
                    break;
                case AddLayer add:
                    shape = Residual(i, add, input);
                    break;
                case BranchLayer branch:
                    shape = BranchSource(i, branch.Source);
                    break;
                case InputLayer or ConcatenateLayer:
                    throw Fail(ModelFormatError.ShapeMismatch, i, $"{spec.Kind} may only appear at the start of the network");
                default:
                    throw Fail(ModelFormatError.UnknownLayer, i, $"layer type {spec.GetType().Name} is not supported");
            }
            if (shape.Size > MaxActivationElements)
            {
                throw Fail(ModelFormatError.ShapeMismatch, i, $"output {shape} is too large");
            }
            _infos[i] = new LayerInfo(i, spec, input, shape, parameters, macs);
            ParameterCount += parameters;
            Macs += macs;
            MaxActivationSize = Math.Max(MaxActivationSize, shape.Size);
        }
    }

    private static void CheckRange(int layer, string what, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw Fail(ModelFormatError.InvalidLayerParameter, layer, $"{what} must be in {min}..{max}, found {value}");
        }
    }

    private static void CheckEnum(int layer, string what, int value, int max)
    {
        if (value < 0 || value > max)
        {
            throw Fail(ModelFormatError.InvalidLayerParameter, layer, $"unknown {what} code {value}");
        }
    }

    private static ModelFormatException Fail(ModelFormatError error, int layer, string message) =>
        new(error, layer < 0
            ? message
            : string.Create(CultureInfo.InvariantCulture, $"layer {layer}: {message}"));
}
