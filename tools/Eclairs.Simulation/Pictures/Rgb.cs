namespace Eclairs.Simulation.Pictures;

/// <summary>An 8-bit sRGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Grey = new(128, 128, 128);
    public static readonly Rgb LightGrey = new(210, 210, 210);
    public static readonly Rgb DarkGrey = new(50, 50, 50);

    /// <summary>Relative luminance in 0..1 (Rec. 709 weights on the sRGB values), to pick readable text colours.</summary>
    public double Luminance => (0.2126 * R + 0.7152 * G + 0.0722 * B) / 255.0;

    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}
