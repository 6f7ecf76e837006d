using System;
using Eclairs.Simulation.Pictures;
using Xunit;

namespace Eclairs.Tools.Tests;

public class BitmapFontTests
{
    private static readonly string[] One = ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."];

    [Fact]
    public void Digit_IsDrawnAsItsGlyph()
    {
        var image = new RgbImage(12, 12);
        BitmapFont.DrawText(image, 2, 3, "1", Rgb.Black);
        for (int y = 0; y < 12; y++)
        {
            for (int x = 0; x < 12; x++)
            {
                bool ink = x - 2 is >= 0 and < 5 && y - 3 is >= 0 and < 7 && One[y - 3][x - 2] == '#';
                Assert.Equal(ink, image[x, y] == Rgb.Black);
            }
        }
    }

    [Fact]
    public void Scale_EnlargesEachInkPixel()
    {
        var small = new RgbImage(6, 8);
        var large = new RgbImage(12, 16);
        BitmapFont.DrawText(small, 0, 0, "7", Rgb.Black);
        BitmapFont.DrawText(large, 0, 0, "7", Rgb.Black, 2);
        Assert.Equal(small.Upscale(2).Pixels.ToArray(), large.Pixels.ToArray());
    }

    [Fact]
    public void Text_StaysInsideItsMeasuredBox()
    {
        const string text = "SAA label 0 SNR 7.1 (g,j,p,q,y) 7";
        int w = BitmapFont.MeasureWidth(text, 2);
        int h = BitmapFont.MeasureHeight(2);
        Assert.Equal(((text.Length * 6) - 1) * 2, w);
        var image = new RgbImage(w + 20, h + 20);
        BitmapFont.DrawText(image, 10, 10, text, Rgb.Black, 2);
        bool touchedLeft = false;
        bool touchedRight = false;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (image[x, y] == Rgb.Black)
                {
                    Assert.InRange(x, 10, 10 + w - 1);
                    Assert.InRange(y, 10, 10 + h - 1);
                    touchedLeft |= x == 10;
                    touchedRight |= x >= 10 + w - 2;
                }
            }
        }

        Assert.True(touchedLeft && touchedRight);
    }

    [Fact]
    public void UnknownCharacter_IsAHollowBox()
    {
        Assert.False(BitmapFont.HasGlyph('\u00e9'));
        var image = new RgbImage(8, 9);
        BitmapFont.DrawText(image, 0, 0, "\u00e9", Rgb.Black);
        Assert.Equal(Rgb.Black, image[0, 0]);
        Assert.Equal(Rgb.Black, image[4, 6]);
        Assert.Equal(Rgb.White, image[2, 3]);
    }

    [Fact]
    public void GlyphsCoverLettersDigitsAndLabelSymbols()
    {
        foreach (char c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:;-+=_/()[]<>%#'\"!?*|&\u00b0")
        {
            Assert.True(BitmapFont.HasGlyph(c), $"no glyph for '{c}'");
        }
    }

    [Fact]
    public void VerticalText_IsTheHorizontalTextTurnedAQuarterLeft()
    {
        var horizontal = new RgbImage(20, 10);
        BitmapFont.DrawText(horizontal, 0, 0, "A1", Rgb.Black);
        var vertical = new RgbImage(10, 20);
        BitmapFont.DrawTextVertical(vertical, 0, 19, "A1", Rgb.Black);
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 20; x++)
            {
                // a quarter turn anticlockwise maps (x, y) to (y, 19 - x)
                Assert.Equal(horizontal[x, y], vertical[y, 19 - x]);
            }
        }
    }
}
