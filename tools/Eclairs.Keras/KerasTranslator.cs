using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx;

namespace Eclairs.Keras;

/// <summary>
/// Walks a Keras configuration (layers are stored in topological order) into the engine's layer chain. Keras is
/// channels-last like the engine, so kernels (HWIO, [in][out]) and the Flatten order are taken as stored; only the
/// input stage (SNR and mask as channels) and the fused activations need recognising.
/// </summary>
internal sealed class KerasTranslator
{
    private readonly KerasFile _file;
    private readonly KerasImportOptions _options;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _consumers = new(StringComparer.Ordinal);

    public KerasTranslator(KerasFile file, KerasImportOptions options)
    {
        _file = file;
        _options = options;
        foreach (string source in file.Config.Layers.SelectMany(l => l.Inbound))
        {
            _consumers[source] = _consumers.GetValueOrDefault(source) + 1;
        }
    }

    public List<ImportedLayer> Layers { get; } = [];

    public List<string> Notes { get; } = [];

    public InputNormalization Normalization { get; private set; } = InputNormalization.Identity;

    /// <summary>True when the last layer is the Sigmoid of a single logit.</summary>
    public bool EndsWithSigmoid { get; private set; }

    public void Run()
    {
        foreach (KerasLayer layer in _file.Config.Layers)
        {
            _values[layer.Name] = Translate(layer);
        }
        KerasLayer last = _file.Config.Layers[^1];
        switch (_values[last.Name])
        {
            case Probability p when p.Layer == Layers.Count - 1:
                EndsWithSigmoid = true;
                break;
            case Feature f when f.Layer == Layers.Count - 1:
                break;
            default:
                throw last.Refuse("the model's output is not the last layer's activation", null);
        }
    }

    private Value Translate(KerasLayer l)
    {
        switch (l.ClassName)
        {
            case "InputLayer":
                return InputOf(l);
            case "Dropout" or "SpatialDropout2D" or "GaussianDropout" or "GaussianNoise" or "AlphaDropout" or "ActivityRegularization":
                return Single(l) is Feature f ? f with { Source = l.Name } : Single(l);
            case "Rescaling":
                return Rescale(l);
            case "Concatenate":
                return Concatenate(l);
            case "Conv2D":
                return Convolution(l);
            case "MaxPooling2D":
                return Pool(l, max: true);
            case "AveragePooling2D":
                return Pool(l, max: false);
            case "GlobalAveragePooling2D":
                return GlobalAverage(l);
            case "Flatten":
                return Flatten(l);
            case "Dense":
                return Dense(l);
            case "BatchNormalization":
                return BatchNorm(l);
            case "Activation":
                return Activate(l, l.Activation(), Single(l));
            case "ReLU":
                if (l.Number("max_value", double.NaN) is not double.NaN || l.Number("negative_slope", 0) != 0 || l.Number("threshold", 0) != 0)
                {
                    throw l.Refuse("a ReLU with max_value, negative_slope or threshold", "a clipped or leaky ReLU in the engine");
                }
                return Activate(l, "relu", Single(l));
            case "Add":
                return Residual(l);
            case "Conv1D" or "Conv3D" or "Conv3DTranspose" or "MaxPooling3D" or "AveragePooling3D" or "UpSampling3D":
                throw l.Refuse($"a {(l.ClassName.Contains("1D", StringComparison.Ordinal) ? "1-D" : "3-D")} layer", $"a {l.ClassName} layer in the engine (it runs 2-D images)");
            case "DepthwiseConv2D" or "SeparableConv2D":
                throw l.Refuse("a depthwise convolution", "a depthwise/grouped convolution layer in the engine");
            case "Conv2DTranspose":
                throw l.Refuse("a transposed convolution", "a transposed convolution layer in the engine");
            default:
                throw l.Refuse("the importer has no translation for this layer class", $"an engine layer computing {l.ClassName}");
        }
    }

    private Value InputOf(KerasLayer l)
    {
        long[] shape = l.Ints("batch_input_shape", 0) ?? l.Ints("batch_shape", 0) ?? throw l.Refuse("an input without batch_input_shape/batch_shape", null);
        if (shape.Length != 4)
        {
            return new Volume(shape);
        }
        if (shape.Skip(1).Any(d => d <= 0))
        {
            throw l.Refuse($"an input of shape [{string.Join(", ", shape)}] with unknown sizes", "a fixed image size");
        }
        int h = (int)shape[1], w = (int)shape[2], c = (int)shape[3];
        if (c == 1)
        {
            return new Plane(l.Name, h, w, 1f, 0f);
        }
        if (c != 2)
        {
            throw l.Refuse($"an input of {c} channels", "SNR and mask as 2 channels, or as two 1-channel inputs");
        }
        Notes.Add($"one input, '{l.Name}': the engine feeds it channel 0 = SNR (0 where the mask is 0), channel 1 = the mask (0..3)");
        return StartChain(h, w, l.Name);
    }

    private Feature StartChain(int h, int w, string source)
    {
        Layers.Add(new ImportedLayer(new InputLayer(h, w), new TensorShape(h, w, 1), new TensorShape(h, w, 1), source));
        Layers.Add(new ImportedLayer(new ConcatenateLayer(), new TensorShape(h, w, 1), new TensorShape(h, w, 2), source));
        return new Feature(1, new TensorShape(h, w, 2), source);
    }

    private Value Rescale(KerasLayer l)
    {
        if (Single(l) is not Plane p)
        {
            throw l.Refuse("Rescaling of an activation", "Rescaling only of the SNR input (its normalisation)");
        }
        float scale = (float)l.Number("scale", 1), offset = (float)l.Number("offset", 0);
        return p with { Scale = p.Scale * scale, Offset = (p.Offset * scale) + offset };
    }

    private Feature Concatenate(KerasLayer l)
    {
        long axis = (long)l.Number("axis", -1);
        Value[] inputs = l.Inbound.Select(n => _values[n]).ToArray();
        if (inputs.All(v => v is Feature))
        {
            throw l.Refuse("Concatenate of two activations", Phase2.ChannelConcat);
        }
        if (inputs.Length != 2 || inputs[0] is not Plane a || inputs[1] is not Plane b || axis is not (-1 or 3) || a.H != b.H || a.W != b.W)
        {
            throw l.Refuse("Concatenate is only understood as two 1-channel inputs (SNR and mask) joined on the channel axis", null);
        }
        string snrName = _options.SnrInput ?? "snr", maskName = _options.MaskInput ?? "mask";
        (Plane snr, Plane mask) = (a, b);
        if (a.Name == maskName && b.Name == snrName)
        {
            throw l.Refuse("Concatenate puts the mask before the SNR", "the SNR as channel 0 and the mask as channel 1 (the engine's order)");
        }
        if (!(a.Name == snrName && b.Name == maskName))
        {
            Notes.Add($"inputs '{a.Name}' and '{b.Name}' taken as SNR and mask, in the Concatenate's order (--snr-input/--mask-input name them)");
        }
        if (mask.Scale != 1f || mask.Offset != 0f)
        {
            throw l.Refuse("the mask input is rescaled", "the mask as given (0..3)");
        }
        Notes.Add("the model does not zero the SNR where the mask is 0; the engine does: the outputs agree wherever masked pixels already hold 0");
        Normalization = new InputNormalization(snr.Scale, snr.Offset);
        return StartChain(a.H, a.W, l.Name);
    }

    private Value Convolution(KerasLayer l)
    {
        Feature x = Image(l);
        CheckChannelsLast(l);
        long[] kernel = l.Ints("kernel_size", 2) ?? [3, 3];
        long[] strides = l.Ints("strides", 2) ?? [1, 1];
        long[] dilation = l.Ints("dilation_rate", 2) ?? [1, 1];
        if (l.Number("groups", 1) != 1)
        {
            throw l.Refuse($"groups {l.Number("groups", 1)}", "a grouped convolution layer in the engine");
        }
        if (dilation.Any(d => d != 1))
        {
            throw l.Refuse($"dilation_rate [{string.Join(", ", dilation)}]", "a dilated convolution layer in the engine");
        }
        if (strides.Length != 2 || strides[0] != strides[1] || strides[0] is not (1 or 2))
        {
            throw l.Refuse($"strides [{string.Join(", ", strides)}]", "a convolution with stride 1 or 2 in both directions");
        }
        if (kernel[0] != kernel[1] || kernel[0] is not (1 or 3 or 5 or 7))
        {
            throw l.Refuse($"a {kernel[0]}x{kernel[1]} kernel", "a convolution layer with that kernel in the engine (it runs 1x1, 3x3, 5x5 and 7x7)");
        }
        int k = (int)kernel[0], filters = (int)l.Number("filters", 0), stride = (int)strides[0];
        Padding padding = l.String("padding", "valid") switch
        {
            "same" => Padding.Same,
            "valid" => Padding.Valid,
            string p => throw l.Refuse($"padding '{p}'", "'same' or 'valid'"),
        };
        IReadOnlyList<KerasTensor> w = _file.Weights.Of(l);
        float[] kernelValues = Variable(l, w, 0, [k, k, x.Shape.Channels, filters], "kernel");
        float[] bias = l.Bool("use_bias", true) ? Variable(l, w, 1, [filters], "bias") : new float[filters];
        int pad = padding == Padding.Same ? (k - 1) / 2 : 0;
        if (x.Shape.Height + (2 * pad) < k || x.Shape.Width + (2 * pad) < k)
        {
            throw l.Refuse($"a 'valid' {k}x{k} convolution of {x.Shape.Height}x{x.Shape.Width}", null);
        }
        int oh = ((x.Shape.Height + (2 * pad) - k) / stride) + 1, ow = ((x.Shape.Width + (2 * pad) - k) / stride) + 1;
        if (padding == Padding.Same && stride == 2)
        {
            // Keras' 'same' at stride 2 pads (ceil(n/2) - 1)·2 + k - n zeros, the smaller half first: the engine's
            // symmetric (k - 1) / 2 only on odd sides (and always for 1x1).
            foreach (int n in new[] { x.Shape.Height, x.Shape.Width })
            {
                int total = Math.Max(((((n + 1) / 2) - 1) * 2) + k - n, 0);
                if (total / 2 != pad || ((n + (2 * pad) - k) / 2) + 1 != (n + 1) / 2)
                {
                    throw l.Refuse($"padding 'same' at stride 2 on a side of {n}: {total / 2} zeros before, {total - (total / 2)} after",
                        $"symmetric padding of {pad} (an odd input side, or ZeroPadding2D(({pad}, {pad})) and 'valid')");
                }
            }
        }
        LayerSpec spec = stride == 1 && k is 3 or 5
            ? new Conv2DLayer(filters, k, padding, Onboard.Inference.Activation.None)
            : new GeneralConv2DLayer(filters, k, stride, padding, Onboard.Inference.Activation.None);
        Feature y = Append(l, x, new ImportedLayer(spec, x.Shape,
            new TensorShape(oh, ow, filters), l.Name) { Weights = kernelValues, Bias = bias, ExclusiveInput = Exclusive(l) });
        return Activate(l, l.Activation(), y);
    }

    private Feature Pool(KerasLayer l, bool max)
    {
        Feature x = Image(l);
        CheckChannelsLast(l);
        long[] pool = l.Ints("pool_size", 2) ?? [2, 2];
        long[] strides = l.Ints("strides", 2) is { } s && s.All(v => v > 0) ? s : pool;
        bool even = x.Shape.Height % 2 == 0 && x.Shape.Width % 2 == 0;
        if (!pool.SequenceEqual(new long[] { 2, 2 }) || !strides.SequenceEqual(new long[] { 2, 2 }) || (l.String("padding", "valid") != "valid" && !even))
        {
            throw l.Refuse($"pool_size [{string.Join(", ", pool)}], strides [{string.Join(", ", strides)}], padding {l.String("padding", "valid")}",
                "an engine layer for that pooling (the engine pools 2x2 windows with stride 2)");
        }
        return Append(l, x, new ImportedLayer(max ? new MaxPool2DLayer() : new AveragePool2DLayer(), x.Shape, new TensorShape(x.Shape.Height / 2, x.Shape.Width / 2, x.Shape.Channels), l.Name)
        {
            ExclusiveInput = Exclusive(l),
        });
    }

    private Feature GlobalAverage(KerasLayer l)
    {
        Feature x = Image(l);
        CheckChannelsLast(l);
        return Append(l, x, new ImportedLayer(new GlobalAveragePoolLayer(), x.Shape, new TensorShape(1, 1, x.Shape.Channels), l.Name));
    }

    private Feature Flatten(KerasLayer l)
    {
        Feature x = Image(l);
        CheckChannelsLast(l);
        return x.Shape.Height * x.Shape.Width == 1
            ? x
            : Append(l, x, new ImportedLayer(new FlattenLayer(), x.Shape, new TensorShape(1, 1, (int)x.Shape.Size), l.Name));
    }

    private Value Dense(KerasLayer l)
    {
        Feature x = FeatureOf(l);
        if (!x.Shape.IsVector)
        {
            throw l.Refuse($"Dense on a {x.Shape} image (Keras applies it to the last axis of each pixel)", "a Flatten or GlobalAveragePooling2D before it");
        }
        int units = (int)l.Number("units", 0), inputs = x.Shape.Channels;
        IReadOnlyList<KerasTensor> w = _file.Weights.Of(l);
        float[] kernel = Variable(l, w, 0, [inputs, units], "kernel");
        float[] bias = l.Bool("use_bias", true) ? Variable(l, w, 1, [units], "bias") : new float[units];
        Feature y = Append(l, x, new ImportedLayer(new DenseLayer(units, Onboard.Inference.Activation.None), x.Shape, new TensorShape(1, 1, units), l.Name)
        {
            Weights = kernel,
            Bias = bias,
            ExclusiveInput = Exclusive(l),
        });
        return Activate(l, l.Activation(), y);
    }

    private Value BatchNorm(KerasLayer l)
    {
        Feature x = FeatureOf(l);
        long[] axis = l.Ints("axis", 1) ?? [-1];
        if (axis.Length != 1 || axis[0] is not (-1 or 3) && !(x.Shape.IsVector && axis[0] == 1))
        {
            throw l.Refuse($"axis [{string.Join(", ", axis)}]", "normalisation over the channel (last) axis");
        }
        ImportedLayer? layer = Fusable(x, l);
        if (layer is not { IsLinear: true })
        {
            throw l.Refuse("it does not follow a Conv2D or Dense (without activation) whose output nothing else reads (it can only be folded into one)",
                "a standalone per-channel scale-and-shift layer in the engine");
        }
        int c = layer.OutputChannels;
        IReadOnlyList<KerasTensor> w = _file.Weights.Of(l);
        int i = 0;
        float[] gamma = l.Bool("scale", true) ? Variable(l, w, i++, [c], "gamma") : Enumerable.Repeat(1f, c).ToArray();
        float[] beta = l.Bool("center", true) ? Variable(l, w, i++, [c], "beta") : new float[c];
        float[] mean = Variable(l, w, i++, [c], "moving_mean"), variance = Variable(l, w, i, [c], "moving_variance");
        BatchNormFolding.Fold(layer.Weights!, layer.Bias!, gamma, beta, mean, variance, l.Number("epsilon", 1e-3));
        return x with { Source = l.Name };
    }

    /// <summary>relu fuses into the Conv2D or Dense before it (or before its max pool); sigmoid ends a classifier.</summary>
    private Value Activate(KerasLayer l, string activation, Value input)
    {
        switch (activation)
        {
            case "linear":
                return input;
            case "sigmoid" when input is Feature { Shape.Size: 1 } logit && logit.Layer == Layers.Count - 1:
                return new Probability(logit.Layer);
            case "relu" when input is Feature f:
                ImportedLayer? layer = Fusable(f, l) ?? (l.ClassName is "Conv2D" or "Dense" ? Layers[f.Layer] : null);
                switch (layer?.Spec)
                {
                    case Conv2DLayer conv:
                        layer.Spec = conv with { Activation = Onboard.Inference.Activation.Relu };
                        return f;
                    case DenseLayer dense:
                        layer.Spec = dense with { Activation = Onboard.Inference.Activation.Relu };
                        return f;
                    case GeneralConv2DLayer conv:
                        layer.Spec = conv with { Activation = Onboard.Inference.Activation.Relu };
                        return f;
                    case AddLayer add:
                        layer.Spec = add with { Activation = Onboard.Inference.Activation.Relu };
                        return f;
                    case MaxPool2DLayer when layer.ExclusiveInput && Layers[f.Layer - 1].Spec is Conv2DLayer c:
                        Layers[f.Layer - 1].Spec = c with { Activation = Onboard.Inference.Activation.Relu };
                        return f;
                }
                throw l.Refuse("a ReLU that does not follow a Conv2D or Dense (or their max pool) whose output nothing else reads",
                    "a standalone ReLU layer in the engine (it fuses ReLU into the Conv2D or Dense before it)");
            case "sigmoid":
                throw l.Refuse("a sigmoid that is not on the single logit of the last layer", "a sigmoid layer on any tensor in the engine");
            default:
                throw l.Refuse($"activation '{activation}'", $"a {activation} activation in the engine (it fuses ReLU only)");
        }
    }

    private Feature Append(KerasLayer l, Feature input, ImportedLayer layer)
    {
        BranchTo(l, input);
        Layers.Add(layer);
        return new Feature(Layers.Count - 1, layer.Output, l.Name);
    }

    /// <summary>Makes <paramref name="input"/> the last layer's output: a Branch layer when an earlier layer made it.</summary>
    private void BranchTo(KerasLayer l, Feature input)
    {
        if (input.Layer != Layers.Count - 1)
        {
            if (input.Layer < 1)
            {
                throw l.Refuse($"it reads '{input.Source}', which is not an activation of the network", null);
            }
            Layers.Add(new ImportedLayer(new BranchLayer(input.Layer), Layers[^1].Output, input.Shape, l.Name));
        }
    }

    /// <summary>Add of two activations (a residual connection): an Add layer reading the last layer and the other one.</summary>
    private Feature Residual(KerasLayer l)
    {
        Value[] inputs = l.Inbound.Select(n => _values[n]).ToArray();
        if (inputs.Length != 2 || inputs[0] is not Feature a || inputs[1] is not Feature b)
        {
            throw l.Refuse($"Add of {inputs.Length} inputs", "Add of two activations (a residual connection)");
        }
        if (a.Shape != b.Shape || a.Layer == b.Layer)
        {
            throw l.Refuse($"Add of {a.Shape} and {b.Shape}" + (a.Layer == b.Layer ? " (the same activation twice)" : string.Empty),
                "two different activations of one shape");
        }
        (Feature last, Feature other) = b.Layer == Layers.Count - 1 ? (b, a) : (a, b);
        BranchTo(l, last);
        Layers.Add(new ImportedLayer(new AddLayer(other.Layer, Onboard.Inference.Activation.None), last.Shape, last.Shape, l.Name));
        return new Feature(Layers.Count - 1, last.Shape, l.Name);
    }

    /// <summary>The last layer, if <paramref name="x"/> is its output and nothing else reads it (so it may change in place).</summary>
    private ImportedLayer? Fusable(Feature x, KerasLayer l) =>
        x.Layer == Layers.Count - 1 && _consumers.GetValueOrDefault(x.Source) == 1 && l.Inbound.Count == 1 ? Layers[x.Layer] : null;

    private bool Exclusive(KerasLayer l) => l.Inbound.Count == 1 && _consumers.GetValueOrDefault(l.Inbound[0]) == 1;

    private Value Single(KerasLayer l)
    {
        if (l.Inbound.Count != 1)
        {
            throw l.Refuse($"{l.Inbound.Count} inputs", "one input");
        }
        return _values[l.Inbound[0]];
    }

    private Feature FeatureOf(KerasLayer l) => Single(l) switch
    {
        Feature f => f,
        Volume v => throw l.Refuse($"its input is a rank-{v.Shape.Length} tensor [{string.Join(", ", v.Shape.Select(d => d < 0 ? "None" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]",
            $"a {l.ClassName} on 2-D images in the engine"),
        _ => throw l.Refuse("its input is a raw input plane", "the SNR and mask joined by Concatenate first"),
    };

    private Feature Image(KerasLayer l)
    {
        Feature x = FeatureOf(l);
        if (x.Shape.IsVector && Layers[x.Layer].Spec is FlattenLayer or DenseLayer)
        {
            throw l.Refuse("its input is a vector", "an image here");
        }
        return x;
    }

    private static void CheckChannelsLast(KerasLayer l)
    {
        if (l.String("data_format", "channels_last") != "channels_last")
        {
            throw l.Refuse("data_format channels_first", "channels_last data (Keras' default; the engine's NHWC)");
        }
    }

    private static float[] Variable(KerasLayer l, IReadOnlyList<KerasTensor> weights, int index, long[] shape, string what)
    {
        if (index >= weights.Count)
        {
            throw l.Refuse($"its {what} is missing from the weights ({weights.Count} variables stored)", null);
        }
        KerasTensor t = weights[index];
        if (!t.Shape.SequenceEqual(shape))
        {
            throw l.Refuse($"{what} '{t.Name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", shape)}]", null);
        }
        return (float[])t.Values.Clone();
    }

    private abstract record Value;

    private sealed record Plane(string Name, int H, int W, float Scale, float Offset) : Value;

    private sealed record Volume(long[] Shape) : Value;

    /// <summary>The output of chain layer <paramref name="Layer"/>, last written by the Keras layer <paramref name="Source"/>.</summary>
    private sealed record Feature(int Layer, TensorShape Shape, string Source) : Value;

    private sealed record Probability(int Layer) : Value;
}
