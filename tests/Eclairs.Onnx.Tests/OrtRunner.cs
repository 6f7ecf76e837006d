using System;
using System.Collections.Generic;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Eclairs.Onnx.Tests;

/// <summary>Runs an exported graph in ONNX Runtime on one thread with every graph optimisation on.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly int _height;
    private readonly int _width;

    /// <param name="onnx">The model file's bytes.</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <param name="optimizedModelPath">Where ORT writes the graph it optimised (to see which kernels it chose), or null.</param>
    /// <param name="exactIntegerProducts">
    /// <c>session.x64quantprecision = 1</c>: on x64 without VNNI, ORT's default uint8 x int8 kernels sum pairs of products
    /// in saturating 16-bit arithmetic (PMADDUBSW); this option makes them use uint8 x uint8 products, which do not
    /// saturate. No effect on CPUs with VNNI or on arm64.
    /// </param>
    public OrtRunner(byte[] onnx, int height, int width, string? optimizedModelPath = null, bool exactIntegerProducts = false)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (exactIntegerProducts)
        {
            _options.AddSessionConfigEntry("session.x64quantprecision", "1");
        }
        if (optimizedModelPath != null)
        {
            _options.OptimizedModelFilePath = optimizedModelPath;
        }
        _session = new InferenceSession(onnx, _options);
        _height = height;
        _width = width;
    }

    public InferenceSession Session => _session;

    /// <summary>Every output, by name, flattened in ONNX (row-major) order; int8 outputs as their codes.</summary>
    public Dictionary<string, float[]> Run(float[] snr, byte[] mask)
    {
        var maskAsFloat = Array.ConvertAll(mask, m => (float)m);
        long[] shape = [1, 1, _height, _width];
        using var snrValue = OrtValue.CreateTensorValueFromMemory(snr, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(maskAsFloat, shape);
        var inputs = new Dictionary<string, OrtValue> { [OnnxExporter.SnrInput] = snrValue, [OnnxExporter.MaskInput] = maskValue };
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, inputs, _session.OutputNames);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < outputs.Count; i++)
        {
            OrtValue output = outputs[i];
            result[_session.OutputNames[i]] = output.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int8
                ? Array.ConvertAll(output.GetTensorDataAsSpan<sbyte>().ToArray(), v => (float)v)
                : output.GetTensorDataAsSpan<float>().ToArray();
        }
        return result;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
