namespace Eclairs.Onboard.Inference;

/// <summary>
/// Float Winograd on outputs that are not a multiple of the tile (compact-v1's 14x14 and 7x7): the tiles cover the
/// output rounded up, and a tile that sticks out is an edge tile. Its input patch would read past the padded input,
/// so it is staged: the rows and columns inside copied, zeros outside (garbage there would reach the valid outputs
/// through the transforms' rounding, and a NaN would poison them). Its outputs go to a staging tile and only those
/// inside the output are copied, so the zero border of a next layer's padded input is never written.
/// </summary>
internal static unsafe class WinogradEdgeTiles
{
    /// <summary>Floats of staging one tile of side <paramref name="tile"/> needs: its input patch and its outputs.</summary>
    public static int StagingSize(int tile, int cin, int cout) => ((tile + 2) * (tile + 2) * cin) + (tile * tile * cout);

    /// <summary>Convolution rows (or columns) of <paramref name="size"/> the tiles must produce: all, or with a fused pool those its windows read.</summary>
    public static int Covered(int size, bool pool) => pool ? 2 * (size / 2) : size;

    public static int CoveredHeight(in ConvArguments a) => Covered(a.OutputHeight, a.Pool);

    public static int CoveredWidth(in ConvArguments a) => Covered(a.OutputWidth, a.Pool);

    public static bool IsEdge(in ConvArguments a, int tile, int ty, int tx) =>
        ((ty + 1) * tile) > CoveredHeight(a) || ((tx + 1) * tile) > CoveredWidth(a);

    /// <summary>Copies the (tile + 2)² patch of tile (ty, tx) into <paramref name="patch"/>, zero outside the input; returns its row stride.</summary>
    public static long StageInput(in ConvArguments a, int tile, int ty, int tx, float* patch)
    {
        int cin = a.InputChannels, side = tile + 2;
        int inputHeight = a.OutputHeight + a.Kernel - 1;
        int rows = System.Math.Min(side, inputHeight - (ty * tile));
        int columns = System.Math.Min(side, a.InputWidth - (tx * tile));
        new System.Span<float>(patch, side * side * cin).Clear();
        for (int r = 0; r < rows; r++)
        {
            float* from = a.Input + ((((long)((ty * tile) + r) * a.InputWidth) + (tx * tile)) * cin);
            new System.ReadOnlySpan<float>(from, columns * cin).CopyTo(new System.Span<float>(patch + (r * side * cin), columns * cin));
        }
        return (long)side * cin;
    }

    /// <summary>The arguments that make an output transform write tile (0, 0) into <paramref name="staged"/>.</summary>
    public static ConvArguments StagedOutput(in ConvArguments a, int tile, float* staged) =>
        new(a.Input, a.InputWidth, a.InputChannels, a.Weights, a.Bias, a.Kernel, staged, tile, tile, a.OutputChannels, a.Relu,
            (a.Pool ? tile / 2 : tile) * a.OutputChannels, a.Pool, a.TileVectors);

    /// <summary>Copies the outputs of staged tile (ty, tx) that lie inside the (pooled) output.</summary>
    public static void CopyOutput(in ConvArguments a, int tile, int ty, int tx, float* staged)
    {
        int cout = a.OutputChannels;
        int side = a.Pool ? tile / 2 : tile;
        int height = a.Pool ? a.OutputHeight / 2 : a.OutputHeight, width = a.Pool ? a.OutputWidth / 2 : a.OutputWidth;
        int rows = System.Math.Min(side, height - (ty * side));
        int columns = System.Math.Min(side, width - (tx * side));
        for (int r = 0; r < rows; r++)
        {
            float* to = a.Output + ((long)((ty * side) + r) * a.OutputRowStride) + ((long)tx * side * cout);
            new System.ReadOnlySpan<float>(staged + (r * side * cout), columns * cout).CopyTo(new System.Span<float>(to, columns * cout));
        }
    }
}
