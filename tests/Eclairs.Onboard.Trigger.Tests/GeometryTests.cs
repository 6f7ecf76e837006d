using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

public class GeometryTests
{
    [Fact]
    public void Nominal_sizes_follow_from_the_configuration()
    {
        var g = InstrumentGeometry.Nominal;
        Assert.Equal(540.5, g.MaskWidthMm, 9);
        Assert.Equal(79 * 4.5 + 4, g.DetectorWidthMm, 9);
        Assert.Equal(120, g.RebinnedMaskSide); // 540.5 / 4.5 = 120.1
        Assert.Equal(199, g.SkySide);          // 120 + 80 - 1
        Assert.Equal(256, g.FftSide);
        Assert.Equal(99.0, g.SkyCentre);
        Assert.Equal(4.5 / 460, g.TanPerSkyPixel, 12);
        // Field edge: atan((540.5/2 + detector/2) / 460); with the 80 * 4.5 = 360 mm span of the brief it is 44.4°.
        double expected = Math.Atan((540.5 / 2 + (79 * 4.5 + 4) / 2) / 460) * 180 / Math.PI;
        Assert.Equal(expected, g.FieldHalfAngleDeg, 9);
        Assert.InRange(2 * g.FieldHalfAngleDeg, 88.5, 89.5);
        Assert.Equal(4, g.PsfRadiusPixels); // (11.75 + 4) / 4.5 = 3.5
    }

    [Fact]
    public void Module_gaps_move_pixels_apart_between_modules_only()
    {
        var g = new InstrumentGeometry(moduleGapMm: 1.0);
        Assert.Equal(4.5, g.PixelCentreMm(1) - g.PixelCentreMm(0), 12);
        Assert.Equal(5.5, g.PixelCentreMm(8) - g.PixelCentreMm(7), 12);   // 8 columns per module
        Assert.Equal(5.5, g.PixelCentreMm(4, false) - g.PixelCentreMm(3, false), 12); // 4 rows per module
        Assert.Equal(-g.PixelCentreMm(0), g.PixelCentreMm(79), 12);        // centred
    }

    [Fact]
    public void Direction_of_sky_pixels()
    {
        var g = InstrumentGeometry.Nominal;
        Assert.Equal((0.0, 0.0), g.Direction(99, 99));
        var (off, az) = g.Direction(99 + 10, 99);
        Assert.Equal(Math.Atan(10 * 4.5 / 460) * 180 / Math.PI, off, 9);
        Assert.Equal(0.0, az, 9);
        Assert.Equal(90.0, g.Direction(99, 120).AzimuthDeg, 9);
        Assert.Equal(225.0, g.Direction(90, 90).AzimuthDeg, 9);
    }

    [Theory]
    [InlineData(0, 4.0, 4.5)]
    [InlineData(80, 0.0, 4.5)]
    [InlineData(80, 5.0, 4.5)]
    [InlineData(80, 4.0, double.NaN)]
    public void Invalid_geometry_is_refused(int side, double pixel, double pitch)
    {
        var e = Assert.Throws<TriggerArgumentException>(() => new InstrumentGeometry(detectorSide: side == 0 ? 1 : side, pixelSizeMm: pixel, pixelPitchMm: pitch));
        Assert.Equal(TriggerErrorCode.InputRange, e.Code);
    }

    [Fact]
    public void Generated_mask_has_the_exact_open_fraction_and_is_deterministic()
    {
        var g = InstrumentGeometry.Nominal;
        var a = CodedMask.Generate(g);
        var b = CodedMask.Generate(g);
        var c = CodedMask.Generate(g, seed: 7);
        Assert.Equal(846, a.OpenCount); // round(0.4 * 2116)
        Assert.True(a.Open.SequenceEqual(b.Open));
        Assert.False(a.Open.SequenceEqual(c.Open));
        Assert.Equal(846, c.OpenCount);
    }

    [Fact]
    public void Mask_text_round_trip_and_bad_patterns()
    {
        var g = InstrumentGeometry.Nominal;
        var a = CodedMask.Generate(g);
        var text = new System.Text.StringBuilder("% test pattern\n");
        for (int r = 0; r < 46; r++)
        {
            for (int c = 0; c < 46; c++)
            {
                text.Append(a.Open[r * 46 + c] ? '1' : '0');
            }

            text.Append('\n');
        }

        Assert.True(CodedMask.Parse(g, text.ToString()).Open.SequenceEqual(a.Open));
        Assert.Throws<TriggerArgumentException>(() => CodedMask.Parse(g, "0101\n"));
        Assert.Throws<TriggerArgumentException>(() => CodedMask.Parse(g, text.ToString().Replace("1", "x", StringComparison.Ordinal)));
        Assert.Equal(TriggerErrorCode.BadLength, Assert.Throws<TriggerArgumentException>(() => CodedMask.FromPattern(g, new bool[10])).Code);
    }

    [Fact]
    public void Open_fraction_equals_brute_force_area_sampling()
    {
        var g = InstrumentGeometry.Nominal;
        var mask = CodedMask.Generate(g);
        var rng = new Random(3);
        for (int t = 0; t < 40; t++)
        {
            double y = (rng.NextDouble() - 0.5) * 560, z = (rng.NextDouble() - 0.5) * 560;
            // Midpoint rule on a 200 x 200 grid over the 4 mm square: exact up to 1/200 per axis at element edges.
            int hits = 0;
            const int K = 200;
            for (int i = 0; i < K; i++)
            {
                for (int j = 0; j < K; j++)
                {
                    double py = y - 2 + (j + 0.5) * 4.0 / K, pz = z - 2 + (i + 0.5) * 4.0 / K;
                    int col = (int)Math.Floor((py + 270.25) / 11.75), row = (int)Math.Floor((pz + 270.25) / 11.75);
                    if (col >= 0 && col < 46 && row >= 0 && row < 46 && mask.Open[row * 46 + col])
                    {
                        hits++;
                    }
                }
            }

            Assert.Equal(hits / (double)(K * K), mask.OpenFraction(y, z, 4.0), 2e-2);
        }
    }
}
