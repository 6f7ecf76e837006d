namespace Eclairs.Simulation;

/// <summary>
/// An upward Poisson fluctuation at sky pixel (<see cref="SkyY"/>, <see cref="SkyZ"/>) of about
/// <see cref="Sigma"/> standard deviations. A 6.5σ fluctuation happens about once in 10⁷ images:
/// too rare to wait for, so the counts are drawn from the tail directly. Conditioned on a large
/// sum, independent Poisson counts follow the exponentially tilted law: the detector pixels that
/// see this sky pixel through open mask cells get their means scaled by one factor θ, chosen so
/// the expected excess is <see cref="Sigma"/> times the correlation's standard deviation. The
/// counts stay genuine Poisson draws; only their mean is conditioned on the rare event.
/// </summary>
public sealed record TailFluctuation(int SkyY, int SkyZ, double Sigma);
