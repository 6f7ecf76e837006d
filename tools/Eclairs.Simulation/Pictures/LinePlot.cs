using System;
using System.Collections.Generic;

namespace Eclairs.Simulation.Pictures;

/// <summary>One named curve of a <see cref="LinePlot"/>.</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, Rgb Color, bool Dashed = false);

/// <summary>Where the legend box goes.</summary>
public enum LegendPosition
{
    LowerRight,
    UpperRight,
    UpperLeft,
    LowerLeft,
    None,
}

/// <summary>
/// A line plot with a frame, ticks at 1-2-5 steps, axis labels, a title and a legend: enough for ROC curves
/// (set <see cref="Diagonal"/> for the chance line) and training curves.
/// </summary>
public sealed class LinePlot
{
    private const int TextScale = 2;
    private readonly List<PlotSeries> _series = [];

    public string Title { get; init; } = "";

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    /// <summary>Axis limits; null picks the data's range.</summary>
    public double? XMin { get; init; }

    public double? XMax { get; init; }

    public double? YMin { get; init; }

    public double? YMax { get; init; }

    /// <summary>Draws the y = x line (dashed grey), as ROC plots do for a random classifier.</summary>
    public bool Diagonal { get; init; }

    public LegendPosition Legend { get; init; } = LegendPosition.LowerRight;

    public IReadOnlyList<PlotSeries> Series => _series;

    /// <summary>The default series colours (matplotlib's 'tab10' first entries).</summary>
    public static IReadOnlyList<Rgb> Palette { get; } =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189), new(140, 86, 75),
    ];

    public LinePlot Add(PlotSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.X.Count != series.Y.Count)
        {
            throw new ArgumentException($"series '{series.Name}' has {series.X.Count} x values and {series.Y.Count} y values", nameof(series));
        }

        _series.Add(series);
        return this;
    }

    public LinePlot Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, bool dashed = false) =>
        Add(new PlotSeries(name, x, y, Palette[_series.Count % Palette.Count], dashed));

    /// <summary>The plot area in canvas pixels: left, top, width, height (for tests and overlays).</summary>
    public (int Left, int Top, int Width, int Height) PlotArea(int width, int height)
    {
        int textHeight = BitmapFont.MeasureHeight(TextScale);
        int left = 12 + textHeight + 10 + BitmapFont.MeasureWidth("-0.00", TextScale) + 8;
        int top = 12 + (Title.Length > 0 ? textHeight + 12 : 0);
        int bottom = 12 + textHeight + 10 + textHeight + 10;
        return (left, top, width - left - 20, height - top - bottom);
    }

    public RgbImage Render(int width = 640, int height = 480)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 150);
        (double x0, double x1) = Limits(XMin, XMax, s => s.X);
        (double y0, double y1) = Limits(YMin, YMax, s => s.Y);
        (int left, int top, int w, int h) = PlotArea(width, height);
        int textHeight = BitmapFont.MeasureHeight(TextScale);
        var image = new RgbImage(width, height);
        int Px(double x) => left + (int)Math.Round((x - x0) / (x1 - x0) * (w - 1));
        int Py(double y) => top + h - 1 - (int)Math.Round((y - y0) / (y1 - y0) * (h - 1));

        if (Title.Length > 0)
        {
            BitmapFont.DrawTextCentered(image, left + (w / 2), 12, Title, Rgb.Black, TextScale);
        }

        double xStep = NiceTicks.Step(x0, x1, Math.Max(2, w / 60));
        foreach (double t in NiceTicks.Compute(x0, x1, Math.Max(2, w / 60)))
        {
            int px = Px(t);
            image.FillRect(px, top, 1, h, new Rgb(232, 232, 232));
            image.FillRect(px, top + h, 1, 5, Rgb.Black);
            BitmapFont.DrawTextCentered(image, px, top + h + 8, NiceTicks.Format(t, xStep), Rgb.Black, TextScale);
        }

        double yStep = NiceTicks.Step(y0, y1, Math.Max(2, h / 60));
        foreach (double t in NiceTicks.Compute(y0, y1, Math.Max(2, h / 60)))
        {
            int py = Py(t);
            image.FillRect(left, py, w, 1, new Rgb(232, 232, 232));
            image.FillRect(left - 5, py, 5, 1, Rgb.Black);
            string label = NiceTicks.Format(t, yStep);
            BitmapFont.DrawText(image, left - 8 - BitmapFont.MeasureWidth(label, TextScale), py - (textHeight / 2), label, Rgb.Black, TextScale);
        }

        BitmapFont.DrawTextCentered(image, left + (w / 2), height - 12 - textHeight, XLabel, Rgb.Black, TextScale);
        BitmapFont.DrawTextVertical(image, 12, top + (h / 2) + (BitmapFont.MeasureWidth(YLabel, TextScale) / 2), YLabel, Rgb.Black, TextScale);

        if (Diagonal)
        {
            double lo = Math.Max(x0, y0);
            double hi = Math.Min(x1, y1);
            if (hi > lo)
            {
                image.DrawLine(Px(lo), Py(lo), Px(hi), Py(hi), Rgb.Grey, 1, dash: 6);
            }
        }

        foreach (PlotSeries s in _series)
        {
            // Non-finite points break the curve into separate runs.
            var run = new List<(int X, int Y)>();
            for (int i = 0; i <= s.X.Count; i++)
            {
                if (i < s.X.Count && double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]))
                {
                    run.Add((Px(Math.Clamp(s.X[i], x0, x1)), Py(Math.Clamp(s.Y[i], y0, y1))));
                    continue;
                }

                image.DrawPolyline(run.ToArray(), s.Color, 2, s.Dashed ? 8 : 0);
                run.Clear();
            }
        }

        image.DrawRect(left - 1, top - 1, w + 2, h + 2, Rgb.Black);
        DrawLegend(image, left, top, w, h);
        return image;
    }

    private void DrawLegend(RgbImage image, int left, int top, int w, int h)
    {
        if (Legend == LegendPosition.None || _series.Count == 0)
        {
            return;
        }

        int textHeight = BitmapFont.MeasureHeight(TextScale);
        int lineHeight = textHeight + 8;
        int textWidth = 0;
        foreach (PlotSeries s in _series)
        {
            textWidth = Math.Max(textWidth, BitmapFont.MeasureWidth(s.Name, TextScale));
        }

        int boxWidth = 10 + 28 + 8 + textWidth + 10;
        int boxHeight = 8 + (_series.Count * lineHeight);
        int bx = Legend is LegendPosition.LowerRight or LegendPosition.UpperRight ? left + w - boxWidth - 10 : left + 10;
        int by = Legend is LegendPosition.LowerRight or LegendPosition.LowerLeft ? top + h - boxHeight - 10 : top + 10;
        image.FillRect(bx, by, boxWidth, boxHeight, Rgb.White);
        image.DrawRect(bx, by, boxWidth, boxHeight, Rgb.Grey);
        for (int i = 0; i < _series.Count; i++)
        {
            int y = by + 8 + (i * lineHeight);
            image.DrawLine(bx + 10, y + (textHeight / 2), bx + 38, y + (textHeight / 2), _series[i].Color, 2, _series[i].Dashed ? 8 : 0);
            BitmapFont.DrawText(image, bx + 46, y, _series[i].Name, Rgb.Black, TextScale);
        }
    }

    private (double Min, double Max) Limits(double? min, double? max, Func<PlotSeries, IReadOnlyList<double>> values)
    {
        double lo = double.PositiveInfinity;
        double hi = double.NegativeInfinity;
        foreach (PlotSeries s in _series)
        {
            foreach (double v in values(s))
            {
                if (double.IsFinite(v))
                {
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }
            }
        }

        lo = min ?? (double.IsFinite(lo) ? lo : 0);
        hi = max ?? (double.IsFinite(hi) ? hi : 1);
        if (!(hi > lo))
        {
            hi = lo + 1;
        }

        return (lo, hi);
    }
}
