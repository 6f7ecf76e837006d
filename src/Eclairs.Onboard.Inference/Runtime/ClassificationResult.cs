namespace Eclairs.Onboard.Inference;

/// <summary>Outcome of one classification.</summary>
/// <param name="Probability">P(true alert), in [0, 1].</param>
/// <param name="Logit">The network's output before the sigmoid.</param>
/// <param name="IsTrueAlert">Probability &gt;= the model's decision threshold.</param>
public readonly record struct ClassificationResult(float Probability, float Logit, bool IsTrueAlert);
