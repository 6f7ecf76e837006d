using System;
using System.Collections.Generic;
using Microsoft.ML.OnnxRuntime;

namespace Eclairs.Onnx.Tests;

/// <summary>Runs an exported graph in ONNX Runtime on one thread with every graph optimisation on.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly int _height;
    private readonly int _width;

    public OrtRunner(byte[] onnx, int height, int width)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        _session = new InferenceSession(onnx, _options);
        _height = height;
        _width = width;
    }

    public InferenceSession Session => _session;

    /// <summary>Every output, by name, flattened in ONNX (row-major) order.</summary>
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
            result[_session.OutputNames[i]] = outputs[i].GetTensorDataAsSpan<float>().ToArray();
        }
        return result;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
