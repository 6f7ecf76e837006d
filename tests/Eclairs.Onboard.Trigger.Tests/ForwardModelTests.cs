using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

/// <summary>The separable point-source shadowgram against the per-pixel exact overlap it replaces.</summary>
public class ForwardModelTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1234, -0.3)]
    [InlineData(-0.9, 0.85)]
    [InlineData(0.97, 0.97)]
    [InlineData(1.5, 0.2)]
    [InlineData(0.00978 * 3.5, 0.00978 * -17.25)]
    public void Point_source_shadowgram_is_bit_for_bit_the_per_pixel_overlap(double tanY, double tanZ)
    {
        foreach (InstrumentGeometry g in new[] { InstrumentGeometry.Nominal, new InstrumentGeometry(moduleGapMm: 0.5) })
        {
            var mask = CodedMask.Generate(g, seed: 7);
            var model = new ShadowgramModel(g, mask);
            var fast = new float[g.DetectorPixels];
            Array.Fill(fast, 0.25f);
            model.AddPointSource(fast, tanY, tanZ, 3.7);
            double d = g.MaskDistanceMm;
            for (int r = 0; r < g.DetectorSide; r++)
            {
                for (int c = 0; c < g.DetectorSide; c++)
                {
                    double f = mask.OpenFraction(g.PixelCentreMm(c, alongColumns: true) + d * tanY, g.PixelCentreMm(r, alongColumns: false) + d * tanZ, g.PixelSizeMm);
                    float reference = 0.25f + (float)(3.7 * f);
                    Assert.Equal(BitConverter.SingleToInt32Bits(reference), BitConverter.SingleToInt32Bits(fast[r * g.DetectorSide + c]));
                }
            }
        }
    }
}
