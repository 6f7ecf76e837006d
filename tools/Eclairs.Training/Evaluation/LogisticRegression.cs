using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace Eclairs.Training.Evaluation;

/// <summary>
/// Logistic regression on standardised features: P(true) = sigmoid(bias + sum_j w_j (x_j - mean_j) / scale_j).
/// Fitted by Newton's method on the mean binary cross-entropy plus an L2 penalty (lambda / 2) |w|^2 on the weights
/// (not the bias); the problem is convex, so the fit is the unique optimum whatever the start, and deterministic.
/// </summary>
public sealed class LogisticRegression
{
    public LogisticRegression(IReadOnlyList<string> featureNames, double[] mean, double[] scale, double[] weights, double bias, double l2)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(weights);
        int d = featureNames.Count;
        if (mean.Length != d || scale.Length != d || weights.Length != d)
        {
            throw new ArgumentException($"{d} features but {mean.Length} means, {scale.Length} scales and {weights.Length} weights");
        }

        foreach (double s in scale)
        {
            if (!(s > 0 && double.IsFinite(s)))
            {
                throw new ArgumentException($"feature scale {s} must be finite and positive", nameof(scale));
            }
        }

        FeatureNames = [.. featureNames];
        Mean = mean;
        Scale = scale;
        Weights = weights;
        Bias = bias;
        L2 = l2;
    }

    public IReadOnlyList<string> FeatureNames { get; }

    public double[] Mean { get; }

    public double[] Scale { get; }

    /// <summary>Weights on the standardised features.</summary>
    public double[] Weights { get; }

    public double Bias { get; }

    /// <summary>The penalty the model was fitted with.</summary>
    public double L2 { get; }

    public int FeatureCount => Weights.Length;

    /// <summary>Fits on an n x d row-major feature matrix and 0/1 labels.</summary>
    public static LogisticRegression Fit(IReadOnlyList<string> featureNames, double[] features, IReadOnlyList<byte> labels, double l2 = 1e-4,
        int maxIterations = 100, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        int d = featureNames.Count, n = labels.Count;
        if (n == 0 || features.Length != n * d)
        {
            throw new ArgumentException($"{n} labels need a {n} x {d} feature matrix ({n * d} values); got {features.Length}");
        }

        (double[] mean, double[] scale) = Standardisation(features, n, d);
        double[] z = Standardise(features, n, mean, scale);
        var theta = new double[d + 1]; // bias last
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            (double[] gradient, double[,]? hessian) = Derivatives(z, labels, theta, l2, withHessian: true);
            double[] step = Solve(hessian!, gradient);
            double largest = 0;
            for (int j = 0; j <= d; j++)
            {
                theta[j] -= step[j];
                largest = Math.Max(largest, Math.Abs(step[j]));
            }

            if (largest < tolerance)
            {
                break;
            }
        }

        return new LogisticRegression(featureNames, mean, scale, theta[..d], theta[d], l2);
    }

    /// <summary>
    /// Mean loss and its gradient (weights then bias) on standardised features <paramref name="z"/> at parameters
    /// <paramref name="theta"/> (weights then bias): the function Newton's method minimises, exposed for gradient checks.
    /// </summary>
    public static (double Loss, double[] Gradient) LossAndGradient(double[] z, IReadOnlyList<byte> labels, double[] theta, double l2)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(theta);
        int d = theta.Length - 1, n = labels.Count;
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double logit = Logit(z.AsSpan(i * d, d), theta);
            // -log sigmoid(s) for y = 1 and -log(1 - sigmoid(s)) for y = 0, both stable: log1p(exp(-|s|)) + max(s, 0) - s y.
            loss += Math.Log(1 + Math.Exp(-Math.Abs(logit))) + Math.Max(logit, 0) - (logit * labels[i]);
        }

        double penalty = 0;
        for (int j = 0; j < d; j++)
        {
            penalty += theta[j] * theta[j];
        }

        return ((loss / n) + (0.5 * l2 * penalty), Derivatives(z, labels, theta, l2, withHessian: false).Gradient);
    }

    /// <summary>P(true alert) for one alert's raw (unstandardised) features.</summary>
    public double Probability(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"{FeatureCount} features expected, {features.Length} given", nameof(features));
        }

        double logit = Bias;
        for (int j = 0; j < FeatureCount; j++)
        {
            logit += Weights[j] * (features[j] - Mean[j]) / Scale[j];
        }

        return Sigmoid(logit);
    }

    /// <summary>Probabilities of every row of an n x d raw feature matrix.</summary>
    public double[] Probabilities(double[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"{features.Length} values are not rows of {FeatureCount} features", nameof(features));
        }

        var p = new double[features.Length / FeatureCount];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = Probability(features.AsSpan(i * FeatureCount, FeatureCount));
        }

        return p;
    }

    /// <summary>Writes the model as JSON, with free-text provenance (data set, command).</summary>
    public void Save(string path, string provenance)
    {
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("kind", "logistic-regression");
        json.WriteString("provenance", provenance);
        json.WriteNumber("l2", L2);
        Array(json, "features", FeatureNames);
        Array(json, "mean", Mean);
        Array(json, "scale", Scale);
        Array(json, "weights", Weights);
        json.WriteNumber("bias", Bias);
        json.WriteEndObject();
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static LogisticRegression Load(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = doc.RootElement;
        if (!root.TryGetProperty("kind", out JsonElement kind) || kind.GetString() != "logistic-regression")
        {
            throw new InvalidDataException($"{path}: not a logistic-regression model (no \"kind\": \"logistic-regression\")");
        }

        try
        {
            string[] names = [.. Read(root, "features", e => e.GetString() ?? "")];
            return new LogisticRegression(names, [.. Read(root, "mean", e => e.GetDouble())], [.. Read(root, "scale", e => e.GetDouble())],
                [.. Read(root, "weights", e => e.GetDouble())], root.GetProperty("bias").GetDouble(), root.GetProperty("l2").GetDouble());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: malformed logistic-regression model: {e.Message}", e);
        }
    }

    private static List<T> Read<T>(JsonElement root, string name, Func<JsonElement, T> read)
    {
        var list = new List<T>();
        foreach (JsonElement e in root.GetProperty(name).EnumerateArray())
        {
            list.Add(read(e));
        }

        return list;
    }

    private static void Array(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (double v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void Array(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    /// <summary>Per-feature mean and population standard deviation (1 for a constant feature).</summary>
    private static (double[] Mean, double[] Scale) Standardisation(double[] x, int n, int d)
    {
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += x[(i * d) + j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double c = x[(i * d) + j] - mean[j];
                scale[j] += c * c;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double s = Math.Sqrt(scale[j] / n);
            scale[j] = s > 1e-12 ? s : 1;
        }

        return (mean, scale);
    }

    private static double[] Standardise(double[] x, int n, double[] mean, double[] scale)
    {
        int d = mean.Length;
        var z = new double[x.Length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                z[(i * d) + j] = (x[(i * d) + j] - mean[j]) / scale[j];
            }
        }

        return z;
    }

    private static (double[] Gradient, double[,]? Hessian) Derivatives(double[] z, IReadOnlyList<byte> labels, double[] theta, double l2, bool withHessian)
    {
        int d = theta.Length - 1, n = labels.Count;
        var gradient = new double[d + 1];
        double[,]? hessian = withHessian ? new double[d + 1, d + 1] : null;
        var row = new double[d + 1];
        for (int i = 0; i < n; i++)
        {
            z.AsSpan(i * d, d).CopyTo(row);
            row[d] = 1;
            double p = Sigmoid(Logit(z.AsSpan(i * d, d), theta));
            double residual = p - labels[i], curvature = p * (1 - p);
            for (int a = 0; a <= d; a++)
            {
                gradient[a] += residual * row[a];
                if (hessian is not null)
                {
                    for (int b = 0; b <= a; b++)
                    {
                        hessian[a, b] += curvature * row[a] * row[b];
                    }
                }
            }
        }

        for (int a = 0; a <= d; a++)
        {
            gradient[a] = (gradient[a] / n) + (a < d ? l2 * theta[a] : 0);
            if (hessian is not null)
            {
                for (int b = 0; b <= a; b++)
                {
                    hessian[a, b] = (hessian[a, b] / n) + (a == b && a < d ? l2 : 0);
                    hessian[b, a] = hessian[a, b];
                }
            }
        }

        return (gradient, hessian);
    }

    /// <summary>Solves H x = g by Gaussian elimination with partial pivoting (H is (d+1) x (d+1), small).</summary>
    private static double[] Solve(double[,] h, double[] g)
    {
        int m = g.Length;
        var a = (double[,])h.Clone();
        var b = (double[])g.Clone();
        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < m; r++)
            {
                pivot = Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]) ? r : pivot;
            }

            if (Math.Abs(a[pivot, col]) < 1e-300)
            {
                throw new InvalidOperationException("the Hessian is singular: a feature is constant or the classes are perfectly separated; fit with l2 > 0");
            }

            for (int c = 0; c < m; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }

            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int r = col + 1; r < m; r++)
            {
                double f = a[r, col] / a[col, col];
                for (int c = col; c < m; c++)
                {
                    a[r, c] -= f * a[col, c];
                }

                b[r] -= f * b[col];
            }
        }

        var x = new double[m];
        for (int r = m - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int c = r + 1; c < m; c++)
            {
                s -= a[r, c] * x[c];
            }

            x[r] = s / a[r, r];
        }

        return x;
    }

    private static double Logit(ReadOnlySpan<double> z, double[] theta)
    {
        int d = theta.Length - 1;
        double s = theta[d];
        for (int j = 0; j < d; j++)
        {
            s += theta[j] * z[j];
        }

        return s;
    }

    private static double Sigmoid(double s) => s >= 0 ? 1 / (1 + Math.Exp(-s)) : Math.Exp(s) / (1 + Math.Exp(s));
}
