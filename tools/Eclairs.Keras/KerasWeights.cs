using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using PureHDF;

namespace Eclairs.Keras;

/// <summary>One stored variable of a layer: its shape and values.</summary>
internal sealed record KerasTensor(string Name, long[] Shape, float[] Values);

/// <summary>
/// Reads each layer's variables, in Keras' order (kernel, bias; gamma, beta, moving mean, moving variance), from the
/// HDF5 weights of a Keras 2 .h5 (model_weights/LAYER with attribute weight_names) or of a Keras 3 .keras
/// (model.weights.h5, layers/CLASS[_n]/vars/0, 1, ...).
/// </summary>
internal abstract partial class KerasWeights
{
    /// <summary>The variables of <paramref name="layer"/>, read from the file.</summary>
    public abstract IReadOnlyList<KerasTensor> Of(KerasLayer layer);

    protected static KerasTensor Read(IH5Dataset dataset, string name, KerasLayer layer)
    {
        long[] shape = dataset.Space.Dimensions.Select(d => (long)d).ToArray();
        float[] values = dataset.Type.Size switch
        {
            4 => dataset.Read<float[]>(),
            8 => dataset.Read<double[]>().Select(v => (float)v).ToArray(),
            _ => throw layer.Refuse($"variable '{name}' is stored as {dataset.Type.Size}-byte values", "float32 or float64 weights"),
        };
        return new KerasTensor(name, shape, values);
    }

    /// <summary>Keras' naming.to_snake_case: "MaxPooling2D" → "max_pooling2d", "BatchNormalization" → "batch_normalization".</summary>
    public static string SnakeCase(string className)
    {
        string s = WordStart().Replace(className, "$1_$2");
        return LowerUpper().Replace(s, "$1_$2").ToLowerInvariant();
    }

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex WordStart();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex LowerUpper();
}

/// <summary>Keras 2 HDF5: model_weights/LAYER, its weight_names attribute giving each dataset's path in order.</summary>
internal sealed class Keras2Weights(IH5Group modelWeights) : KerasWeights
{
    public override IReadOnlyList<KerasTensor> Of(KerasLayer layer)
    {
        if (!modelWeights.LinkExists(layer.Name))
        {
            return [];
        }
        IH5Group group = modelWeights.Group(layer.Name);
        if (!group.AttributeExists("weight_names"))
        {
            return [];
        }
        IH5Attribute names = group.Attribute("weight_names");
        if (names.Space.Dimensions.Aggregate(1UL, (a, d) => a * d) == 0)
        {
            return [];
        }
        return names.Read<string[]>().Select(n => Read(group.Dataset(n), n, layer)).ToArray();
    }
}

/// <summary>Keras 3 model.weights.h5: the n-th layer of a class at layers/SNAKE[_n]/vars/0..k-1.</summary>
internal sealed class Keras3Weights : KerasWeights
{
    private readonly IH5Group _file;
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

    public Keras3Weights(IH5Group file, KerasConfig config)
    {
        _file = file;
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (KerasLayer l in config.Layers.Where(l => !(config.IsSequential && l.ClassName == "InputLayer")))
        {
            string snake = SnakeCase(l.ClassName);
            int n = used.TryGetValue(snake, out int last) ? last + 1 : 0;
            used[snake] = n;
            _paths[l.Name] = "layers/" + snake + (n == 0 ? string.Empty : "_" + n.ToString(CultureInfo.InvariantCulture));
        }
    }

    public override IReadOnlyList<KerasTensor> Of(KerasLayer layer)
    {
        string path = _paths[layer.Name] + "/vars";
        if (!_file.LinkExists(path))
        {
            string legacy = path.Replace("layers/", "_layer_checkpoint_dependencies/", StringComparison.Ordinal);
            if (!_file.LinkExists(legacy))
            {
                return [];
            }
            path = legacy;
        }
        IH5Group vars = _file.Group(path);
        var tensors = new List<KerasTensor>();
        for (int i = 0; vars.LinkExists(i.ToString(CultureInfo.InvariantCulture)); i++)
        {
            string name = i.ToString(CultureInfo.InvariantCulture);
            tensors.Add(Read(vars.Dataset(name), path + "/" + name, layer));
        }
        return tensors;
    }
}
