using System;

namespace Eclairs.Training.Optimization;

/// <summary>
/// Hyper-parameters of Adam with decoupled weight decay (AdamW, Loshchilov and Hutter 2019): the decay shrinks
/// weights by lr * decay * w at every step, independently of the gradient moments, and is not applied to biases.
/// Defaults are Keras' Adam defaults (lr 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7) with no decay.
/// </summary>
public sealed record AdamOptions
{
    /// <summary>Step size.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay rate of the first-moment estimate.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay rate of the second-moment estimate.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the root of the second moment to avoid division by zero.</summary>
    public double Epsilon { get; init; } = 1e-7;

    /// <summary>Decoupled weight decay coefficient (0 disables it).</summary>
    public double WeightDecay { get; init; }

    internal void Validate()
    {
        if (!(LearningRate > 0) || !(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1) || !(Epsilon > 0) || !(WeightDecay >= 0))
        {
            throw new ArgumentException(
                $"Adam needs lr > 0, 0 <= beta1, beta2 < 1, epsilon > 0, decay >= 0; got {this}.");
        }
    }
}
