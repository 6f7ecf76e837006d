namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Integer Winograd on outputs that are not a multiple of the tile (compact-v1's 14x14 and 7x7), as the float
/// kernels do (<see cref="WinogradEdgeTiles"/>): the tiles cover the output rounded up; a tile that sticks out reads
/// its patch from a staged copy of the widened region, so nothing is read past it (zero outside: unlike float, the
/// integer transforms are exact, so what is there reaches only the outputs outside, which are dropped), and writes its
/// outputs to a staging tile of which only the part inside the output is copied. The outputs inside stay bit for bit
/// the direct convolution's.
/// </summary>
internal static unsafe class Int8WinogradEdgeTiles
{
    /// <summary>int32 words of staging for one tile of side <paramref name="tile"/>: the int16 patch and the int8 outputs.</summary>
    public static int StagingInts(int tile, int pairs, int cout) => ((tile + 2) * (tile + 2) * pairs) + (((tile * tile * cout) + 3) / 4);

    public static bool IsEdge(in Int8Step l, bool pool, int tile, int ty, int tx) =>
        ((ty + 1) * tile) > WinogradEdgeTiles.Covered(l.Out.Height, pool) || ((tx + 1) * tile) > WinogradEdgeTiles.Covered(l.Out.Width, pool);

    /// <summary>
    /// Copies the (tile + 2)² patch of tile (ty, tx) of the widened region ('same': the input plus a border of one,
    /// <paramref name="cPad"/> int16 per pixel) into <paramref name="patch"/>, zero outside; returns its row length in int16.
    /// </summary>
    public static int StageInput(in Int8Step l, short* region, int cPad, int tile, int ty, int tx, short* patch)
    {
        int side = tile + 2, regionWidth = l.In.Width + 2, regionHeight = l.In.Height + 2;
        int rows = System.Math.Min(side, regionHeight - (ty * tile));
        int columns = System.Math.Min(side, regionWidth - (tx * tile));
        new System.Span<short>(patch, side * side * cPad).Clear();
        for (int r = 0; r < rows; r++)
        {
            short* from = region + ((((long)((ty * tile) + r) * regionWidth) + (tx * tile)) * cPad);
            new System.ReadOnlySpan<short>(from, columns * cPad).CopyTo(new System.Span<short>(patch + (r * side * cPad), columns * cPad));
        }
        return side * cPad;
    }

    /// <summary>
    /// Copies the <paramref name="side"/>² outputs (<paramref name="side"/> = the tile, or half of it pooled) staged at
    /// <paramref name="staged"/> (rows side·cout apart) that lie inside the output of <paramref name="width"/> x
    /// <paramref name="height"/> pixels.
    /// </summary>
    public static void CopyOutput(sbyte* staged, int side, int ty, int tx, sbyte* output, int height, int width, int cout)
    {
        int rows = System.Math.Min(side, height - (ty * side));
        int columns = System.Math.Min(side, width - (tx * side));
        for (int r = 0; r < rows; r++)
        {
            sbyte* to = output + ((((long)((ty * side) + r) * width) + ((long)tx * side)) * cout);
            new System.ReadOnlySpan<sbyte>(staged + (r * side * cout), columns * cout).CopyTo(new System.Span<sbyte>(to, columns * cout));
        }
    }
}
