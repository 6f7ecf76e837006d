using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// The count-independent classification of sky pixels the alert logic uses: the sub-image mask value
/// (0 outside the field, 1 background, 2 known source) and whether the peak search may stop there.
/// </summary>
internal sealed class SkyRegions
{
    public SkyRegions(SkyReconstructor reconstructor, float minPartialCoding, ReadOnlySpan<KnownSource> catalogue)
    {
        int side = reconstructor.SkySide;
        Side = side;
        FieldMask = new byte[side * side];
        Searchable = new bool[side * side];
        for (int z = 0; z < side; z++)
        {
            for (int y = 0; y < side; y++)
            {
                int p = z * side + y;
                bool excluded = false;
                foreach (KnownSource s in catalogue)
                {
                    float dy = y - s.Y, dz = z - s.Z;
                    excluded |= dy * dy + dz * dz <= s.ExclusionRadius * s.ExclusionRadius;
                }

                bool reconstructible = reconstructor.Reconstructible[p];
                bool inField = reconstructible && reconstructor.PartialCoding[p] >= minPartialCoding;
                FieldMask[p] = !inField ? Alert.MaskIgnore : excluded ? Alert.MaskKnownSource : Alert.MaskBackground;
                Searchable[p] = reconstructible && !excluded;
            }
        }
    }

    public int Side { get; }

    /// <summary>Sub-image mask value of every sky pixel (never <see cref="Alert.MaskTrigger"/>).</summary>
    public byte[] FieldMask { get; }

    /// <summary>Reconstructible and outside every exclusion zone, inside the field of view or not.</summary>
    public bool[] Searchable { get; }
}
