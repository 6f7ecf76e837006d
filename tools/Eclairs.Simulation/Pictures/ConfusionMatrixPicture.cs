using System;
using System.Collections.Generic;
using System.Globalization;

namespace Eclairs.Simulation.Pictures;

/// <summary>
/// A confusion matrix as a heat map: rows are the true classes, columns the predicted ones, each cell coloured by
/// its share of its row (white to dark blue) with the count and that share written in it.
/// </summary>
public static class ConfusionMatrixPicture
{
    private const int Margin = 14;
    private const int TextScale = 2;

    /// <param name="classes">Class names, in row/column order (e.g. "false", "true").</param>
    /// <param name="counts">classes.Count x classes.Count counts, row-major: counts[t * n + p] = true t predicted p.</param>
    public static RgbImage Render(IReadOnlyList<string> classes, IReadOnlyList<long> counts, string title, int cell = 120)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(title);
        int n = classes.Count;
        if (n == 0 || counts.Count != n * n)
        {
            throw new ArgumentException($"{counts.Count} counts do not fill a {n} x {n} matrix", nameof(counts));
        }

        foreach (long c in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c, nameof(counts));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(cell, 60);
        int textHeight = BitmapFont.MeasureHeight(TextScale);
        int nameWidth = 0;
        foreach (string name in classes)
        {
            nameWidth = Math.Max(nameWidth, BitmapFont.MeasureWidth(name, TextScale));
        }

        int gridX = Margin + textHeight + 12 + nameWidth + 10;
        int gridY = Margin + textHeight + 14 + textHeight + 10 + textHeight + 8;
        int width = Math.Max(gridX + (n * cell) + Margin, (2 * Margin) + BitmapFont.MeasureWidth(title, TextScale));
        int height = gridY + (n * cell) + Margin;
        var image = new RgbImage(width, height);
        BitmapFont.DrawText(image, Margin, Margin, title, Rgb.Black, TextScale);
        BitmapFont.DrawTextCentered(image, gridX + (n * cell / 2), Margin + textHeight + 14, "predicted", Rgb.Black, TextScale);
        BitmapFont.DrawTextVertical(image, Margin, gridY + (n * cell / 2) + (BitmapFont.MeasureWidth("true", TextScale) / 2), "true", Rgb.Black, TextScale);

        for (int t = 0; t < n; t++)
        {
            long rowTotal = 0;
            for (int p = 0; p < n; p++)
            {
                rowTotal += counts[(t * n) + p];
            }

            BitmapFont.DrawText(image, gridX - 10 - BitmapFont.MeasureWidth(classes[t], TextScale), gridY + (t * cell) + (cell / 2) - (textHeight / 2), classes[t], Rgb.Black, TextScale);
            for (int p = 0; p < n; p++)
            {
                long count = counts[(t * n) + p];
                double share = rowTotal > 0 ? (double)count / rowTotal : 0;
                Rgb fill = ColorMaps.Blues(share);
                int x = gridX + (p * cell);
                int y = gridY + (t * cell);
                image.FillRect(x, y, cell, cell, fill);
                Rgb ink = fill.Luminance < 0.5 ? Rgb.White : Rgb.Black;
                string countText = count.ToString(CultureInfo.InvariantCulture);
                string shareText = rowTotal > 0 ? (100 * share).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";
                int countScale = BitmapFont.MeasureWidth(countText, 3) <= cell - 10 ? 3 : TextScale;
                BitmapFont.DrawTextCentered(image, x + (cell / 2), y + (cell / 2) - BitmapFont.MeasureHeight(countScale) - 2, countText, ink, countScale);
                BitmapFont.DrawTextCentered(image, x + (cell / 2), y + (cell / 2) + 6, shareText, ink, TextScale);
            }
        }

        for (int p = 0; p < n; p++)
        {
            BitmapFont.DrawTextCentered(image, gridX + (p * cell) + (cell / 2), gridY - textHeight - 8, classes[p], Rgb.Black, TextScale);
        }

        for (int k = 0; k <= n; k++)
        {
            image.FillRect(gridX + (k * cell) - (k == n ? 1 : 0), gridY, 1, n * cell, Rgb.Grey);
            image.FillRect(gridX, gridY + (k * cell) - (k == n ? 1 : 0), n * cell, 1, Rgb.Grey);
        }

        return image;
    }
}
