using System;

namespace Eclairs.Simulation.Pictures;

/// <summary>
/// The picture of one alert as the seed deck shows it: the SNR sub-image in a colour map with its colour bar,
/// beside the mask in the deck's colours (0 red, 1 green, 2 orange, 3 blue), under a title line.
/// Small black ticks outside the SNR image point at the trigger pixel's row and column.
/// </summary>
public static class AlertPanel
{
    private const int Margin = 8;
    private const int Gap = 14;
    private const int TitleScale = 2;

    /// <param name="snr">side x side SNR values, row-major.</param>
    /// <param name="mask">side x side mask values 0..3, row-major.</param>
    /// <param name="trigger">The trigger pixel (row, column); null for the centre (ICD: row 28, column 28 of 56).</param>
    public static RgbImage Render(
        ReadOnlySpan<float> snr,
        ReadOnlySpan<byte> mask,
        int side,
        string title,
        SnrScale scale,
        int zoom = 4,
        (int Row, int Column)? trigger = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(zoom, 1);
        if (snr.Length != side * side || mask.Length != side * side)
        {
            throw new ArgumentException($"SNR ({snr.Length}) and mask ({mask.Length}) must both hold {side} x {side} pixels");
        }

        (double Min, double Max) range = scale.Resolve(snr, mask);
        PanelLayout layout = Measure(side, zoom, title, range);
        int snrX = layout.SnrX;
        int maskX = layout.MaskX;
        int imagesY = layout.ImagesY;
        var panel = new RgbImage(layout.Width, layout.Height);
        BitmapFont.DrawText(panel, Margin, Margin, title, Rgb.Black, TitleScale);

        panel.Blit(ColorBar.Colorize(snr, side, side, range).Upscale(zoom), snrX, imagesY);
        ColorBar.Draw(panel, layout.ColorBarX, imagesY, layout.ImageSize, range);

        var maskImage = new RgbImage(side, side);
        for (int i = 0; i < mask.Length; i++)
        {
            maskImage.SetPixel(i % side, i / side, ColorMaps.Mask(mask[i]));
        }

        panel.Blit(maskImage.Upscale(zoom), maskX, imagesY);

        (int row, int column) = trigger ?? (side / 2, side / 2);
        int tickX = (column * zoom) + (zoom / 2) - 1;
        int tickY = imagesY + (row * zoom) + (zoom / 2) - 1;
        panel.FillRect(snrX + tickX, imagesY - 5, 2, 4, Rgb.Black);
        panel.FillRect(maskX + tickX, imagesY - 5, 2, 4, Rgb.Black);
        panel.FillRect(snrX - 5, tickY, 4, 2, Rgb.Black);

        BitmapFont.DrawText(panel, snrX, layout.LegendY, "SNR", Rgb.Black);
        DrawMaskLegend(panel, maskX, layout.LegendY);
        return panel;
    }

    /// <summary>Where the parts of a panel go (canvas pixels).</summary>
    public static PanelLayout Measure(int side, int zoom, string title, (double Min, double Max) range)
    {
        ArgumentNullException.ThrowIfNull(title);
        int img = side * zoom;
        int titleHeight = BitmapFont.MeasureHeight(TitleScale);
        int imagesY = Margin + titleHeight + 10;
        int barX = Margin + img + 6;
        int maskX = barX + ColorBar.TotalWidth(range, img, 1) + Gap;
        int legendY = imagesY + img + 6;
        int width = Math.Max(maskX + Math.Max(img, MaskLegendWidth) + Margin, Margin + BitmapFont.MeasureWidth(title, TitleScale) + Margin);
        int height = legendY + BitmapFont.MeasureHeight(1) + Margin;
        return new PanelLayout(width, height, img, Margin, imagesY, barX, maskX, legendY);
    }

    private static readonly string[] MaskNames = ["0 ignore", "1 bkg", "2 known", "3 trigger"];

    private static int MaskLegendWidth
    {
        get
        {
            int width = 0;
            foreach (string name in MaskNames)
            {
                width += 9 + BitmapFont.MeasureWidth(name) + 8;
            }

            return width - 8;
        }
    }

    private static void DrawMaskLegend(RgbImage panel, int x, int y)
    {
        string[] names = MaskNames;
        for (int v = 0; v < names.Length; v++)
        {
            panel.FillRect(x, y, 7, 7, ColorMaps.Mask((byte)v));
            BitmapFont.DrawText(panel, x + 9, y, names[v], Rgb.Black);
            x += 9 + BitmapFont.MeasureWidth(names[v]) + 8;
        }
    }
}

/// <summary>Positions in an alert panel: the SNR image at (SnrX, ImagesY), the mask at (MaskX, ImagesY), both ImageSize wide.</summary>
public readonly record struct PanelLayout(int Width, int Height, int ImageSize, int SnrX, int ImagesY, int ColorBarX, int MaskX, int LegendY);
