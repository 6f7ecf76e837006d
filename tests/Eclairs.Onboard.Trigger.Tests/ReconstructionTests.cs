using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

public class ReconstructionTests
{
    private static readonly InstrumentGeometry G = InstrumentGeometry.Nominal;
    private static readonly CodedMask Mask = CodedMask.Generate(G);

    // Below ~1 % coding (fewer than 64 pixels) N is tiny and the float FFT's absolute error, set by the
    // brightest pixel of the whole correlation, is no longer small against it; such pixels are far outside
    // any field of view a trigger uses (the default cut is 10 %).
    private const double MinCoding = 0.01;

    [Fact]
    public void Fft_reconstruction_equals_the_naive_correlation()
    {
        var detector = new DetectorMask(G).DisableModule(3, 4).DisablePixel(70, 2);
        var rec = new SkyReconstructor(G, Mask, detector);
        var model = new ShadowgramModel(G, Mask);
        var counts = new float[6400];
        model.AddBackground(counts, 40, slopeY: 5);
        model.AddPointSourceAtSkyPixel(counts, 130.4, 77.8, 30);
        var sampler = new PoissonSampler(11);
        var sampled = new uint[6400];
        sampler.Sample(counts, sampled);
        var d = Array.ConvertAll(sampled, x => (float)x);

        var images = rec.CreateImages();
        rec.Reconstruct(d, images);
        float[] m = rec.RebinnedMask.ToArray(), w = rec.ActivePixels.ToArray();

        // Naive on every 3rd sky pixel (all rows and columns of the grid are visited): ~4,400 pixels.
        double maxS = 0, maxV = 0, errS = 0, errV = 0;
        int compared = 0;
        for (int uz = 0; uz < 199; uz += 3)
        {
            for (int uy = 1; uy < 199; uy += 3)
            {
                int p = uz * 199 + uy;
                var (s, v, pc) = Naive.Pixel(m, 120, w, d, 80, uy, uz);
                Assert.True(Math.Abs(pc - images.PartialCoding[p]) < 1e-6, $"partial coding at {p}");
                if (!rec.Reconstructible[p] || pc < MinCoding)
                {
                    continue;
                }

                compared++;
                maxS = Math.Max(maxS, Math.Abs(s));
                maxV = Math.Max(maxV, v);
                errS = Math.Max(errS, Math.Abs(s - images.Intensity[p]));
                errV = Math.Max(errV, Math.Abs(v - images.Variance[p]));
            }
        }

        Assert.True(compared > 4000, $"compared {compared}");
        Assert.True(errS <= 1e-4 * maxS, $"intensity error {errS} vs max {maxS}");
        Assert.True(errV <= 1e-4 * maxV, $"variance error {errV} vs max {maxV}");
    }

    [Fact]
    public void Direct_reference_path_matches_the_fft_path()
    {
        var rec = new SkyReconstructor(G, Mask);
        var model = new ShadowgramModel(G, Mask);
        var counts = new float[6400];
        model.AddBackground(counts, 25);
        model.AddPointSourceAtSkyPixel(counts, 60, 150, 12);
        var a = rec.CreateImages();
        var b = rec.CreateImages();
        rec.Reconstruct(counts, a);
        rec.ReconstructDirect(counts, b);
        float maxS = 0;
        foreach (float s in b.Intensity)
        {
            maxS = Math.Max(maxS, Math.Abs(s));
        }

        for (int p = 0; p < a.Intensity.Length; p++)
        {
            if (a.PartialCoding[p] < MinCoding)
            {
                continue;
            }

            Assert.True(Math.Abs(a.Intensity[p] - b.Intensity[p]) <= 1e-4 * maxS, $"pixel {p}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(50.0)]
    public void Noise_free_on_axis_source_comes_back_at_the_centre_with_its_intensity(double background)
    {
        var rec = new SkyReconstructor(G, Mask);
        var model = new ShadowgramModel(G, Mask);
        var counts = new float[6400];
        const double amplitude = 100; // counts per fully open pixel
        model.AddPointSource(counts, 0, 0, amplitude);
        model.AddBackground(counts, background);
        var images = rec.CreateImages();
        rec.Reconstruct(counts, images);

        // The intensity at the barely coded corners is coding noise divided by a tiny N: look inside the field.
        int peak = ArgMax(images.Intensity, InField(rec));
        Assert.Equal(99 * 199 + 99, peak);
        Assert.Equal(amplitude, images.Intensity[peak], amplitude * 0.01);
        // Same with a dead module: the balanced decoding keeps the estimate unbiased.
        var rec2 = new SkyReconstructor(G, Mask, new DetectorMask(G).DisableModule(10, 5));
        rec2.Reconstruct(counts, images);
        Assert.Equal(amplitude, images.Intensity[99 * 199 + 99], amplitude * 0.01);
    }

    public static TheoryData<double, double> Directions()
    {
        var data = new TheoryData<double, double>();
        double[] offsets = { -93.3, -70.5, -41.2, -20.0, 0.4, 17.6, 38.5, 66.7, 91.8 };
        for (int i = 0; i < offsets.Length; i++)
        {
            data.Add(99 + offsets[i], 99 + offsets[(i * 4 + 3) % offsets.Length]);
        }

        data.Add(99 + 91.8, 99 + 88.2);  // corner, about 4 % coded
        data.Add(99 - 95.0, 99);         // edge, 6 % coded
        return data;
    }

    [Theory]
    [MemberData(nameof(Directions))]
    public void Off_axis_and_partially_coded_sources_are_localised_within_one_pixel(double skyY, double skyZ)
    {
        var rec = new SkyReconstructor(G, Mask);
        var model = new ShadowgramModel(G, Mask);
        var counts = new float[6400];
        model.AddBackground(counts, 20);
        // Amplitude from a physical fluence, with the projected area: off-axis sources are fainter.
        double ty = G.TanFromSkyPixel(skyY), tz = G.TanFromSkyPixel(skyZ);
        model.AddPointSource(counts, ty, tz, 200 * ShadowgramModel.ProjectedAreaFactor(ty, tz));
        var images = rec.CreateImages();
        rec.Reconstruct(counts, images);

        int peak = ArgMax(images.Snr, rec.Reconstructible);
        double dy = peak % 199 - skyY, dz = peak / 199 - skyZ;
        Assert.True(dy * dy + dz * dz <= 1.0, $"peak at ({peak % 199}, {peak / 199}), injected ({skyY}, {skyZ})");
    }

    [Fact]
    public void Module_gaps_in_the_forward_model_still_localise_an_off_axis_source()
    {
        // 0.5 mm extra between modules moves the outer pixels up to 9 x 0.5 mm off the regular grid the
        // reconstruction assumes: a systematic, but the source must still come out at its pixel.
        var g = new InstrumentGeometry(moduleGapMm: 0.5);
        var mask = CodedMask.Generate(g);
        var model = new ShadowgramModel(g, mask);
        var counts = new float[6400];
        model.AddBackground(counts, 20);
        model.AddPointSourceAtSkyPixel(counts, 120, 85, 50);
        var rec = new SkyReconstructor(g, mask);
        var images = rec.CreateImages();
        rec.Reconstruct(counts, images);
        int peak = ArgMax(images.Snr, InField(rec));
        Assert.InRange(peak % 199, 119, 121);
        Assert.InRange(peak / 199, 84, 86);
    }

    [Fact]
    public void Partial_coding_is_one_in_the_fully_coded_field_and_falls_linearly_outside()
    {
        var rec = new SkyReconstructor(G, Mask);
        var pc = rec.PartialCoding;
        Assert.Equal(1f, pc[99 * 199 + 99]);
        Assert.Equal(1f, pc[(99 + 20) * 199 + 99 - 20]);   // fully coded out to |s| = (120 - 80) / 2
        Assert.Equal(79f / 80, pc[99 * 199 + 99 + 21], 6);
        Assert.Equal(1f / 6400, pc[0], 9);                  // one corner pixel sees the corner cell
        Assert.Equal(15f / 80 * 15f / 80, pc[(99 + 85) * 199 + 99 + 85], 6);
    }

    internal static bool[] InField(SkyReconstructor rec, double minCoding = 0.1)
    {
        var inField = new bool[rec.PartialCoding.Length];
        for (int p = 0; p < inField.Length; p++)
        {
            inField[p] = rec.Reconstructible[p] && rec.PartialCoding[p] >= minCoding;
        }

        return inField;
    }

    internal static int ArgMax(float[] image, ReadOnlySpan<bool> valid)
    {
        int best = -1;
        for (int p = 0; p < image.Length; p++)
        {
            if (valid[p] && (best < 0 || image[p] > image[best]))
            {
                best = p;
            }
        }

        return best;
    }
}
