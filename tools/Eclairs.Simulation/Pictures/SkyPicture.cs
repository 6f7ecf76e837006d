using System;

namespace Eclairs.Simulation.Pictures;

/// <summary>
/// A full sky image (e.g. 199 x 199 SNR) in the colour map with its colour bar, optionally the field-of-view outline
/// (the border of the pixels where <c>fieldOfView</c> is not 0), a marker on one pixel and the box of the sub-image
/// sent with an alert around it.
/// </summary>
public static class SkyPicture
{
    private const int Margin = 10;

    public static readonly Rgb MarkerColor = new(255, 40, 40);
    public static readonly Rgb OutlineColor = Rgb.White;

    public static RgbImage Render(
        ReadOnlySpan<float> snr,
        int width,
        int height,
        string title,
        SnrScale scale,
        (int Row, int Column)? marker = null,
        ReadOnlySpan<byte> fieldOfView = default,
        int subImageSide = 0,
        int zoom = 3)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentOutOfRangeException.ThrowIfLessThan(zoom, 1);
        if (!fieldOfView.IsEmpty && fieldOfView.Length != snr.Length)
        {
            throw new ArgumentException($"the field-of-view map has {fieldOfView.Length} pixels, the image {snr.Length}", nameof(fieldOfView));
        }

        (double Min, double Max) range = scale.Resolve(snr, fieldOfView);
        RgbImage sky = ColorBar.Colorize(snr, width, height, range).Upscale(zoom);
        if (!fieldOfView.IsEmpty)
        {
            DrawOutline(sky, fieldOfView, width, height, zoom);
        }

        if (marker is (int row, int column))
        {
            int cx = (column * zoom) + (zoom / 2);
            int cy = (row * zoom) + (zoom / 2);
            if (subImageSide > 0)
            {
                int half = subImageSide / 2;
                sky.DrawRect((column - half) * zoom, (row - half) * zoom, subImageSide * zoom, subImageSide * zoom, Rgb.White);
            }

            int gap = 2 * zoom;
            int arm = 6 * zoom;
            sky.DrawLine(cx - gap - arm, cy, cx - gap, cy, MarkerColor, 2);
            sky.DrawLine(cx + gap, cy, cx + gap + arm, cy, MarkerColor, 2);
            sky.DrawLine(cx, cy - gap - arm, cx, cy - gap, MarkerColor, 2);
            sky.DrawLine(cx, cy + gap, cx, cy + gap + arm, MarkerColor, 2);
        }

        const int titleScale = 2;
        int skyY = Margin + BitmapFont.MeasureHeight(titleScale) + 8;
        int barX = Margin + sky.Width + 8;
        int total = Math.Max(barX + ColorBar.TotalWidth(range, sky.Height, 2) + Margin, (2 * Margin) + BitmapFont.MeasureWidth(title, titleScale));
        var picture = new RgbImage(total, skyY + sky.Height + Margin);
        BitmapFont.DrawText(picture, Margin, Margin, title, Rgb.Black, titleScale);
        picture.Blit(sky, Margin, skyY);
        ColorBar.Draw(picture, barX, skyY, sky.Height, range, 2);
        return picture;
    }

    private static void DrawOutline(RgbImage sky, ReadOnlySpan<byte> inside, int width, int height, int zoom)
    {
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (inside[(y * width) + x] == 0)
                {
                    continue;
                }

                // An edge of an inside pixel that borders an outside pixel (or the image edge) is on the outline.
                if (x == 0 || inside[(y * width) + x - 1] == 0)
                {
                    sky.FillRect(x * zoom, y * zoom, 1, zoom, OutlineColor);
                }

                if (x == width - 1 || inside[(y * width) + x + 1] == 0)
                {
                    sky.FillRect(((x + 1) * zoom) - 1, y * zoom, 1, zoom, OutlineColor);
                }

                if (y == 0 || inside[((y - 1) * width) + x] == 0)
                {
                    sky.FillRect(x * zoom, y * zoom, zoom, 1, OutlineColor);
                }

                if (y == height - 1 || inside[((y + 1) * width) + x] == 0)
                {
                    sky.FillRect(x * zoom, ((y + 1) * zoom) - 1, zoom, 1, OutlineColor);
                }
            }
        }
    }
}
