using System;
using System.Collections.Generic;
using Eclairs.Simulation.Pictures;
using Xunit;

namespace Eclairs.Tools.Tests;

public class PictureTests
{
    private const int Side = 56;

    private static (float[] Snr, byte[] Mask) Alert()
    {
        var snr = new float[Side * Side];
        var mask = new byte[Side * Side];
        for (int i = 0; i < snr.Length; i++)
        {
            snr[i] = ((i % 11) - 5) * 0.5f;
            mask[i] = 1;
        }

        for (int row = 0; row < Side; row++)
        {
            mask[row * Side] = 0;
        }

        mask[(28 * Side) + 28] = 3;
        snr[(28 * Side) + 28] = 9f;
        mask[(10 * Side) + 40] = 2;
        snr[(5 * Side) + 5] = float.NaN;
        return (snr, mask);
    }

    private static Rgb CellColour(RgbImage image, int originX, int originY, int zoom, int row, int column) =>
        image[originX + (column * zoom) + (zoom / 2), originY + (row * zoom) + (zoom / 2)];

    [Fact]
    public void AlertPanel_ShowsSnrInViridisAndMaskInDeckColours()
    {
        (float[] snr, byte[] mask) = Alert();
        const int zoom = 4;
        RgbImage panel = AlertPanel.Render(snr, mask, Side, "SAA  label 0  SNR 9.0", SnrScale.Fixed(-3, 9), zoom);
        PanelLayout layout = AlertPanel.Measure(Side, zoom, "SAA  label 0  SNR 9.0", (-3, 9));
        Assert.Equal(layout.Width, panel.Width);
        Assert.Equal(layout.Height, panel.Height);
        Assert.Equal(Side * zoom, layout.ImageSize);

        // SNR pixels: value v shows Viridis((v + 3) / 12); NaN shows the no-data grey.
        Assert.Equal(ColorMaps.Viridis(1), CellColour(panel, layout.SnrX, layout.ImagesY, zoom, 28, 28));
        int i = (3 * Side) + 7;
        Assert.Equal(ColorMaps.Viridis((snr[i] + 3) / 12.0), CellColour(panel, layout.SnrX, layout.ImagesY, zoom, 3, 7));
        Assert.Equal(ColorMaps.NoData, CellColour(panel, layout.SnrX, layout.ImagesY, zoom, 5, 5));

        // Mask pixels in the deck's colours.
        Assert.Equal(ColorMaps.MaskIgnore, CellColour(panel, layout.MaskX, layout.ImagesY, zoom, 17, 0));
        Assert.Equal(ColorMaps.MaskBackground, CellColour(panel, layout.MaskX, layout.ImagesY, zoom, 17, 1));
        Assert.Equal(ColorMaps.MaskKnownSource, CellColour(panel, layout.MaskX, layout.ImagesY, zoom, 10, 40));
        Assert.Equal(ColorMaps.MaskTrigger, CellColour(panel, layout.MaskX, layout.ImagesY, zoom, 28, 28));

        // The colour bar's top is the maximum and its bottom the minimum.
        Assert.Equal(ColorMaps.Viridis(1 - (0.5 / layout.ImageSize)), panel[layout.ColorBarX + 2, layout.ImagesY]);
        Assert.Equal(ColorMaps.Viridis(0.5 / layout.ImageSize), panel[layout.ColorBarX + 2, layout.ImagesY + layout.ImageSize - 1]);

        // The trigger tick above the SNR image points at column 28.
        Assert.Equal(Rgb.Black, panel[layout.SnrX + (28 * zoom) + 1, layout.ImagesY - 3]);
        Assert.Equal(Rgb.White, panel[layout.SnrX + (20 * zoom), layout.ImagesY - 3]);

        // The title is inked.
        Assert.True(CountInk(panel, 0, 0, panel.Width, layout.ImagesY - 6) > 50);
        Assert.Equal(panel.Pixels.ToArray(), PngTestDecoder.Decode(panel.ToPng()).Pixels);
    }

    [Fact]
    public void AlertPanel_PerImageRange_UsesUnmaskedFiniteExtremes()
    {
        (float[] snr, byte[] mask) = Alert();
        snr[(20 * Side) + 0] = 100f; // under mask 0: ignored by the automatic range
        const int zoom = 2;
        RgbImage panel = AlertPanel.Render(snr, mask, Side, "t", SnrScale.Auto, zoom);
        (double min, double max) = SnrScale.Auto.Resolve(snr, mask);
        Assert.Equal(-2.5, min);
        Assert.Equal(9.0, max);
        PanelLayout layout = AlertPanel.Measure(Side, zoom, "t", (min, max));
        Assert.Equal(ColorMaps.Viridis(1), CellColour(panel, layout.SnrX, layout.ImagesY, zoom, 28, 28));
        Assert.Equal(ColorMaps.Viridis(0), CellColour(panel, layout.SnrX, layout.ImagesY, zoom, 0, 11)); // (11 % 11 - 5) / 2 = -2.5
    }

    [Fact]
    public void AlertPanel_RejectsWrongSizes()
    {
        Assert.Throws<ArgumentException>(() => AlertPanel.Render(new float[10], new byte[10], Side, "x", SnrScale.Auto));
        Assert.Throws<ArgumentException>(() => SnrScale.Fixed(2, 1));
    }

    [Fact]
    public void ContactSheet_PlacesPanelsRowByRow()
    {
        var colours = new[] { new Rgb(255, 0, 0), new Rgb(0, 255, 0), new Rgb(0, 0, 255) };
        var panels = new List<RgbImage>();
        foreach (Rgb c in colours)
        {
            panels.Add(new RgbImage(40, 30, c));
        }

        RgbImage sheet = ContactSheet.Compose("AB", panels, 2);
        int gridY = 12 + BitmapFont.MeasureHeight(3) + 12;
        Assert.Equal((2 * 12) + (2 * 40) + 10, sheet.Width);
        Assert.Equal(gridY + (2 * 30) + 10 + 12, sheet.Height);
        Assert.Equal(colours[0], sheet[12, gridY]);
        Assert.Equal(colours[1], sheet[12 + 40 + 10, gridY]);
        Assert.Equal(colours[2], sheet[12 + 39, gridY + 30 + 10 + 29]);
        Assert.NotEqual(colours[2], sheet[12 + 40 + 10, gridY + 30 + 10]);
    }

    [Fact]
    public void SkyPicture_MarksTheTrigger_AndOutlinesTheFieldOfView()
    {
        const int n = 41;
        var sky = new float[n * n];
        var fov = new byte[n * n];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                fov[(y * n) + x] = (byte)(x is >= 5 and < 36 && y is >= 5 and < 36 ? 1 : 0);
            }
        }

        const int zoom = 3;
        RgbImage picture = SkyPicture.Render(sky, n, n, "sky", SnrScale.Fixed(-1, 1), (20, 30), fov, subImageSide: 0, zoom: zoom);
        int skyX = 10;
        int skyY = 10 + BitmapFont.MeasureHeight(2) + 8;
        // Outline: the left edge of the inside region is white, a pixel inside it keeps the map colour.
        Assert.Equal(SkyPicture.OutlineColor, picture[skyX + (5 * zoom), skyY + (10 * zoom) + 1]);
        Assert.Equal(ColorMaps.Viridis(0.5), picture[skyX + (10 * zoom) + 1, skyY + (10 * zoom) + 1]);
        // Marker: red arms left of and above the trigger pixel's centre, a gap at the centre itself.
        int cx = skyX + (30 * zoom) + (zoom / 2);
        int cy = skyY + (20 * zoom) + (zoom / 2);
        Assert.Equal(SkyPicture.MarkerColor, picture[cx - (2 * zoom) - 3, cy]);
        Assert.Equal(SkyPicture.MarkerColor, picture[cx, cy - (2 * zoom) - 3]);
        Assert.Equal(ColorMaps.Viridis(0.5), picture[cx, cy]);
    }

    private static (int X, int Y) Find(RgbImage image, Rgb colour)
    {
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (image[x, y] == colour)
                {
                    return (x, y);
                }
            }
        }

        throw new InvalidOperationException($"colour {colour} not found");
    }

    private static int CountInk(RgbImage image, int x0, int y0, int w, int h) => CountColour(image, x0, y0, w, h, Rgb.Black);

    private static int CountColour(RgbImage image, int x0, int y0, int w, int h, Rgb colour)
    {
        int n = 0;
        for (int y = y0; y < y0 + h; y++)
        {
            for (int x = x0; x < x0 + w; x++)
            {
                n += image[x, y] == colour ? 1 : 0;
            }
        }

        return n;
    }
}

public class AlertSheetTests
{
    [Fact]
    public void Sheet_HasOnePanelPerAlert_TitledWithCauseLabelAndPeak()
    {
        Eclairs.Simulation.Formats.AlertDataset d = AlertDatasetTests.Sample(3);
        Assert.Equal("SAA  label 1  SNR 7.5", AlertSheet.PanelTitle(d, 1, c => c == 1 ? "SAA" : "other"));
        Assert.Equal("cause 2  label 2  SNR 8.5", AlertSheet.PanelTitle(d, 2));
        RgbImage sheet = AlertSheet.Render(d, new[] { 0, 1, 2 }, "all", SnrScale.Fixed(-3, 8), columns: 2, zoom: 2);
        RgbImage panel = AlertPanel.Render(d.SnrOf(0), d.MaskOf(0), 56, AlertSheet.PanelTitle(d, 0), SnrScale.Fixed(-3, 8), 2);
        int gridY = 12 + BitmapFont.MeasureHeight(3) + 12;
        // The first panel sits at the sheet's grid origin, pixel for pixel.
        for (int y = 0; y < panel.Height; y += 7)
        {
            for (int x = 0; x < panel.Width; x += 5)
            {
                Assert.Equal(panel[x, y], sheet[12 + x, gridY + y]);
            }
        }
    }
}
