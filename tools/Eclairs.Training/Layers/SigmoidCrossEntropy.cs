using System;

namespace Eclairs.Training.Layers;

/// <summary>
/// Sigmoid output with binary cross-entropy, computed from the logit z so that it never overflows:
/// loss = w * (max(z, 0) - z y + log(1 + exp(-|z|))), dloss/dz = w * (sigmoid(z) - y).
/// </summary>
public static class SigmoidCrossEntropy
{
    /// <summary>Numerically stable logistic function.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    /// <summary>Weighted loss of one sample with label 0 or 1.</summary>
    public static double Loss(double logit, int label, double weight = 1.0) =>
        weight * (Math.Max(logit, 0) - logit * label + double.LogP1(Math.Exp(-Math.Abs(logit))));

    /// <summary>Derivative of <see cref="Loss"/> with respect to the logit.</summary>
    public static double Gradient(double logit, int label, double weight = 1.0) =>
        weight * (Sigmoid(logit) - label);
}
