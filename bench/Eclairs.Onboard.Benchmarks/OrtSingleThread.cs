using System;
using System.Collections.Generic;
using Eclairs.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// ONNX Runtime set up as a fair single-core competitor: 1 thread, sequential, ORT_ENABLE_ALL, inputs and outputs
/// bound once with IOBinding over pinned arrays, so a run allocates nothing. <see cref="Classify"/> includes copying
/// the SNR and widening the byte mask to float, which an ORT user must do too.
/// </summary>
internal sealed class OrtSingleThread : IDisposable
{
    private readonly List<IDisposable> _disposables = [];
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly float[] _snr;
    private readonly float[] _mask;
    private readonly float[] _logit = new float[1];

    /// <param name="onnx">The ONNX graph (<see cref="OnnxExporter.Export(Inference.ModelDocument)"/>).</param>
    public OrtSingleThread(byte[] onnx, int height, int width)
    {
        var options = Keep(new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        });
        _session = Keep(new InferenceSession(onnx, options));
        long[] shape = [1, 1, height, width];
        _snr = new float[height * width];
        _mask = new float[height * width];
        _runOptions = Keep(new RunOptions());
        _binding = Keep(_session.CreateIoBinding());
        _binding.BindInput(OnnxExporter.SnrInput, Keep(OrtValue.CreateTensorValueFromMemory(_snr, shape)));
        _binding.BindInput(OnnxExporter.MaskInput, Keep(OrtValue.CreateTensorValueFromMemory(_mask, shape)));
        _binding.BindOutput(OnnxExporter.LogitOutput, Keep(OrtValue.CreateTensorValueFromMemory(_logit, [1, 1])));
        _binding.BindOutput(OnnxExporter.ProbabilityOutput, Keep(OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1])));
    }

    /// <summary>The logit of one alert.</summary>
    public float Classify(float[] snr, byte[] mask)
    {
        snr.CopyTo(_snr, 0);
        for (int i = 0; i < mask.Length; i++)
        {
            _mask[i] = mask[i];
        }
        _session.RunWithBinding(_runOptions, _binding);
        return _logit[0];
    }

    public void Dispose()
    {
        for (int i = _disposables.Count - 1; i >= 0; i--)
        {
            _disposables[i].Dispose();
        }
        _disposables.Clear();
    }

    private T Keep<T>(T disposable) where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
