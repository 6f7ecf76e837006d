namespace Eclairs.Onboard.Inference;

/// <summary>
/// Winograd F(4x4, 3x3) for float 3x3 stride-1 convolutions (Lavin and Gray, 2016, points 0, ±1, ±2, ∞): each 4x4
/// block of outputs costs 36 products per (cin, cout) pair instead of 144, 4x fewer than the direct convolution
/// (F(2x2) saves 2.25x), for larger transforms and a larger rounding error (the interpolation points ±2 scale terms
/// by up to 8 in Aᵀ and 5 in Bᵀ; against the double-precision convolution it stays within the float path's 1e-4).
/// Used where the output height and width are multiples of 4; a 4x4 output block holds four 2x2 pooling windows.
/// V = Bᵀ d B (input 6x6), U = G g Gᵀ (weights, at load, in double), Y = Aᵀ (U ⊙ V) A (output 4x4), with
/// Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1],
/// G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1],
/// Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
/// </summary>
internal static class Winograd4
{
    /// <summary>Transform points per tile (6x6).</summary>
    public const int Points = 36;

    /// <summary>Floats of the transformed weights [36][cin][cout].</summary>
    public static int TransformedSize(int cin, int cout) => Points * cin * cout;

    /// <summary>Floats of per-call workspace: 4 tiles of transformed input [36][cin] and of products [36][cout].</summary>
    public static int WorkspaceSize(int cin, int cout) => (4 * Points * (cin + cout)) + WinogradEdgeTiles.StagingSize(4, cin, cout);

    /// <summary>U = G g Gᵀ for every (cin, cout), from HWIO weights, computed in double and rounded once.</summary>
    public static void TransformWeights(System.ReadOnlySpan<float> hwio, int cin, int cout, System.Span<float> transformed)
    {
        System.ReadOnlySpan<double> g =
        [
            1.0 / 4, 0, 0,
            -1.0 / 6, -1.0 / 6, -1.0 / 6,
            -1.0 / 6, 1.0 / 6, -1.0 / 6,
            1.0 / 24, 1.0 / 12, 1.0 / 6,
            1.0 / 24, -1.0 / 12, 1.0 / 6,
            0, 0, 1,
        ];
        for (int ci = 0; ci < cin; ci++)
        {
            for (int co = 0; co < cout; co++)
            {
                for (int a = 0; a < 6; a++)
                {
                    for (int b = 0; b < 6; b++)
                    {
                        double sum = 0;
                        for (int i = 0; i < 3; i++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                sum += g[(a * 3) + i] * hwio[((((i * 3) + j) * cin) + ci) * cout + co] * g[(b * 3) + j];
                            }
                        }
                        transformed[((((a * 6) + b) * cin) + ci) * cout + co] = (float)sum;
                    }
                }
            }
        }
    }
}
