using System;
using System.IO;
using Eclairs.Simulation.Pictures;
using ScottPlot;
using Xunit;

namespace Eclairs.Tools.Tests;

/// <summary>
/// The ScottPlot charts, rendered headless to PNG and decoded by the test's own PNG decoder: series drawn at the
/// pixels ScottPlot maps their coordinates to, in their colours, the false-alert axis logarithmic.
/// </summary>
public sealed class ChartsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eclairs-charts-").FullName;

    private (PngTestDecoder Png, Plot Plot) Draw(Func<string, Plot> chart)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".png");
        Plot plot = chart(path);
        return (PngTestDecoder.Decode(File.ReadAllBytes(path)), plot);
    }

    private static (byte R, byte G, byte B) At(PngTestDecoder png, double x, double y)
    {
        int px = (int)Math.Round(x), py = (int)Math.Round(y);
        int o = ((py * png.Width) + px) * png.Channels;
        return (png.Pixels[o], png.Pixels[o + 1], png.Pixels[o + 2]);
    }

    /// <summary>True when a pixel within <paramref name="radius"/> of (x, y) has the colour (antialiasing blends the edges).</summary>
    private static bool Near(PngTestDecoder png, Pixel p, Color colour, int radius = 2)
    {
        for (int dy = -radius; dy <= radius; dy++)
        {
            for (int dx = -radius; dx <= radius; dx++)
            {
                (byte r, byte g, byte b) = At(png, p.X + dx, p.Y + dy);
                if (Math.Abs(r - colour.R) <= 12 && Math.Abs(g - colour.G) <= 12 && Math.Abs(b - colour.B) <= 12)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Fraction of 40 points along a segment (data coordinates) that have the colour nearby (a dashed line has gaps).</summary>
    private static double Along(PngTestDecoder png, Plot plot, Coordinates from, Coordinates to, Color colour)
    {
        int hits = 0;
        for (int k = 0; k < 40; k++)
        {
            double t = (k + 0.5) / 40;
            hits += Near(png, plot.GetPixel(new Coordinates(from.X + (t * (to.X - from.X)), from.Y + (t * (to.Y - from.Y)))), colour, radius: 1) ? 1 : 0;
        }

        return hits / 40.0;
    }

    [Fact]
    public void The_roc_false_alert_axis_is_logarithmic_and_series_sit_at_their_coordinates()
    {
        ChartSeries model = new("model", [0, 0.001, 0.01, 0.1, 1], [0, 0.5, 0.9, 0.99, 1]);
        ChartSeries baseline = new("baseline", [0, 0.1, 1], [0, 0.3, 1], Dashed: true);
        (PngTestDecoder png, Plot plot) = Draw(path => Charts.Roc("ROC", [model, baseline], floor: 1e-4, recallMark: 0.99, path: path));
        Assert.Equal((Charts.Width, Charts.Height), (png.Width, png.Height));

        // A false-alert rate r is drawn at log10(r): equal ratios are equal distances.
        Pixel a = plot.GetPixel(new Coordinates(Math.Log10(0.001), 0.5)), b = plot.GetPixel(new Coordinates(Math.Log10(0.01), 0.5)), c = plot.GetPixel(new Coordinates(Math.Log10(0.1), 0.5));
        Assert.Equal(b.X - a.X, c.X - b.X, 0.5);
        Assert.True(Near(png, plot.GetPixel(new Coordinates(-3, 0.5)), Charts.Palette[0]));
        Assert.True(Near(png, plot.GetPixel(new Coordinates(-1.5, 0.9 + (0.09 * 0.5))), Charts.Palette[0])); // on the segment (0.01, 0.9)-(0.1, 0.99)
        double dashed = Along(png, plot, new Coordinates(-4, 0), new Coordinates(-1, 0.3), Charts.Palette[1]);
        Assert.InRange(dashed, 0.3, 0.9);   // the baseline is dashed
        Assert.True(Along(png, plot, new Coordinates(-3, 0.5), new Coordinates(-2, 0.9), Charts.Palette[0]) > 0.9);
        Assert.False(Near(png, plot.GetPixel(new Coordinates(-2, 0.3)), Charts.Palette[0], radius: 1));
        Assert.Throws<ArgumentException>(() => Charts.Roc("x", [new ChartSeries("bad", [0, 1], [0])]));
    }

    [Fact]
    public void The_reliability_diagram_has_the_diagonal_and_one_point_per_filled_bin()
    {
        ReliabilityBin[] bins = [new(0.05, 0.02, 40), new(0.5, 0.7, 10), new(0.95, 0.97, 50), new(double.NaN, double.NaN, 0)];
        (PngTestDecoder png, Plot plot) = Draw(path => Charts.Reliability("reliability", [("model", bins)], path));
        Assert.True(Near(png, plot.GetPixel(new Coordinates(0.5, 0.7)), Charts.Palette[0]));
        Assert.InRange(Along(png, plot, new Coordinates(0.1, 0.1), new Coordinates(0.4, 0.4), Colors.Gray), 0.1, 0.95); // thin and dashed
        Assert.False(Near(png, plot.GetPixel(new Coordinates(0.5, 0.2)), Charts.Palette[0], radius: 1));
    }

    [Fact]
    public void Training_curves_put_the_auc_on_the_right_axis()
    {
        double[] train = [0.7, 0.4, 0.3], validation = [0.6, 0.45, 0.5], auc = [0.9, 0.97, 0.96];
        (PngTestDecoder png, Plot plot) = Draw(path => Charts.TrainingCurves("curves", train, validation, auc, bestEpoch: 2, path));
        Assert.True(Near(png, plot.GetPixel(new Coordinates(1, 0.7)), Charts.Palette[0]));
        Assert.True(Near(png, plot.GetPixel(new Coordinates(3, 0.5)), Charts.Palette[1]));
        Assert.True(Near(png, plot.GetPixel(new Coordinates(2, 0.97), plot.Axes.Bottom, plot.Axes.Right), Charts.Palette[2]));
        Assert.Throws<ArgumentException>(() => Charts.TrainingCurves("x", train, validation, [0.9], 1));
    }

    [Fact]
    public void Bars_reach_their_values()
    {
        (PngTestDecoder png, Plot plot) = Draw(path => Charts.Bars("causes", "right", ["saa", "burst"], [0.5, 1.0], path: path));
        // saa (first, drawn at the top, position 1) ends at 0.5; burst (position 0) at 1.
        Assert.True(Near(png, plot.GetPixel(new Coordinates(0.45, 1)), Charts.Palette[0], radius: 0));
        Assert.False(Near(png, plot.GetPixel(new Coordinates(0.6, 1)), Charts.Palette[0], radius: 0));
        Assert.True(Near(png, plot.GetPixel(new Coordinates(0.95, 0)), Charts.Palette[0], radius: 0));
    }

    [Fact]
    public void Confusion_cells_are_darker_for_larger_row_shares_and_counts_readable_on_them()
    {
        (PngTestDecoder png, Plot plot) = Draw(path => Charts.Confusion("cm", ["false", "true"], [90, 10, 0, 100], path));
        (byte R, byte G, byte B) tn = At(png, plot.GetPixel(new Coordinates(-0.4, 1.4)).X, plot.GetPixel(new Coordinates(-0.4, 1.4)).Y);
        (byte R, byte G, byte B) fp = At(png, plot.GetPixel(new Coordinates(0.6, 1.4)).X, plot.GetPixel(new Coordinates(0.6, 1.4)).Y);
        (byte R, byte G, byte B) fn = At(png, plot.GetPixel(new Coordinates(-0.4, 0.4)).X, plot.GetPixel(new Coordinates(-0.4, 0.4)).Y);
        Assert.True(tn.R + tn.G + tn.B < fp.R + fp.G + fp.B, $"{tn} vs {fp}");
        Assert.True(fp.R + fp.G + fp.B < fn.R + fn.G + fn.B, $"{fp} vs {fn}");
        Assert.True(Near(png, plot.GetPixel(new Coordinates(0, 1)), Colors.White, radius: 12)); // "90" in white on the dark cell
        Assert.True(Near(png, plot.GetPixel(new Coordinates(1, 1)), Colors.Black, radius: 12)); // "10" in black on the light one
        Assert.Throws<ArgumentException>(() => Charts.Confusion("x", ["a", "b"], [1, 2, 3]));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
