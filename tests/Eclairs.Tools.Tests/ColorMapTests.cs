using System;
using Eclairs.Simulation.Pictures;
using Xunit;

namespace Eclairs.Tools.Tests;

public class ColorMapTests
{
    [Fact]
    public void Viridis_EndsAtMatplotlibsEndColours_AndClamps()
    {
        // matplotlib viridis: first entry (0.267, 0.005, 0.329), last (0.993, 0.906, 0.144).
        Assert.Equal(new Rgb(68, 1, 84), ColorMaps.Viridis(0));
        Assert.Equal(new Rgb(253, 231, 37), ColorMaps.Viridis(1));
        Assert.Equal(ColorMaps.Viridis(0), ColorMaps.Viridis(-5));
        Assert.Equal(ColorMaps.Viridis(1), ColorMaps.Viridis(7));
        Assert.Equal(ColorMaps.NoData, ColorMaps.Viridis(double.NaN));
    }

    [Fact]
    public void Viridis_LuminanceRisesMonotonically()
    {
        // The perceptual property that matters for reading SNR: brighter always means higher.
        double previous = -1;
        for (int i = 0; i <= 200; i++)
        {
            double l = ColorMaps.Viridis(i / 200.0).Luminance;
            Assert.True(l >= previous - 1e-9, $"luminance falls at t = {i / 200.0}");
            previous = l;
        }
    }

    [Fact]
    public void Viridis_InterpolatesBetweenAnchors()
    {
        // Anchors are matplotlib 3.6.3's viridis at t = i / 16 (e.g. t = 0.5 and 0.75 below).
        Assert.Equal(new Rgb(33, 145, 140), ColorMaps.Viridis(0.5));
        Assert.Equal(new Rgb(94, 201, 98), ColorMaps.Viridis(0.75));
        // Halfway from (33, 145, 140) to (31, 160, 136), halves rounded away from zero.
        Assert.Equal(new Rgb(32, 153, 138), ColorMaps.Viridis(0.5 + (1.0 / 32)));
    }

    [Fact]
    public void MaskColours_AreTheDecksRedGreenOrangeBlue()
    {
        Rgb red = ColorMaps.Mask(0);
        Rgb green = ColorMaps.Mask(1);
        Rgb orange = ColorMaps.Mask(2);
        Rgb blue = ColorMaps.Mask(3);
        Assert.True(red.R > 180 && red.G < 80 && red.B < 80);
        Assert.True(green.G > 120 && green.R < 80 && green.B < 80);
        Assert.True(orange.R > 200 && orange.G is > 100 and < 180 && orange.B < 60);
        Assert.True(blue.B > 180 && blue.R < 80);
        Assert.Equal(new Rgb(255, 0, 255), ColorMaps.Mask(4));
    }

    [Fact]
    public void Blues_GoesFromWhiteToDarkBlue()
    {
        Assert.True(ColorMaps.Blues(0).Luminance > 0.95);
        Assert.True(ColorMaps.Blues(1).Luminance < 0.2);
        Assert.True(ColorMaps.Blues(1).B > ColorMaps.Blues(1).R);
    }

    [Theory]
    [InlineData(0.0, 1.0, 6, new[] { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 })]
    [InlineData(-3.2, 12.7, 6, new[] { -0.0, 5.0, 10.0 })]
    [InlineData(-3.2, 12.7, 10, new[] { -2.0, 0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0 })]
    [InlineData(0.0, 563.0, 5, new[] { 0.0, 200.0, 400.0 })]
    public void NiceTicks_AreMultiplesOf125(double min, double max, int maxTicks, double[] expected)
    {
        var ticks = NiceTicks.Compute(min, max, maxTicks);
        Assert.Equal(expected.Length, ticks.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], ticks[i], 9);
        }
    }

    [Theory]
    [InlineData(0.2, 0.2, "0.2")]
    [InlineData(0.25, 0.25, "0.25")]
    [InlineData(10.0, 5.0, "10")]
    [InlineData(-2.0, 2.0, "-2")]
    [InlineData(0.05, 0.05, "0.05")]
    public void NiceTicks_LabelsHaveJustEnoughDecimals(double value, double step, string expected) =>
        Assert.Equal(expected, NiceTicks.Format(value, step));
}
