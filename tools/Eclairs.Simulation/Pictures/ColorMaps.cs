using System;

namespace Eclairs.Simulation.Pictures;

/// <summary>
/// Colour maps for the pictures. <see cref="Viridis"/> is an approximation of matplotlib's perceptually uniform
/// 'viridis': 17 anchor colours taken from it at t = 0, 1/16, ..., 1 and joined by linear interpolation in sRGB;
/// no channel is more than 6/255 away from matplotlib 3.6.3's map. Mask colours follow the seed deck.
/// </summary>
public static class ColorMaps
{
    // matplotlib 3.6.3 viridis at t = i / 16, rounded to 8 bits.
    private static readonly Rgb[] ViridisAnchors =
    [
        new(68, 1, 84), new(72, 24, 106), new(71, 45, 123), new(66, 64, 134), new(59, 82, 139), new(51, 99, 141),
        new(44, 114, 142), new(38, 130, 142), new(33, 145, 140), new(31, 160, 136), new(40, 174, 128),
        new(63, 188, 115), new(94, 201, 98), new(132, 212, 75), new(173, 220, 48), new(216, 226, 25), new(253, 231, 37),
    ];

    // matplotlib 'Blues' at t = i / 4.
    private static readonly Rgb[] BluesAnchors =
    [
        new(247, 251, 255),
        new(198, 219, 239),
        new(106, 174, 214),
        new(32, 112, 180),
        new(8, 48, 107),
    ];

    /// <summary>Mask 0: ignore (missing data, outside the field of view).</summary>
    public static readonly Rgb MaskIgnore = new(214, 39, 40);

    /// <summary>Mask 1: background.</summary>
    public static readonly Rgb MaskBackground = new(44, 160, 44);

    /// <summary>Mask 2: known source.</summary>
    public static readonly Rgb MaskKnownSource = new(255, 140, 0);

    /// <summary>Mask 3: the pixel that triggered.</summary>
    public static readonly Rgb MaskTrigger = new(31, 90, 220);

    /// <summary>Colour for pixels with no finite value.</summary>
    public static readonly Rgb NoData = new(90, 90, 90);

    /// <summary>Viridis-like colour for t in [0, 1] (clamped; NaN gives <see cref="NoData"/>).</summary>
    public static Rgb Viridis(double t) => Interpolate(ViridisAnchors, t);

    /// <summary>White to dark blue, for counts in heat maps (after matplotlib's 'Blues').</summary>
    public static Rgb Blues(double t) => Interpolate(BluesAnchors, t);

    /// <summary>The deck's mask colours: 0 red, 1 green, 2 orange, 3 blue; other values magenta so they stand out.</summary>
    public static Rgb Mask(byte value) => value switch
    {
        0 => MaskIgnore,
        1 => MaskBackground,
        2 => MaskKnownSource,
        3 => MaskTrigger,
        _ => new Rgb(255, 0, 255),
    };

    private static Rgb Interpolate(Rgb[] anchors, double t)
    {
        if (double.IsNaN(t))
        {
            return NoData;
        }

        double x = Math.Clamp(t, 0, 1) * (anchors.Length - 1);
        int i = Math.Min((int)x, anchors.Length - 2);
        double f = x - i;
        Rgb a = anchors[i];
        Rgb b = anchors[i + 1];
        return new Rgb(Mix(a.R, b.R, f), Mix(a.G, b.G, f), Mix(a.B, b.B, f));
    }

    private static byte Mix(byte a, byte b, double f) => (byte)Math.Round(a + ((b - a) * f), MidpointRounding.AwayFromZero);
}
