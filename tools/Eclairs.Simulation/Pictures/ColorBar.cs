using System;
using System.Collections.Generic;

namespace Eclairs.Simulation.Pictures;

/// <summary>Maps SNR arrays to colours and draws the matching vertical colour bar with tick labels.</summary>
public static class ColorBar
{
    public const int BarWidth = 12;
    public const int LabelGap = 4;

    /// <summary>One pixel per value, in <see cref="ColorMaps.Viridis"/>; non-finite values in <see cref="ColorMaps.NoData"/>.</summary>
    public static RgbImage Colorize(ReadOnlySpan<float> values, int width, int height, (double Min, double Max) range)
    {
        if (values.Length != width * height)
        {
            throw new ArgumentException($"{values.Length} values do not fill {width} x {height}", nameof(values));
        }

        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image.SetPixel(x, y, ColorMaps.Viridis(SnrScale.Normalize(values[(y * width) + x], range)));
            }
        }

        return image;
    }

    /// <summary>Width the bar and its labels take at this text scale.</summary>
    public static int TotalWidth((double Min, double Max) range, int height, int textScale)
    {
        int labels = 0;
        foreach (string s in Labels(range, height, textScale).Values)
        {
            labels = Math.Max(labels, BitmapFont.MeasureWidth(s, textScale));
        }

        return BarWidth + LabelGap + labels;
    }

    /// <summary>Draws the bar (maximum at the top) at (x, y) with ticks and labels to its right.</summary>
    public static void Draw(RgbImage image, int x, int y, int height, (double Min, double Max) range, int textScale = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        for (int row = 0; row < height; row++)
        {
            double t = 1 - (row + 0.5) / height;
            image.FillRect(x, y + row, BarWidth, 1, ColorMaps.Viridis(t));
        }

        image.DrawRect(x - 1, y - 1, BarWidth + 2, height + 2, Rgb.Black);
        foreach ((double value, string label) in Labels(range, height, textScale))
        {
            int row = y + (int)Math.Round((1 - SnrScale.Normalize(value, range)) * (height - 1));
            image.FillRect(x + BarWidth - 3, row, 4, 1, Rgb.Black);
            int textY = Math.Clamp(row - BitmapFont.MeasureHeight(textScale) / 2, y - 3, y + height + 3 - BitmapFont.MeasureHeight(textScale));
            BitmapFont.DrawText(image, x + BarWidth + LabelGap, textY, label, Rgb.Black, textScale);
        }
    }

    private static Dictionary<double, string> Labels((double Min, double Max) range, int height, int textScale)
    {
        int maxTicks = Math.Clamp(height / (BitmapFont.MeasureHeight(textScale) * 3), 2, 8);
        double step = NiceTicks.Step(range.Min, range.Max, maxTicks);
        var labels = new Dictionary<double, string>();
        foreach (double t in NiceTicks.Compute(range.Min, range.Max, maxTicks))
        {
            labels[t] = NiceTicks.Format(t, step);
        }

        return labels;
    }
}
