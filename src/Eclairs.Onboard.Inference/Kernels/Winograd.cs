namespace Eclairs.Onboard.Inference;

/// <summary>
/// Winograd F(2x2, 3x3) for 3x3 stride-1 convolutions (Lavin and Gray, 2016): each 2x2 block of outputs costs
/// 16 products per (cin, cout) pair instead of 36, i.e. 2.25x fewer multiply-accumulates. Used on SIMD paths when cin
/// is large enough for the transforms to pay; tiles that stick out of an odd output are staged (WinogradEdgeTiles). The 2x2 output block of a tile is also exactly one 2x2 max-pooling window.
/// Transforms: V = Bᵀ d B (input 4x4), U = G g Gᵀ (weights, at load), Y = Aᵀ (U ⊙ V) A (output 2x2), with
/// Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 -1 -1].
/// </summary>
internal static class Winograd
{
    /// <summary>Below this many input channels the transforms cost more than they save.</summary>
    public const int MinInputChannels = 8;

    /// <summary>Floats of the transformed weights [16][cin][cout].</summary>
    public static int TransformedSize(int cin, int cout) => 16 * cin * cout;

    /// <summary>Floats of per-call workspace: 4 tiles of transformed input [16][cin] and of products [16][cout], and the staging of an edge tile.</summary>
    public static int WorkspaceSize(int cin, int cout) => (4 * 16 * (cin + cout)) + WinogradEdgeTiles.StagingSize(2, cin, cout);

    /// <summary>U = G g Gᵀ for every (cin, cout), from HWIO weights, computed in double and rounded once.</summary>
    public static void TransformWeights(System.ReadOnlySpan<float> hwio, int cin, int cout, System.Span<float> transformed)
    {
        System.ReadOnlySpan<double> g = [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1];
        for (int ci = 0; ci < cin; ci++)
        {
            for (int co = 0; co < cout; co++)
            {
                for (int a = 0; a < 4; a++)
                {
                    for (int b = 0; b < 4; b++)
                    {
                        double sum = 0;
                        for (int i = 0; i < 3; i++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                sum += g[(a * 3) + i] * hwio[((((i * 3) + j) * cin) + ci) * cout + co] * g[(b * 3) + j];
                            }
                        }
                        transformed[((((a * 4) + b) * cin) + ci) * cout + co] = (float)sum;
                    }
                }
            }
        }
    }
}
