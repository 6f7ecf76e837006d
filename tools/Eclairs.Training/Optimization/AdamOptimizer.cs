using System;
using System.Collections.Generic;

namespace Eclairs.Training.Optimization;

/// <summary>
/// Bias-corrected Adam with decoupled weight decay on a flat parameter vector:
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; m^ = m / (1 - b1^t); v^ = v / (1 - b2^t);
/// w = w - lr (m^ / (sqrt(v^) + eps) + decay w), the decay term only on the ranges marked as weights.
/// The update of each value depends on that value only, so any partition of the vector gives the same result.
/// </summary>
public sealed class AdamOptimizer
{
    private readonly AdamOptions _options;
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly bool[] _decayed;

    /// <summary>Creates zeroed moments for <paramref name="parameterCount"/> values; decay applies inside <paramref name="weightRanges"/>.</summary>
    public AdamOptimizer(int parameterCount, AdamOptions options, IEnumerable<Range> weightRanges)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(weightRanges);
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        options.Validate();
        _options = options;
        _m = new float[parameterCount];
        _v = new float[parameterCount];
        _decayed = new bool[parameterCount];
        foreach (Range range in weightRanges)
        {
            _decayed.AsSpan(range).Fill(true);
        }
    }

    /// <summary>Number of updates applied so far (t).</summary>
    public long Step { get; private set; }

    /// <summary>The options in use.</summary>
    public AdamOptions Options => _options;

    /// <summary>Starts update number t = <see cref="Step"/> + 1; call <see cref="Update"/> on every part of the vector, then nothing else.</summary>
    public void BeginStep() => Step++;

    /// <summary>Applies step <see cref="Step"/> to <paramref name="parameters"/>[offset..] with the matching gradient slice.</summary>
    public void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        if (Step == 0)
        {
            throw new InvalidOperationException("Call BeginStep before Update.");
        }

        if (gradients.Length != parameters.Length || offset < 0 || offset + parameters.Length > _m.Length)
        {
            throw new ArgumentException($"Slice [{offset}, +{parameters.Length}) with {gradients.Length} gradients does not fit {_m.Length} parameters.");
        }

        float b1 = (float)_options.Beta1, b2 = (float)_options.Beta2;
        float correction1 = (float)(1.0 / (1.0 - Math.Pow(_options.Beta1, Step)));
        float correction2 = (float)(1.0 / (1.0 - Math.Pow(_options.Beta2, Step)));
        float lr = (float)_options.LearningRate, eps = (float)_options.Epsilon, decay = (float)_options.WeightDecay;
        Span<float> m = _m.AsSpan(offset, parameters.Length);
        Span<float> v = _v.AsSpan(offset, parameters.Length);
        ReadOnlySpan<bool> decayed = _decayed.AsSpan(offset, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            float mHat = m[i] * correction1;
            float vHat = v[i] * correction2;
            float w = parameters[i];
            float step = mHat / (MathF.Sqrt(vHat) + eps);
            if (decayed[i])
            {
                step += decay * w;
            }

            parameters[i] = w - lr * step;
        }
    }

    /// <summary>Updates the whole vector in one call.</summary>
    public void Apply(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        BeginStep();
        Update(parameters, gradients, 0);
    }
}
