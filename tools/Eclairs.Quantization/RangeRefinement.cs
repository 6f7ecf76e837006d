using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Quantization;

/// <summary>
/// Per-layer choice of activation ranges by their end-to-end effect. A range that is good for one tensor can be bad
/// for what follows it: a sparse feature map averaged by GlobalAveragePool (which keeps its input's scale, as TFLM
/// requires) loses most of its mean to rounding unless the map's scale is finer than the few bright pixels need.
/// So, layer by layer in network order, each hidden layer's range is scaled by a few factors &lt;= 1 and the one whose
/// int8 model gives logits closest to the float model's (mean squared difference, float logit clamped to the int8
/// logit's range, over calibration alerts) is kept.
/// </summary>
public static class RangeRefinement
{
    private static readonly float[] Factors = [0.7f, 0.5f, 0.35f, 0.25f, 0.18f, 0.125f];

    /// <summary>Narrows <paramref name="ranges"/> (every parameterized layer's output range; the last, the logit, stays) in place.</summary>
    /// <returns>A provenance note of what changed.</returns>
    public static string Refine(ModelDocument floatModel, IReadOnlyList<CalibrationInput> calibration, int alerts,
        (float Min, float Max)[] ranges, Func<(float Min, float Max)[], ModelDocument> build)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(build);
        int n = Math.Min(alerts, calibration.Count);
        var subset = new CalibrationInput[n];
        for (int k = 0; k < n; k++)
        {
            subset[k] = calibration[(int)((long)k * calibration.Count / n)];
        }
        InferenceContext f = Model.FromDocument(floatModel).CreateContext();
        var floatLogits = new float[n];
        for (int k = 0; k < n; k++)
        {
            floatLogits[k] = f.Classify(subset[k].Snr, subset[k].Mask).Logit;
        }
        var note = new StringBuilder();
        double best = Error(build(ranges), subset, floatLogits);
        for (int layer = 0; layer < ranges.Length - 1; layer++)
        {
            (float Min, float Max) original = ranges[layer];
            float chosen = 1f;
            foreach (float factor in Factors)
            {
                ranges[layer] = (original.Min * factor, original.Max * factor);
                double e = Error(build(ranges), subset, floatLogits);
                if (e < best)
                {
                    (best, chosen) = (e, factor);
                }
            }
            ranges[layer] = (original.Min * chosen, original.Max * chosen);
            if (chosen != 1f)
            {
                note.Append(CultureInfo.InvariantCulture, $", layer {layer} range x{chosen}");
            }
        }
        return note.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $", range refinement on {n} alerts: none narrowed")
            : string.Create(CultureInfo.InvariantCulture, $", range refinement on {n} alerts (parameterized layer, factor){note}");
    }

    private static double Error(ModelDocument candidate, CalibrationInput[] subset, float[] floatLogits)
    {
        Int8Model model = Int8Model.FromDocument(candidate);
        Int8Context context = model.CreateContext();
        float lo = model.OutputScale * (sbyte.MinValue - model.OutputZeroPoint);
        float hi = model.OutputScale * (sbyte.MaxValue - model.OutputZeroPoint);
        double sum = 0;
        for (int k = 0; k < subset.Length; k++)
        {
            double d = context.Classify(subset[k].Snr, subset[k].Mask).Logit - Math.Clamp(floatLogits[k], lo, hi);
            sum += d * d;
        }
        return sum / subset.Length;
    }
}
