using System;
using System.Collections.Concurrent;
using System.Globalization;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Storage;
using Eclairs.Simulation.Pictures;

namespace Eclairs.Ground.Web;

/// <summary>
/// The pictures of the alert page, as PNG: the SNR sub-image (viridis, colour bar) beside the mask with the trigger
/// pixel boxed, and the occlusion-sensitivity map (how much hiding each 4 x 4 patch lowers the first float model's
/// P(true)). Both are drawn once per alert and kept (an alert's pixels never change).
/// </summary>
public sealed class AlertPictures
{
    public const int Zoom = 8;

    public const int Patch = 4;

    private readonly ClassifierBank _bank;
    private readonly ConcurrentDictionary<(long, string), byte[]> _cache = new();

    public AlertPictures(ClassifierBank bank) => _bank = bank;

    public byte[] Panel(StoredAlert alert) => _cache.GetOrAdd((alert.Id, "panel"), _ =>
    {
        ArgumentNullException.ThrowIfNull(alert);
        string title = string.Create(CultureInfo.InvariantCulture, $"ALERT {alert.Id}  PEAK SNR {alert.PeakSnr?.ToString("F1", CultureInfo.InvariantCulture) ?? "?"}");
        RgbImage panel = AlertPanel.Render(alert.Snr, alert.Mask, 56, title, SnrScale.Auto, Zoom);
        PanelLayout layout = AlertPanel.Measure(56, Zoom, title, SnrScale.Auto.Resolve(alert.Snr, alert.Mask));
        // A white-and-black box around the trigger pixel (row 28, column 28) on both images.
        foreach (int x0 in new[] { layout.SnrX, layout.MaskX })
        {
            int x = x0 + (28 * Zoom), y = layout.ImagesY + (28 * Zoom);
            panel.DrawRect(x - 3, y - 3, Zoom + 6, Zoom + 6, Rgb.White, 2);
            panel.DrawRect(x - 5, y - 5, Zoom + 10, Zoom + 10, Rgb.Black, 2);
        }

        return panel.ToPng();
    });

    public byte[] Occlusion(StoredAlert alert) => _cache.GetOrAdd((alert.Id, "occlusion"), _ =>
    {
        ArgumentNullException.ThrowIfNull(alert);
        (double[] map, int cells, string model) = _bank.Occlusion(alert.Snr, alert.Mask, 56, Patch);
        double max = 1e-6;
        foreach (double v in map)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        int cell = Patch * Zoom / 2;
        const int margin = 10, top = 30;
        int size = cells * cell;
        var image = new RgbImage(size + (2 * margin) + 90, size + top + margin + 20, Rgb.White);
        BitmapFont.DrawText(image, margin, 8, $"OCCLUSION ({model})", Rgb.Black, 2);
        for (int cy = 0; cy < cells; cy++)
        {
            for (int cx = 0; cx < cells; cx++)
            {
                double v = map[(cy * cells) + cx] / max;
                image.FillRect(margin + (cx * cell), top + (cy * cell), cell, cell, Diverging(v));
            }
        }

        int trigger = 28 / Patch;
        image.DrawRect(margin + (trigger * cell), top + (trigger * cell), cell, cell, Rgb.Black, 2);
        int barX = margin + size + 12;
        for (int y = 0; y < size; y++)
        {
            image.FillRect(barX, top + y, 14, 1, Diverging(1 - (2.0 * y / (size - 1))));
        }

        BitmapFont.DrawText(image, barX + 18, top, "+" + max.ToString("F3", CultureInfo.InvariantCulture), Rgb.Black);
        BitmapFont.DrawText(image, barX + 18, top + (size / 2) - 3, "0", Rgb.Black);
        BitmapFont.DrawText(image, barX + 18, top + size - 7, "-" + max.ToString("F3", CultureInfo.InvariantCulture), Rgb.Black);
        BitmapFont.DrawText(image, margin, top + size + 6, "DROP IN P(TRUE) WHEN A 4X4 PATCH IS HIDDEN", Rgb.DarkGrey);
        return image.ToPng();
    });

    /// <summary>Blue where hiding the patch lowers P(true) (the patch argued for a burst), orange where it raises it.</summary>
    private static Rgb Diverging(double v) =>
        v >= 0 ? ColorMaps.Blues(Math.Min(1, v)) : Mix(new Rgb(255, 255, 255), new Rgb(230, 97, 1), Math.Min(1, -v));

    private static Rgb Mix(Rgb a, Rgb b, double t) =>
        new((byte)(a.R + ((b.R - a.R) * t)), (byte)(a.G + ((b.G - a.G) * t)), (byte)(a.B + ((b.B - a.B) * t)));
}
