using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// The count-independent classification of sky pixels the alert logic uses: the sub-image mask value
/// (0 outside the field, 1 background, 2 known source), whether the new-source search may stop there,
/// and, per known source, the sky pixels where the catalogue-flare criterion measures it.
/// </summary>
internal sealed class SkyRegions
{
    private readonly ReconstructionPlan _plan;
    private readonly float _minPartialCoding;
    private readonly byte[] _emptyField;
    private int[] _flarePixels = [];
    private int[] _flareStart = [0];

    public SkyRegions(ReconstructionPlan plan, float minPartialCoding, ReadOnlySpan<KnownSource> catalogue)
    {
        _plan = plan;
        _minPartialCoding = minPartialCoding;
        Side = plan.SkySide;
        FieldMask = new byte[Side * Side];
        Searchable = new bool[Side * Side];
        _emptyField = new byte[Side * Side];
        ReadOnlySpan<bool> reconstructible = plan.Reconstructible;
        ReadOnlySpan<float> coding = plan.PartialCoding;
        for (int p = 0; p < _emptyField.Length; p++)
        {
            bool inField = reconstructible[p] && coding[p] >= minPartialCoding;
            _emptyField[p] = inField ? Alert.MaskBackground : Alert.MaskIgnore;
        }

        Update(catalogue);
    }

    public int Side { get; }

    /// <summary>Sub-image mask value of every sky pixel (never <see cref="Alert.MaskTrigger"/>).</summary>
    public byte[] FieldMask { get; }

    /// <summary>Reconstructible and outside every exclusion zone, inside the field of view or not.</summary>
    public bool[] Searchable { get; }

    /// <summary>Sky pixels of known source <paramref name="source"/>'s flare measurement: its exclusion disc and its
    /// nearest pixel, where reconstructible (in row-major order).</summary>
    public ReadOnlySpan<int> FlarePixels(int source) => _flarePixels.AsSpan(_flareStart[source], _flareStart[source + 1] - _flareStart[source]);

    /// <summary>Recomputes every map for another catalogue (setup time: allocates the flare pixel lists).</summary>
    public void Update(ReadOnlySpan<KnownSource> catalogue)
    {
        int side = Side;
        ReadOnlySpan<bool> reconstructibleMap = _plan.Reconstructible;
        _emptyField.CopyTo(FieldMask, 0);
        reconstructibleMap.CopyTo(Searchable);
        foreach (KnownSource s in catalogue)
        {
            // Every pixel of the disc lies in its bounding box (one pixel of margin for the float test's rounding).
            (int y0, int y1, int z0, int z1) = Box(s, reach: (int)MathF.Ceiling(s.ExclusionRadius) + 1, side);
            for (int z = z0; z <= z1; z++)
            {
                for (int y = y0; y <= y1; y++)
                {
                    int p = z * side + y;
                    if (InZone(s, y, z))
                    {
                        FieldMask[p] = FieldMask[p] == Alert.MaskIgnore ? Alert.MaskIgnore : Alert.MaskKnownSource;
                        Searchable[p] = false;
                    }
                }
            }
        }

        var start = new int[catalogue.Length + 1];
        var pixels = new System.Collections.Generic.List<int>();
        for (int k = 0; k < catalogue.Length; k++)
        {
            KnownSource s = catalogue[k];
            int ny = (int)MathF.Round(s.Y), nz = (int)MathF.Round(s.Z);
            (int y0, int y1, int z0, int z1) = Box(s, reach: (int)MathF.Ceiling(s.ExclusionRadius) + 1, side);
            for (int z = z0; z <= z1; z++)
            {
                for (int y = y0; y <= y1; y++)
                {
                    int p = z * side + y;
                    if (reconstructibleMap[p] && (InZone(s, y, z) || (y == ny && z == nz)))
                    {
                        pixels.Add(p);
                    }
                }
            }

            start[k + 1] = pixels.Count;
        }

        _flarePixels = [.. pixels];
        _flareStart = start;
    }

    // Pixels within reach of the source position (and its nearest pixel), clipped to the sky; empty when it lies far outside.
    private static (int Y0, int Y1, int Z0, int Z1) Box(KnownSource s, int reach, int side)
    {
        int ny = (int)MathF.Round(s.Y), nz = (int)MathF.Round(s.Z);
        return (Math.Max(0, Math.Min(ny, (int)MathF.Floor(s.Y) - reach)), Math.Min(side - 1, Math.Max(ny, (int)MathF.Ceiling(s.Y) + reach)),
            Math.Max(0, Math.Min(nz, (int)MathF.Floor(s.Z) - reach)), Math.Min(side - 1, Math.Max(nz, (int)MathF.Ceiling(s.Z) + reach)));
    }

    private static bool InZone(KnownSource s, int y, int z)
    {
        float dy = y - s.Y, dz = z - s.Z;
        return dy * dy + dz * dz <= s.ExclusionRadius * s.ExclusionRadius;
    }
}
