using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// The quadratic background of the long timescales on one <see cref="ReconstructionPlan"/>: the least-squares fit
/// on its active pixels and the intensity image S of each of the five basis shadowgrams (x², y², x, y, 1), so that
/// subtracting a fitted background is five multiply-adds per sky pixel. Depends on the plan only, so it is built
/// once per plan (<see cref="ReconstructionPlan.Quadratic"/>) and shared.
/// </summary>
public sealed class QuadraticModels
{
    private readonly float[][] _intensities;

    internal QuadraticModels(ReconstructionPlan plan)
    {
        Fit = new QuadraticBackgroundFit(plan.Geometry, plan.ActivePixels);
        var reconstructor = new SkyReconstructor(plan);
        int skyPixels = plan.SkySide * plan.SkySide;
        _intensities = new float[QuadraticBackgroundFit.Terms][];
        for (int j = 0; j < QuadraticBackgroundFit.Terms; j++)
        {
            _intensities[j] = new float[skyPixels];
            reconstructor.ReconstructIntensity(Fit.Basis(j), _intensities[j]);
        }
    }

    public QuadraticBackgroundFit Fit { get; }

    /// <summary>S of basis shadowgram <paramref name="term"/> (row-major sky image).</summary>
    public ReadOnlySpan<float> Intensity(int term) => _intensities[term];

    internal float[] IntensityArray(int term) => _intensities[term];
}
