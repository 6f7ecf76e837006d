using System;
using System.Collections.Generic;

namespace Eclairs.Simulation.Pictures;

/// <summary>A grid of pictures (e.g. alert panels of one cause) under a title, filled row by row.</summary>
public static class ContactSheet
{
    private const int Margin = 12;
    private const int Gap = 10;

    public static RgbImage Compose(string title, IReadOnlyList<RgbImage> panels, int columns)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int cellWidth = 1;
        int cellHeight = 1;
        foreach (RgbImage p in panels)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(panels));
            cellWidth = Math.Max(cellWidth, p.Width);
            cellHeight = Math.Max(cellHeight, p.Height);
        }

        int cols = Math.Max(1, Math.Min(columns, panels.Count));
        int rows = (panels.Count + cols - 1) / cols;
        const int titleScale = 3;
        int gridY = Margin + BitmapFont.MeasureHeight(titleScale) + Margin;
        int width = Math.Max((2 * Margin) + (cols * cellWidth) + ((cols - 1) * Gap), (2 * Margin) + BitmapFont.MeasureWidth(title, titleScale));
        int height = gridY + (rows * cellHeight) + (Math.Max(0, rows - 1) * Gap) + Margin;
        var sheet = new RgbImage(width, height, new Rgb(236, 236, 236));
        BitmapFont.DrawText(sheet, Margin, Margin, title, Rgb.Black, titleScale);
        for (int i = 0; i < panels.Count; i++)
        {
            int x = Margin + ((i % cols) * (cellWidth + Gap));
            int y = gridY + ((i / cols) * (cellHeight + Gap));
            sheet.Blit(panels[i], x, y);
        }

        return sheet;
    }
}
