using System;
using System.Collections.Generic;
using Eclairs.Simulation.Pictures;
using Xunit;

namespace Eclairs.Tools.Tests;

public class RgbImageTests
{
    private static readonly Rgb Red = new(255, 0, 0);

    private static HashSet<(int, int)> Inked(RgbImage image, Rgb color)
    {
        var set = new HashSet<(int, int)>();
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (image[x, y] == color)
                {
                    set.Add((x, y));
                }
            }
        }

        return set;
    }

    [Fact]
    public void NewImage_IsFilledWithTheBackground()
    {
        var image = new RgbImage(3, 2, new Rgb(1, 2, 3));
        Assert.Equal(new byte[] { 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3 }, image.Pixels.ToArray());
    }

    [Fact]
    public void FillRect_ClipsToTheCanvas()
    {
        var image = new RgbImage(5, 5);
        image.FillRect(-2, -2, 4, 4, Red);
        Assert.Equal(new HashSet<(int, int)> { (0, 0), (1, 0), (0, 1), (1, 1) }, Inked(image, Red));
        image.FillRect(4, 4, 10, 10, Red);
        Assert.Equal(Red, image[4, 4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[5, 0]);
    }

    [Fact]
    public void DrawRect_DrawsOnlyTheBorder()
    {
        var image = new RgbImage(6, 5);
        image.DrawRect(1, 1, 4, 3, Red);
        Assert.Equal(10, Inked(image, Red).Count); // 4 + 4 + 1 + 1
        Assert.Equal(Rgb.White, image[2, 2]);
    }

    [Theory]
    [InlineData(0, 0, 9, 3)]
    [InlineData(8, 1, 2, 9)]
    [InlineData(5, 5, 5, 5)]
    [InlineData(9, 9, 0, 0)]
    [InlineData(0, 7, 7, 0)]
    public void DrawLine_HitsBothEnds_OnePixelPerStep_CloseToTheIdealLine(int x0, int y0, int x1, int y1)
    {
        var image = new RgbImage(10, 10);
        image.DrawLine(x0, y0, x1, y1, Red);
        HashSet<(int, int)> ink = Inked(image, Red);
        Assert.Contains((x0, y0), ink);
        Assert.Contains((x1, y1), ink);
        Assert.Equal(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) + 1, ink.Count);
        double length = Math.Sqrt(((x1 - x0) * (x1 - x0)) + ((y1 - y0) * (y1 - y0)));
        foreach ((int x, int y) in ink)
        {
            // distance from the ideal segment's line is below one pixel
            double distance = length == 0 ? 0 : Math.Abs(((x1 - x0) * (y0 - y)) - ((x0 - x) * (y1 - y0))) / length;
            Assert.True(distance < 0.75, $"({x}, {y}) is {distance:F2} px off the line");
        }
    }

    [Fact]
    public void DashedLine_AlternatesRuns_AndPolylineKeepsThePhase()
    {
        var image = new RgbImage(20, 3);
        image.DrawLine(0, 1, 15, 1, Red, 1, dash: 4);
        for (int x = 0; x < 16; x++)
        {
            Assert.Equal((x / 4) % 2 == 0, image[x, 1] == Red);
        }

        var poly = new RgbImage(20, 3);
        poly.DrawPolyline(new (int, int)[] { (0, 1), (2, 1), (5, 1), (15, 1) }, Red, 1, dash: 4);
        Assert.Equal(image.Pixels.ToArray(), poly.Pixels.ToArray());
    }

    [Fact]
    public void ThickLine_IsABrushAroundEachPoint()
    {
        var image = new RgbImage(10, 10);
        image.DrawLine(2, 5, 6, 5, Red, thickness: 3);
        // five 3 x 3 brushes one pixel apart cover 7 x 3 pixels
        Assert.Equal(21, Inked(image, Red).Count);
        Assert.Equal(Red, image[1, 4]);
        Assert.Equal(Red, image[7, 6]);
        Assert.Equal(Rgb.White, image[8, 5]);
    }

    [Fact]
    public void Upscale_ReplicatesEachPixelIntoABlock()
    {
        var image = new RgbImage(2, 2);
        image[0, 0] = Red;
        image[1, 1] = new Rgb(0, 0, 9);
        RgbImage big = image.Upscale(3);
        Assert.Equal(6, big.Width);
        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 6; x++)
            {
                Assert.Equal(image[x / 3, y / 3], big[x, y]);
            }
        }
    }

    [Fact]
    public void Blit_CopiesAndClips()
    {
        var source = new RgbImage(3, 3, Red);
        var target = new RgbImage(4, 4);
        target.Blit(source, 2, -1);
        Assert.Equal(new HashSet<(int, int)> { (2, 0), (3, 0), (2, 1), (3, 1) }, Inked(target, Red));
    }

    [Fact]
    public void Png_OfACanvas_DecodesToItsPixels()
    {
        var image = new RgbImage(13, 7);
        image.DrawLine(0, 0, 12, 6, Red, 2);
        PngTestDecoder d = PngTestDecoder.Decode(image.ToPng());
        Assert.Equal(image.Pixels.ToArray(), d.Pixels);
    }
}
