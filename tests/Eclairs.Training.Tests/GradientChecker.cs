using System;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>
/// Central finite differences in float against a layer's backward pass. The scalar objective is
/// L = sum_i r_i * out_i (accumulated in double) with a fixed random r, so dL/dout = r.
/// Piecewise-linear layers (ReLU, max pooling) have kinks where the derivative does not exist: a caller-given
/// pattern (which ReLUs are active, which input wins each pool window) is computed at -e, 0 and +e; a coordinate
/// whose perturbation changes the pattern is counted as a kink and skipped, and the test asserts that few were.
/// Along one coordinate each pre-activation is linear, so an unchanged pattern at both ends means no kink between.
/// </summary>
internal sealed class GradientChecker
{
    private readonly TrainingLayer _layer;
    private readonly float[] _parameters;
    private readonly float[] _input;
    private readonly double[] _weights;
    private readonly float[] _output;
    private readonly float[] _scratch;
    private readonly bool _training;
    private readonly ulong _dropoutSeed;
    private readonly Func<float[], float[], int[]>? _pattern;

    public GradientChecker(
        LayerSpec spec, TensorShape input, ulong seed, bool training = true, ulong dropoutSeed = 7, Func<float[], float[], int[]>? pattern = null)
    {
        _pattern = pattern;
        _layer = LayerFactory.Create(spec, input);
        var rng = new Xoshiro256StarStar(seed);
        _parameters = new float[_layer.ParameterCount];
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = (float)(rng.NextDouble() - 0.5);
        }

        _input = new float[input.Size];
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (float)(2 * rng.NextDouble() - 1);
        }

        _weights = new double[_layer.OutputShape.Size];
        for (int i = 0; i < _weights.Length; i++)
        {
            _weights[i] = 2 * rng.NextDouble() - 1;
        }

        _output = new float[_layer.OutputShape.Size];
        _scratch = new float[_layer.ScratchSize];
        _training = training;
        _dropoutSeed = dropoutSeed;
    }

    public TrainingLayer Layer => _layer;

    public double MaxRelativeError { get; private set; }

    public int Checked { get; private set; }

    public int Kinks { get; private set; }

    /// <summary>Checks every parameter and every input coordinate (at most <paramref name="limit"/> of each, spread evenly).</summary>
    public void Run(float epsilon = 1e-2f, int limit = 400, double floor = 1e-2)
    {
        float[] parameterGradient = new float[_parameters.Length];
        float[] inputGradient = new float[_input.Length];
        Forward();
        float[] outputGradient = Array.ConvertAll(_weights, w => (float)w);
        var context = new LayerContext(_parameters, parameterGradient, _scratch, _training, _dropoutSeed);
        _layer.Backward(context, _input, _output, outputGradient, inputGradient, computeInputGradient: true);

        CheckAll(_parameters, parameterGradient, epsilon, limit, floor);
        CheckAll(_input, inputGradient, epsilon, limit, floor);
    }

    private void CheckAll(float[] values, float[] analytic, float epsilon, int limit, double floor)
    {
        int step = Math.Max(1, values.Length / limit);
        for (int i = 0; i < values.Length; i += step)
        {
            float saved = values[i];
            Objective();
            int[]? center = _pattern?.Invoke(_input, _output);
            values[i] = saved + epsilon;
            double plus = Objective();
            int[]? up = _pattern?.Invoke(_input, _output);
            values[i] = saved - epsilon;
            double minus = Objective();
            int[]? down = _pattern?.Invoke(_input, _output);
            values[i] = saved;

            if (center is not null && !(center.AsSpan().SequenceEqual(up) && center.AsSpan().SequenceEqual(down)))
            {
                Kinks++;
                continue;
            }

            double numeric = (plus - minus) / (2.0 * epsilon);
            double error = Math.Abs(numeric - analytic[i]) / Math.Max(floor, Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
            MaxRelativeError = Math.Max(MaxRelativeError, error);
            Checked++;
        }
    }

    private void Forward()
    {
        var context = new LayerContext(_parameters, default, _scratch, _training, _dropoutSeed);
        _layer.Forward(context, _input, _output);
    }

    private double Objective()
    {
        Forward();
        double sum = 0;
        for (int i = 0; i < _output.Length; i++)
        {
            sum += _weights[i] * _output[i];
        }

        return sum;
    }

    /// <summary>Asserts the stated bound and that kinks were rare.</summary>
    public void AssertWithin(double bound, double maxKinkFraction = 0.0)
    {
        Assert.True(Checked > 0, "no coordinate was checked");
        Assert.True(MaxRelativeError <= bound, $"max relative error {MaxRelativeError:E2} exceeds {bound:E1} ({Checked} checked)");
        Assert.True(Kinks <= maxKinkFraction * (Checked + Kinks), $"{Kinks} kinks of {Checked + Kinks} coordinates");
    }
}
