using System;
using System.Collections.Generic;

using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Quantization;

/// <summary>Signal-to-quantization-noise ratio of one int8 step's dequantized output against the float model's.</summary>
/// <param name="Step">Step index (0 is the input).</param>
/// <param name="LayerIndex">Layer the step computes.</param>
/// <param name="Kind">What the step computes.</param>
/// <param name="SqnrDecibels">10·log10(Σ float² / Σ (dequantized − float)²) over every value of every alert.</param>
public readonly record struct StepNoise(int Step, int LayerIndex, Int8StepKind Kind, double SqnrDecibels);

/// <summary>Per-layer quantization noise of an int8 model against the float model it was quantized from.</summary>
public static class QuantizationNoise
{
    /// <summary>
    /// SQNR of every step after the input, each measured end to end (the int8 network run from the alert, the float
    /// prefix up to that layer), so the figures include the noise accumulated in earlier layers.
    /// </summary>
    /// <param name="floatModel">The float model quantized.</param>
    /// <param name="model">The int8 model, planned with <see cref="ModelOptions.KeepEveryStep"/>.</param>
    /// <param name="alerts">The alerts.</param>
    public static IReadOnlyList<StepNoise> Measure(ModelDocument floatModel, Int8Model model, IReadOnlyList<CalibrationInput> alerts)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(alerts);
        if (!model.KeepsEveryStep)
        {
            throw new ArgumentException("load the int8 model with ModelOptions.KeepEveryStep: every step's output is compared", nameof(model));
        }
        Int8Context context = model.CreateContext();
        var scale = new float[context.StepCount];
        var zeroPoint = new int[context.StepCount];
        (float Scale, int ZeroPoint)[] byLayer = model.Parameters.LayerOutputQuantization(model.Network);
        for (int step = 0; step < context.StepCount; step++)
        {
            (scale[step], zeroPoint[step]) = byLayer[context.StepLayerIndex(step)];
        }

        var prefixes = new InferenceContext[context.StepCount];
        var outputs = new float[context.StepCount][];
        var signal = new double[context.StepCount];
        var noise = new double[context.StepCount];
        for (int step = 1; step < context.StepCount; step++)
        {
            prefixes[step] = Model.FromDocument(floatModel.Prefix(context.StepLayerIndex(step) + 1)).CreateContext();
            outputs[step] = new float[prefixes[step].OutputLength];
        }
        foreach (CalibrationInput a in alerts)
        {
            context.Classify(a.Snr, a.Mask);
            for (int step = 1; step < context.StepCount; step++)
            {
                prefixes[step].Evaluate(a.Snr, a.Mask, outputs[step]);
                ReadOnlySpan<sbyte> got = context.StepOutput(step);
                float[] want = outputs[step];
                for (int i = 0; i < want.Length; i++)
                {
                    double d = scale[step] * (double)(got[i] - zeroPoint[step]);
                    signal[step] += want[i] * (double)want[i];
                    noise[step] += (d - want[i]) * (d - want[i]);
                }
            }
        }
        var result = new List<StepNoise>();
        for (int step = 1; step < context.StepCount; step++)
        {
            result.Add(new StepNoise(step, context.StepLayerIndex(step), context.StepKind(step),
                10 * Math.Log10(signal[step] / Math.Max(noise[step], 1e-300))));
        }
        return result;
    }
}
