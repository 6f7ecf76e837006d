using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace Eclairs.Simulation.Pictures;

/// <summary>One curve of a chart.</summary>
/// <param name="Dashed">Drawn dashed (baselines beside the model).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Dashed = false);

/// <summary>One bin of a reliability diagram: mean predicted probability, observed fraction of true alerts, alerts in it.</summary>
public sealed record ReliabilityBin(double Confidence, double Observed, int Count);

/// <summary>
/// The plots people read, drawn by ScottPlot 5 (PNG through SkiaSharp, headless): the ROC with a logarithmic
/// false-alert axis, the reliability diagram, training curves, per-cause bars and the confusion matrix. Every
/// method builds the <see cref="Plot"/> (returned, so tests can map data to pixels) and writes the PNG when given a path.
/// The hand-written drawing in this folder is kept only for what ScottPlot does not do: alert panels, sky images,
/// contact sheets.
/// </summary>
public static class Charts
{
    public const int Width = 720, Height = 540;

    /// <summary>Colours of successive series (matplotlib's tab10, which the alert panels' mask colours also follow).</summary>
    public static IReadOnlyList<Color> Palette { get; } =
        [Color.FromHex("#1F77B4"), Color.FromHex("#FF7F0E"), Color.FromHex("#2CA02C"), Color.FromHex("#D62728"), Color.FromHex("#9467BD"), Color.FromHex("#8C564B")];

    /// <summary>
    /// ROC with the false-alert rate on a log axis from <paramref name="floor"/> to 1 (rates below it, 0 included,
    /// are drawn at the floor) and the recall on a linear axis; a dashed line marks <paramref name="recallMark"/>.
    /// </summary>
    public static Plot Roc(string title, IReadOnlyList<ChartSeries> series, double floor = 1e-3, double recallMark = 0.99, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(floor);
        Plot plot = NewPlot(title, "false alerts kept (log scale)", "true alerts kept");
        for (int i = 0; i < series.Count; i++)
        {
            ChartSeries s = Checked(series[i]);
            double[] x = s.X.Select(v => Math.Log10(Math.Max(v, floor))).ToArray();
            AddLine(plot, s with { X = x }, Palette[i % Palette.Count]);
        }

        var mark = plot.Add.HorizontalLine(recallMark, 1, Colors.Gray, LinePattern.Dotted);
        mark.LegendText = string.Create(CultureInfo.InvariantCulture, $"{recallMark:P0} recall");
        int lowest = (int)Math.Floor(Math.Log10(floor));
        double[] ticks = Enumerable.Range(lowest, -lowest + 1).Select(d => (double)d).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ticks.Select(t => Percent(Math.Pow(10, t))).ToArray());
        plot.Axes.SetLimits(Math.Log10(floor), 0.04, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, path);
    }

    /// <summary>Observed fraction of true alerts against mean predicted probability per bin, with the diagonal of perfect calibration.</summary>
    public static Plot Reliability(string title, IReadOnlyList<(string Name, IReadOnlyList<ReliabilityBin> Bins)> series, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        Plot plot = NewPlot(title, "predicted probability of a true alert", "fraction that were true");
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.Color = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "perfectly calibrated";
        for (int i = 0; i < series.Count; i++)
        {
            ReliabilityBin[] bins = series[i].Bins.Where(b => b.Count > 0).ToArray();
            var line = plot.Add.Scatter(bins.Select(b => b.Confidence).ToArray(), bins.Select(b => b.Observed).ToArray(), Palette[i % Palette.Count]);
            line.LegendText = series[i].Name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, path);
    }

    /// <summary>Loss (train and validation, left axis) and validation AUC (right axis) per epoch; the kept epoch marked.</summary>
    public static Plot TrainingCurves(string title, IReadOnlyList<double> trainLoss, IReadOnlyList<double> validationLoss, IReadOnlyList<double> validationAuc, int bestEpoch, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(trainLoss);
        ArgumentNullException.ThrowIfNull(validationLoss);
        ArgumentNullException.ThrowIfNull(validationAuc);
        if (validationLoss.Count != trainLoss.Count || validationAuc.Count != trainLoss.Count)
        {
            throw new ArgumentException($"{trainLoss.Count} train losses, {validationLoss.Count} validation losses, {validationAuc.Count} AUCs: one each per epoch");
        }

        Plot plot = NewPlot(title, "epoch", "loss");
        double[] epochs = Enumerable.Range(1, trainLoss.Count).Select(e => (double)e).ToArray();
        AddLine(plot, new ChartSeries("train loss", epochs, trainLoss), Palette[0]);
        AddLine(plot, new ChartSeries("validation loss", epochs, validationLoss), Palette[1]);
        var auc = plot.Add.ScatterLine(epochs, validationAuc.ToArray(), Palette[2]);
        auc.LegendText = "validation AUC (right axis)";
        auc.LineWidth = 2;
        auc.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "validation AUC";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (bestEpoch > 0)
        {
            var kept = plot.Add.VerticalLine(bestEpoch, 1, Colors.Gray, LinePattern.Dotted);
            kept.LegendText = string.Create(CultureInfo.InvariantCulture, $"kept: epoch {bestEpoch}");
        }

        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, path);
    }

    /// <summary>Horizontal bars, one per category (e.g. the fraction of each cause's alerts decided right), labelled with their value.</summary>
    public static Plot Bars(string title, string valueLabel, IReadOnlyList<string> names, IReadOnlyList<double> values, double max = 1, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Count || names.Count == 0)
        {
            throw new ArgumentException($"{names.Count} names and {values.Count} values: one each, at least one");
        }

        Plot plot = NewPlot(title, valueLabel, "");
        var bars = new List<Bar>();
        for (int i = 0; i < names.Count; i++)
        {
            // First name at the top.
            bars.Add(new Bar { Position = names.Count - 1 - i, Value = values[i], FillColor = Palette[0], Label = Percent(values[i]) });
        }

        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = 11;
        double[] positions = Enumerable.Range(0, names.Count).Select(i => (double)(names.Count - 1 - i)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names.ToArray());
        plot.Axes.SetLimits(0, max * 1.12, -0.6, names.Count - 0.4);
        return Save(plot, path);
    }

    /// <summary>2 x 2 (or n x n) confusion matrix: rows the truth, columns the decision, cells shaded by their row's share.</summary>
    public static Plot Confusion(string title, IReadOnlyList<string> classes, IReadOnlyList<long> counts, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(counts);
        int n = classes.Count;
        if (n == 0 || counts.Count != n * n)
        {
            throw new ArgumentException($"{counts.Count} counts for {n} classes: need {n * n}, row = truth, column = decision");
        }

        Plot plot = NewPlot(title, "decision", "truth");
        var share = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            long row = Enumerable.Range(0, n).Sum(c => counts[(r * n) + c]);
            for (int c = 0; c < n; c++)
            {
                share[r, c] = row == 0 ? 0 : (double)counts[(r * n) + c] / row;
            }
        }

        var blues = new ScottPlot.Colormaps.Blues();
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                // Truth row r is drawn at the top for r = 0: y from n - 1 - r - 0.5 to + 0.5.
                double y = n - 1 - r;
                var cell = plot.Add.Rectangle(c - 0.5, c + 0.5, y - 0.5, y + 0.5);
                cell.FillStyle.Color = blues.GetColor(0.95 - (0.75 * share[r, c])); // ScottPlot's Blues runs dark to light
                cell.LineStyle.Width = 0;
                var text = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"{counts[(r * n) + c]:N0}\n{Percent(share[r, c])}"), c, y);
                text.LabelFontSize = 18;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = share[r, c] > 0.5 ? Colors.White : Colors.Black;
            }
        }

        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classes.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classes.Reverse().ToArray());
        plot.HideGrid();
        return Save(plot, path, 560, 480);
    }

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    private static void AddLine(Plot plot, ChartSeries s, Color color)
    {
        var line = plot.Add.ScatterLine(s.X.ToArray(), s.Y.ToArray(), color);
        line.LegendText = s.Name;
        line.LineWidth = 2;
        if (s.Dashed)
        {
            line.LinePattern = LinePattern.Dashed;
        }
    }

    private static ChartSeries Checked(ChartSeries s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.X.Count != s.Y.Count)
        {
            throw new ArgumentException($"series '{s.Name}' has {s.X.Count} x and {s.Y.Count} y values");
        }

        return s;
    }

    private static Plot Save(Plot plot, string? path, int width = Width, int height = Height)
    {
        if (path is not null)
        {
            plot.SavePng(path, width, height);
        }
        else
        {
            plot.RenderInMemory(width, height);
        }

        return plot;
    }

    private static string Percent(double v) => v.ToString(v >= 0.1 || v == 0 ? "P0" : v >= 0.01 ? "P1" : "P2", CultureInfo.InvariantCulture);
}
