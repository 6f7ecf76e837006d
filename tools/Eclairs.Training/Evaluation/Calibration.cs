using System;
using System.Collections.Generic;
using System.Linq;

namespace Eclairs.Training.Evaluation;

/// <summary>One equal-width bin of predicted probability.</summary>
/// <param name="Lower">Inclusive lower edge (the last bin includes 1).</param>
/// <param name="MeanProbability">Mean predicted probability of the alerts in the bin (NaN when empty).</param>
/// <param name="FractionTrue">Fraction of them that are true alerts (NaN when empty).</param>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanProbability, double FractionTrue);

/// <summary>
/// How far predicted probabilities are from observed frequencies: the expected calibration error over equal-width
/// bins, ECE = sum over bins of (n_b / N) |fraction true_b - mean probability_b|, and the Brier score, mean (p - y)^2.
/// </summary>
public sealed record CalibrationMetrics(double ExpectedCalibrationError, double BrierScore, double LogLoss, IReadOnlyList<CalibrationBin> Bins)
{
    public const int DefaultBins = 10;

    public static CalibrationMetrics Of(IReadOnlyList<float> probabilities, IReadOnlyList<byte> labels, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (probabilities.Count != labels.Count || probabilities.Count == 0)
        {
            throw new ArgumentException($"{probabilities.Count} probabilities and {labels.Count} labels: one each per alert, at least one");
        }

        var count = new int[bins];
        var sumP = new double[bins];
        var sumY = new double[bins];
        double brier = 0, logLoss = 0;
        for (int i = 0; i < probabilities.Count; i++)
        {
            double p = probabilities[i];
            int y = labels[i] switch
            {
                0 => 0,
                1 => 1,
                _ => throw new ArgumentException($"label {labels[i]} at {i}: only 0 and 1 are scored", nameof(labels)),
            };
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"probability {p} at {i} is not in [0, 1]", nameof(probabilities));
            }

            int b = Math.Min((int)(p * bins), bins - 1);
            count[b]++;
            sumP[b] += p;
            sumY[b] += y;
            brier += (p - y) * (p - y);
            double clipped = Math.Clamp(p, 1e-12, 1 - 1e-12);
            logLoss -= y == 1 ? Math.Log(clipped) : Math.Log(1 - clipped);
        }

        int n = probabilities.Count;
        double ece = 0;
        var result = new CalibrationBin[bins];
        for (int b = 0; b < bins; b++)
        {
            double meanP = count[b] == 0 ? double.NaN : sumP[b] / count[b];
            double fraction = count[b] == 0 ? double.NaN : sumY[b] / count[b];
            if (count[b] > 0)
            {
                ece += (double)count[b] / n * Math.Abs(fraction - meanP);
            }

            result[b] = new CalibrationBin((double)b / bins, (double)(b + 1) / bins, count[b], meanP, fraction);
        }

        return new CalibrationMetrics(ece, brier / n, logLoss / n, result);
    }
}

/// <summary>
/// Temperature scaling (Guo et al. 2017): one scalar T &gt; 0 dividing the logit, P = sigmoid(z / T), chosen to minimise the
/// mean cross-entropy on a validation set. The loss is convex in a = 1/T (a softplus of a linear function of a), so a
/// safeguarded Newton iteration on its derivative finds the minimum. A monotone map of the logit: the ranking, hence
/// AUC and any threshold's decisions (with the threshold mapped the same way), are unchanged.
/// </summary>
public static class TemperatureScaling
{
    /// <summary>Bounds on T: a validation set that the model separates perfectly would send T to 0.</summary>
    public const double MinTemperature = 1e-2, MaxTemperature = 1e2;

    /// <summary>The temperature minimising the mean cross-entropy of sigmoid(z / T) against the labels.</summary>
    public static double Fit(IReadOnlyList<double> logits, IReadOnlyList<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Count != labels.Count || logits.Count == 0)
        {
            throw new ArgumentException($"{logits.Count} logits and {labels.Count} labels: one each per alert, at least one");
        }

        if (labels.Any(l => l > 1) || logits.Any(z => !double.IsFinite(z)))
        {
            throw new ArgumentException("labels must be 0 or 1 and logits finite");
        }

        if (!labels.Contains((byte)0) || !labels.Contains((byte)1))
        {
            throw new ArgumentException("fitting a temperature needs both false and true alerts");
        }

        // d/da of the mean loss: mean z (sigmoid(a z) - y); increasing in a.
        double lo = 1 / MaxTemperature, hi = 1 / MinTemperature;
        if (Derivative(logits, labels, lo) >= 0)
        {
            return MaxTemperature;
        }

        if (Derivative(logits, labels, hi) <= 0)
        {
            return MinTemperature;
        }

        double a = 1;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double g = Derivative(logits, labels, a);
            if (Math.Abs(g) < 1e-15)
            {
                break;
            }

            if (g > 0) { hi = a; } else { lo = a; }
            double h = Curvature(logits, a);
            double next = h > 0 ? a - (g / h) : double.NaN;
            a = next > lo && next < hi ? next : 0.5 * (lo + hi);
            if (hi - lo < 1e-12 * a)
            {
                break;
            }
        }

        return 1 / a;
    }

    /// <summary>Mean cross-entropy of sigmoid(z / T): what <see cref="Fit"/> minimises.</summary>
    public static double Loss(IReadOnlyList<double> logits, IReadOnlyList<byte> labels, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        double sum = 0;
        for (int i = 0; i < logits.Count; i++)
        {
            double x = logits[i] / temperature;
            // softplus(x) - y x, computed without overflow.
            sum += Math.Max(x, 0) - (x * labels[i]) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
        }

        return sum / logits.Count;
    }

    /// <summary>The probability threshold on calibrated outputs that decides exactly as <paramref name="threshold"/> did before.</summary>
    public static double MapThreshold(double threshold, double temperature) =>
        threshold is <= 0 or >= 1 ? threshold : Sigmoid(Math.Log(threshold / (1 - threshold)) / temperature);

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static double Derivative(IReadOnlyList<double> z, IReadOnlyList<byte> y, double a)
    {
        double sum = 0;
        for (int i = 0; i < z.Count; i++)
        {
            sum += z[i] * (Sigmoid(a * z[i]) - y[i]);
        }

        return sum / z.Count;
    }

    private static double Curvature(IReadOnlyList<double> z, double a)
    {
        double sum = 0;
        for (int i = 0; i < z.Count; i++)
        {
            double s = Sigmoid(a * z[i]);
            sum += z[i] * z[i] * s * (1 - s);
        }

        return sum / z.Count;
    }
}
