using System;
using System.Collections.Generic;
using System.Linq;

using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Quantization;

/// <summary>One calibration alert: SNR and mask, row-major, as <see cref="InferenceContext.Classify"/> takes them.</summary>
public readonly record struct CalibrationInput(float[] Snr, byte[] Mask);

/// <summary>How the quantizer chooses ranges.</summary>
public sealed record QuantizerOptions
{
    /// <summary>Fraction of normalised SNR pixels (mask not 0) left outside the input range at each end (clipping).</summary>
    public double InputClipFraction { get; init; } = 1e-4;

    /// <summary>How each Conv2D/Dense output range is chosen from the calibration activations.</summary>
    public ActivationRangeMethod ActivationRange { get; init; } = ActivationRangeMethod.MseOptimal;

    /// <summary>Fraction of non-zero values left out at each end by <see cref="ActivationRangeMethod.Percentile"/>.</summary>
    public double ActivationClipFraction { get; init; } = 1e-4;

    /// <summary>
    /// Fraction of calibration logits left out at each end of the last layer's range (0: the rule of the other
    /// layers). Clipping the logit changes no decision (the threshold is inside the range) and buys resolution where
    /// decisions are made; it only ties the most confident alerts of each side.
    /// </summary>
    public double LogitClipFraction { get; init; } = 0.02;

    /// <summary>
    /// Calibration alerts on which each hidden layer's range is then narrowed where that brings the int8 logit closer
    /// to the float one (<see cref="RangeRefinement"/>); 0 turns refinement off.
    /// </summary>
    public int RefinementAlerts { get; init; } = 1000;
}

/// <summary>Activation range rules (docs/int8.md, "Quantizer").</summary>
public enum ActivationRangeMethod
{
    /// <summary>Smallest and largest value seen.</summary>
    MinMax = 0,
    /// <summary>The range minimising rounding plus clipping squared error over the values seen.</summary>
    MseOptimal = 1,
    /// <summary>Percentiles of the non-zero values (<see cref="QuantizerOptions.ActivationClipFraction"/> at each end).</summary>
    Percentile = 2,
}

/// <summary>
/// Post-training quantization to the TFLM int8 scheme (docs/int8.md): weights symmetric per output channel in
/// [-127, 127]; biases int32 at input scale · weight scale; each Conv2D/Dense output asymmetric per tensor from the
/// min/max seen on the calibration set (range widened to include 0); the input at scale 1/n with n an integer chosen
/// from the clipped SNR range so the mask channel is exact; multipliers and shifts by <see cref="FixedPoint.QuantizeMultiplier"/>.
/// </summary>
public static class Quantizer
{
    /// <summary>Quantizes a float32 classifier with the given calibration alerts.</summary>
    /// <exception cref="ArgumentException">The document is not a float32 classifier or the calibration set is empty.</exception>
    public static ModelDocument Quantize(ModelDocument floatModel, IReadOnlyList<CalibrationInput> calibration, QuantizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(calibration);
        options ??= new QuantizerOptions();
        if (floatModel.NumberFormat != NumberFormat.Float32 || !floatModel.Network.IsClassifier)
        {
            throw new ArgumentException("the quantizer takes a float32 classifier", nameof(floatModel));
        }
        if (calibration.Count == 0)
        {
            throw new ArgumentException("the calibration set is empty", nameof(calibration));
        }
        floatModel.Validate();
        NetworkDescription network = floatModel.Network;
        (int steps, int inputZeroPoint) = InputQuantization(floatModel.Normalization, calibration, options.InputClipFraction);

        LayerInfo[] parameterized = [.. network.LayerInfos.Where(IsCalibrated)];
        var ranges = new (float Min, float Max)[parameterized.Length];
        for (int k = 0; k < parameterized.Length; k++)
        {
            bool logit = k == parameterized.Length - 1;
            ranges[k] = OutputRange(floatModel, parameterized[k].Index, calibration,
                logit && options.LogitClipFraction > 0 ? options with { ActivationRange = ActivationRangeMethod.Percentile, ActivationClipFraction = options.LogitClipFraction } : options);
        }
        // The clipped logit range must hold the decision threshold with room on both sides, or every alert would
        // get the same decision (the classic "int8 model always answers the same" failure).
        if (floatModel.DecisionThreshold is > 0f and < 1f)
        {
            double t = Math.Log(floatModel.DecisionThreshold / (1.0 - floatModel.DecisionThreshold));
            (float lo, float hi) = ranges[^1];
            ranges[^1] = ((float)Math.Min(lo, t - 1), (float)Math.Max(hi, t + 1));
        }
        string refined = "";
        if (options.RefinementAlerts > 0)
        {
            refined = RangeRefinement.Refine(floatModel, calibration, options.RefinementAlerts, ranges,
                r => Build(floatModel, parameterized, steps, inputZeroPoint, r, options, calibration.Count, ""));
        }
        return Build(floatModel, parameterized, steps, inputZeroPoint, ranges, options, calibration.Count, refined);
    }

    private static ModelDocument Build(ModelDocument floatModel, LayerInfo[] parameterized, int steps, int inputZeroPoint,
        (float Min, float Max)[] ranges, QuantizerOptions options, int calibrationCount, string refined)
    {
        NetworkDescription network = floatModel.Network;
        IReadOnlyList<TensorRequirement> required = network.RequiredTensors;
        // The scale of every layer's output: the input's 1/n, a parameterized layer's or an Add's own, a Branch its
        // source's, every other layer (pools, Flatten, Dropout) its input's.
        var scales = new double[network.LayerCount];
        var layers = new List<Int8LayerParameters>();
        var adds = new List<Int8AddParameters>();
        int k = 0;
        foreach (LayerInfo info in network.LayerInfos)
        {
            double input = info.Index == 0 ? 1.0 / steps : scales[info.Index - 1];
            scales[info.Index] = input;
            switch (info.Spec)
            {
                case ConcatenateLayer:
                    scales[info.Index] = 1.0 / steps;
                    break;
                case BranchLayer branch:
                    scales[info.Index] = scales[branch.Source];
                    break;
                case AddLayer add:
                {
                    (float outScale, int outZeroPoint) = Asymmetric(ranges[k].Min, ranges[k].Max);
                    adds.Add(QuantizeAdd(info.Index, input, scales[add.Source], outScale, outZeroPoint));
                    scales[info.Index] = outScale;
                    k++;
                    break;
                }
                case Conv2DLayer or DenseLayer or GeneralConv2DLayer:
                {
                    float[] w = Tensor(floatModel, required, info.Index, TensorRole.Weights);
                    float[] b = Tensor(floatModel, required, info.Index, TensorRole.Bias);
                    (float outScale, int outZeroPoint) = Asymmetric(ranges[k].Min, ranges[k].Max);
                    layers.Add(QuantizeLayer(info.Index, w, b, info.OutputShape.Channels, input, outScale, outZeroPoint));
                    scales[info.Index] = outScale;
                    k++;
                    break;
                }
            }
        }
        Int8LayerParameters last = layers[^1];
        int threshold = Int8Decision.IntegerThreshold(floatModel.DecisionThreshold, last.OutputScale, last.OutputZeroPoint);
        var parameters = new Int8Parameters(steps, inputZeroPoint, threshold, layers, adds);
        var document = new ModelDocument(floatModel.Name, network, parameters.ToTensors(network))
        {
            NumberFormat = NumberFormat.Int8,
            DecisionThreshold = floatModel.DecisionThreshold,
            Normalization = floatModel.Normalization,
            Provenance = $"{floatModel.Provenance}\nint8: post-training quantization, {calibrationCount} calibration alerts, {Describe(options)} activation ranges, logit clip fraction {options.LogitClipFraction}, input clip fraction {options.InputClipFraction}{refined}".Trim(),
        };
        document.Validate();
        return document;
    }

    /// <summary>Weights per output channel, bias, multipliers (the last dimension of the weights is the output channel).</summary>
    public static Int8LayerParameters QuantizeLayer(int layerIndex, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int channels,
        double inputScale, float outputScale, int outputZeroPoint)
    {
        var maxAbs = new double[channels];
        for (int i = 0; i < weights.Length; i++)
        {
            maxAbs[i % channels] = Math.Max(maxAbs[i % channels], Math.Abs(weights[i]));
        }
        var weightScale = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            weightScale[c] = maxAbs[c] > 0 ? (float)(maxAbs[c] / 127.0) : 1f;
        }
        var q = new sbyte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            q[i] = (sbyte)Math.Clamp(Math.Round(weights[i] / (double)weightScale[i % channels], MidpointRounding.AwayFromZero), -127, 127);
        }
        var qb = new int[channels];
        var multiplier = new int[channels];
        var shift = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            double biasScale = inputScale * weightScale[c];
            qb[c] = (int)Math.Clamp(Math.Round(bias[c] / biasScale, MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue);
            (multiplier[c], shift[c]) = FixedPoint.QuantizeMultiplier(biasScale / outputScale);
        }
        return new Int8LayerParameters(layerIndex, q, qb, weightScale, multiplier, shift, outputScale, outputZeroPoint);
    }

    /// <summary>Layers whose output range is calibrated: those with weights, and the residual Add (its own output scale).</summary>
    private static bool IsCalibrated(LayerInfo layer) => layer.Spec is Conv2DLayer or DenseLayer or GeneralConv2DLayer or AddLayer;

    /// <summary>
    /// TFLM's int8 ADD preparation: both inputs to the common scale 2·max(s1, s2) / 2^20 (after their left shift by
    /// <see cref="Int8AddParameters.LeftShift"/>), the sum to the output scale; each real multiplier below one through
    /// <see cref="FixedPoint.QuantizeMultiplier"/>. <paramref name="input1Scale"/> is the previous layer's output
    /// scale, <paramref name="input2Scale"/> the Add's source layer's.
    /// </summary>
    /// <exception cref="ArgumentException">The output scale is so much finer than the inputs' that the output multiplier reaches one.</exception>
    public static Int8AddParameters QuantizeAdd(int layerIndex, double input1Scale, double input2Scale, float outputScale, int outputZeroPoint)
    {
        double twiceMax = 2 * Math.Max(input1Scale, input2Scale);
        (int m1, int s1) = FixedPoint.QuantizeMultiplier(input1Scale / twiceMax);
        (int m2, int s2) = FixedPoint.QuantizeMultiplier(input2Scale / twiceMax);
        (int mo, int so) = FixedPoint.QuantizeMultiplier(twiceMax / ((1 << Int8AddParameters.LeftShift) * (double)outputScale));
        if (so > 0)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"layer {layerIndex}: Add output scale {outputScale} is below 2^-19 of its inputs' {input1Scale}, {input2Scale}: no int8 ADD requantization"));
        }
        return new Int8AddParameters(layerIndex, [m1, m2, mo], [s1, s2, so], outputScale, outputZeroPoint);
    }

    /// <summary>Scale and zero point covering [min, max] widened to include 0 (TFLite's asymmetric activation rule).</summary>
    public static (float Scale, int ZeroPoint) Asymmetric(float min, float max)
    {
        double lo = Math.Min(0, min), hi = Math.Max(0, max);
        if (hi - lo < 1e-8)
        {
            hi = lo + 1e-8;
        }
        double scale = (hi - lo) / 255.0;
        int zeroPoint = (int)Math.Clamp(Math.Round(-128 - (lo / scale), MidpointRounding.AwayFromZero), -128, 127);
        return ((float)scale, zeroPoint);
    }

    /// <summary>Input steps n (scale 1/n) and zero point from the clipped range of normalised SNR, widened to include [0, 3] (the mask).</summary>
    public static (int Steps, int ZeroPoint) InputQuantization(InputNormalization normalization, IReadOnlyList<CalibrationInput> calibration, double clipFraction)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var values = new List<float>();
        foreach (CalibrationInput c in calibration)
        {
            for (int i = 0; i < c.Snr.Length; i++)
            {
                if (c.Mask[i] != 0 && float.IsFinite(c.Snr[i]))
                {
                    values.Add((c.Snr[i] * normalization.Scale) + normalization.Offset);
                }
            }
        }
        values.Sort();
        double lo = 0, hi = 3;
        if (values.Count > 0)
        {
            int cut = (int)Math.Floor(clipFraction * (values.Count - 1));
            lo = Math.Min(lo, values[cut]);
            hi = Math.Max(hi, values[values.Count - 1 - cut]);
        }
        int steps = (int)Math.Clamp(Math.Floor(255.0 / (hi - lo)), 1, Int8Requirements.MaxInputSteps);
        int zeroPoint = (int)Math.Clamp(Math.Round(-128 - (lo * steps), MidpointRounding.AwayFromZero), -128, 127 - (3 * steps));
        return (steps, zeroPoint);
    }

    private static float[] Tensor(ModelDocument document, IReadOnlyList<TensorRequirement> required, int layer, TensorRole role) =>
        document.Tensors.First(t => t.LayerIndex == layer && t.Role == role).ToSingles();

    private static string Describe(QuantizerOptions options) => options.ActivationRange switch
    {
        ActivationRangeMethod.MinMax => "min/max",
        ActivationRangeMethod.Percentile => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"percentile ({options.ActivationClipFraction} clipped at each end)"),
        _ => "MSE-optimal",
    };

    private static (float Min, float Max) OutputRange(ModelDocument floatModel, int layerIndex, IReadOnlyList<CalibrationInput> calibration, QuantizerOptions options)
    {
        Model prefix = Model.FromDocument(floatModel.Prefix(layerIndex + 1));
        InferenceContext context = prefix.CreateContext();
        var output = new float[context.OutputLength];
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (CalibrationInput c in calibration)
        {
            context.Evaluate(c.Snr, c.Mask, output);
            foreach (float v in output)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        if (options.ActivationRange == ActivationRangeMethod.MinMax)
        {
            return (min, max);
        }
        var histogram = new ActivationHistogram(min, max);
        foreach (CalibrationInput c in calibration)
        {
            context.Evaluate(c.Snr, c.Mask, output);
            histogram.Add(output);
        }
        return options.ActivationRange == ActivationRangeMethod.Percentile
            ? histogram.PercentileRange(options.ActivationClipFraction)
            : histogram.MseOptimalRange();
    }
}
