using System;
using System.IO;
using System.Linq;
using Eclairs.Training.Evaluation;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>The logistic baseline: its gradient against finite differences, its fit against closed-form optima.</summary>
public class LogisticRegressionTests
{
    [Fact]
    public void Gradient_matches_central_differences()
    {
        var rng = new Random(11);
        int n = 40, d = 3;
        double[] z = Enumerable.Range(0, n * d).Select(_ => (rng.NextDouble() * 4) - 2).ToArray();
        byte[] y = Enumerable.Range(0, n).Select(_ => (byte)rng.Next(2)).ToArray();
        double[] theta = [0.7, -1.3, 0.4, 0.25];
        const double l2 = 0.05, eps = 1e-5;
        (_, double[] gradient) = LogisticRegression.LossAndGradient(z, y, theta, l2);
        for (int j = 0; j < theta.Length; j++)
        {
            double[] plus = (double[])theta.Clone(), minus = (double[])theta.Clone();
            plus[j] += eps;
            minus[j] -= eps;
            double numeric = (LogisticRegression.LossAndGradient(z, y, plus, l2).Loss - LogisticRegression.LossAndGradient(z, y, minus, l2).Loss) / (2 * eps);
            Assert.True(Math.Abs(numeric - gradient[j]) < 1e-8, $"parameter {j}: numeric {numeric}, analytic {gradient[j]}");
        }
    }

    [Fact]
    public void Loss_at_zero_parameters_is_log_two()
    {
        double[] z = [1, -2, 0.5];
        byte[] y = [1, 0, 1];
        Assert.Equal(Math.Log(2), LogisticRegression.LossAndGradient(z, y, [0.0, 0.0], l2: 0).Loss, 12);
    }

    /// <summary>
    /// One binary feature, no penalty: the maximum-likelihood model reproduces the frequency of true alerts in each
    /// group exactly (the saturated model), whatever the parametrisation: P(1 | x=0) = 3/10, P(1 | x=1) = 12/15.
    /// </summary>
    [Fact]
    public void Unpenalised_fit_on_a_binary_feature_reproduces_the_group_frequencies()
    {
        var x = new double[25];
        var y = new byte[25];
        for (int i = 0; i < 25; i++)
        {
            bool groupOne = i >= 10;
            x[i] = groupOne ? 1 : 0;
            y[i] = (byte)(groupOne ? (i - 10 < 12 ? 1 : 0) : (i < 3 ? 1 : 0));
        }

        LogisticRegression fit = LogisticRegression.Fit(["x"], x, y, l2: 0);
        Assert.Equal(0.3, fit.Probability([0.0]), 9);
        Assert.Equal(0.8, fit.Probability([1.0]), 9);
        // In raw units the log-odds ratio is logit(0.8) - logit(0.3).
        double rawSlope = fit.Weights[0] / fit.Scale[0];
        Assert.Equal(Math.Log(0.8 / 0.2) - Math.Log(0.3 / 0.7), rawSlope, 9);
    }

    [Fact]
    public void Penalised_fit_is_a_stationary_point_of_the_penalised_loss()
    {
        var rng = new Random(5);
        int n = 500;
        double[] x = new double[n * 2];
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = rng.NextDouble() * 10;
            x[(2 * i) + 1] = rng.Next(2);
            double logit = -2 + (0.5 * x[2 * i]) - (1.5 * x[(2 * i) + 1]);
            y[i] = (byte)(rng.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0);
        }

        LogisticRegression fit = LogisticRegression.Fit(["a", "b"], x, y, l2: 0.01);
        double[] z = new double[n * 2];
        for (int i = 0; i < n * 2; i++)
        {
            z[i] = (x[i] - fit.Mean[i % 2]) / fit.Scale[i % 2];
        }

        (_, double[] gradient) = LogisticRegression.LossAndGradient(z, y, [fit.Weights[0], fit.Weights[1], fit.Bias], 0.01);
        Assert.All(gradient, g => Assert.True(Math.Abs(g) < 1e-10, $"gradient {g}"));
        // With 500 samples the raw coefficients land near the generating ones (signs and rough size).
        Assert.InRange(fit.Weights[0] / fit.Scale[0], 0.3, 0.8);
        Assert.InRange(fit.Weights[1] / fit.Scale[1], -2.5, -0.8);
    }

    [Fact]
    public void Save_and_load_give_the_same_probabilities()
    {
        var model = new LogisticRegression(["a", "b"], [1.5, -2], [0.5, 3], [0.25, -1.125], 0.375, 1e-4);
        string path = Path.Combine(Path.GetTempPath(), $"logistic-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path, "test");
            LogisticRegression back = LogisticRegression.Load(path);
            Assert.Equal(model.Probability([2.0, 7.0]), back.Probability([2.0, 7.0]));
            double expected = 1 / (1 + Math.Exp(-(0.375 + (0.25 * (2.0 - 1.5) / 0.5) - (1.125 * (7.0 + 2) / 3))));
            Assert.Equal(expected, back.Probability([2.0, 7.0]), 14);
            File.WriteAllText(path, "{\"kind\": \"logistic-regression\", \"features\": [\"a\"]}");
            Assert.Throws<InvalidDataException>(() => LogisticRegression.Load(path));
            File.WriteAllText(path, "{\"kind\": \"something-else\"}");
            Assert.Throws<InvalidDataException>(() => LogisticRegression.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_shapes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(["a", "b"], [1, 2, 3], [1, 0]));
        var model = new LogisticRegression(["a"], [0], [1], [1], 0, 0);
        Assert.Throws<ArgumentException>(() => model.Probability([1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => new LogisticRegression(["a"], [0], [0], [1], 0, 0));
    }
}
