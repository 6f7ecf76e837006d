using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

public class StatisticsTests
{
    [Theory]
    [InlineData(0.7)]
    [InlineData(4.0)]
    [InlineData(9.99)]
    [InlineData(10.0)]
    [InlineData(57.3)]
    [InlineData(2500.0)]
    public void Poisson_sampler_has_the_right_mean_variance_and_pmf(double mean)
    {
        var sampler = new PoissonSampler(42);
        const int n = 200_000;
        double sum = 0, sum2 = 0;
        int k0 = (int)Math.Floor(mean), atMode = 0;
        for (int i = 0; i < n; i++)
        {
            int k = sampler.Sample(mean);
            sum += k;
            sum2 += (double)k * k;
            atMode += k == k0 ? 1 : 0;
        }

        double m = sum / n, v = sum2 / n - m * m;
        Assert.InRange(m, mean - 5 * Math.Sqrt(mean / n), mean + 5 * Math.Sqrt(mean / n));
        Assert.InRange(v / mean, 1 - 5 * Math.Sqrt(2.0 / n) - 0.01, 1 + 5 * Math.Sqrt(2.0 / n) + 0.01);
        // P(k0) from the pmf, computed by summing logs (independent of the sampler's log-factorial).
        double logP = -mean + k0 * Math.Log(mean);
        for (int j = 2; j <= k0; j++)
        {
            logP -= Math.Log(j);
        }

        double p = Math.Exp(logP), sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(atMode / (double)n, p - 5 * sigma, p + 5 * sigma);
    }

    [Fact]
    public void Poisson_sampler_is_deterministic_and_refuses_bad_means()
    {
        var a = new PoissonSampler(5);
        var b = new PoissonSampler(5);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(a.Sample(i * 0.37), b.Sample(i * 0.37));
        }

        Assert.Throws<TriggerArgumentException>(() => a.Sample(-1));
        Assert.Throws<TriggerArgumentException>(() => a.Sample(double.NaN));
        Assert.Throws<TriggerArgumentException>(() => a.Sample(double.PositiveInfinity));
    }

    [Fact]
    public void Pure_background_gives_a_unit_normal_snr_over_the_fully_coded_field()
    {
        var g = InstrumentGeometry.Nominal;
        var mask = CodedMask.Generate(g);
        var rec = new SkyReconstructor(g, mask);
        var model = new ShadowgramModel(g, mask);
        var expected = new float[6400];
        model.AddBackground(expected, 100);
        var counts = new uint[6400];
        var sampler = new PoissonSampler(2024);
        var images = rec.CreateImages();
        double sum = 0, sum2 = 0;
        long n = 0;
        for (int realisation = 0; realisation < 20; realisation++)
        {
            sampler.Sample(expected, counts);
            rec.Reconstruct(counts, images);
            for (int uz = 79; uz <= 119; uz++)
            {
                for (int uy = 79; uy <= 119; uy++)
                {
                    int p = uz * 199 + uy;
                    Assert.Equal(1f, images.PartialCoding[p]);
                    double s = images.Snr[p];
                    sum += s;
                    sum2 += s * s;
                    n++;
                }
            }
        }

        double mean = sum / n, std = Math.Sqrt(sum2 / n - mean * mean);
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(std, 0.95, 1.05);
    }

    [Fact]
    public void Noisy_source_snr_matches_its_expectation_with_the_nominal_fractional_mask()
    {
        // With 4 mm pixels at 4.5 mm pitch under 11.75 mm elements, about a third of the rebinned cells are
        // fractional, which costs ~10 % of SNR against the binary formula. The expectation is the naive
        // Goldwurm & Gros estimator applied to the expected counts: S = Σ G (s M + b) / N, Var = Σ G² (s M + b) / N².
        var g = InstrumentGeometry.Nominal;
        var mask = CodedMask.Generate(g);
        var rec = new SkyReconstructor(g, mask);
        var model = new ShadowgramModel(g, mask);
        var expected = new float[6400];
        model.AddPointSourceAtSkyPixel(expected, 112, 91, 2.5);
        model.AddBackground(expected, 50);
        var (s, v, _) = Naive.Pixel(rec.RebinnedMask.ToArray(), 120, rec.ActivePixels.ToArray(), expected, 80, 112, 91);
        Assert.Equal(2.5, s, 1e-3);
        double analytic = s / Math.Sqrt(v);

        var sampler = new PoissonSampler(77);
        var counts = new uint[6400];
        var images = rec.CreateImages();
        double measured = 0;
        const int runs = 16;
        for (int i = 0; i < runs; i++)
        {
            sampler.Sample(expected, counts);
            rec.Reconstruct(counts, images);
            measured += images.Snr[91 * 199 + 112] / runs;
        }

        Assert.InRange(analytic, 9, 15);
        Assert.InRange(measured / analytic, 0.9, 1.1);
    }

    [Fact]
    public void Noisy_source_snr_matches_the_binary_mask_formula()
    {
        // A geometry where the mask rebins to a binary array (pixel = pitch = half an element), so the
        // textbook result holds exactly: SNR = C / sqrt(C + B_tot f / (1 - f)), C the source counts on the
        // detector, B_tot the background counts, f the open fraction of the mask area the detector sees.
        var g = new InstrumentGeometry(pixelSizeMm: 4.5, pixelPitchMm: 4.5, maskElementMm: 9.0);
        Assert.Equal(92, g.RebinnedMaskSide);
        var mask = CodedMask.Generate(g);
        var rec = new SkyReconstructor(g, mask);
        int centre = (int)g.SkyCentre;
        int openCells = 0;
        for (int r = 0; r < 80; r++)
        {
            for (int c = 0; c < 80; c++)
            {
                // on axis, pixel (r, c) sits under mask element ((r + 6) / 2, (c + 6) / 2)
                openCells += mask.Open[(r + 6) / 2 * 46 + (c + 6) / 2] ? 1 : 0;
            }
        }

        double f = openCells / 6400.0, amplitude = 2, background = 50;
        double sourceCounts = amplitude * openCells, backgroundCounts = background * 6400;
        double analytic = sourceCounts / Math.Sqrt(sourceCounts + backgroundCounts * f / (1 - f));

        var model = new ShadowgramModel(g, mask);
        var expected = new float[6400];
        model.AddPointSource(expected, 0, 0, amplitude);
        model.AddBackground(expected, background);
        double total = 0;
        foreach (float e in expected)
        {
            total += e;
        }

        Assert.Equal(sourceCounts + backgroundCounts, total, 1e-3 * total);
        var sampler = new PoissonSampler(99);
        var counts = new uint[6400];
        var images = rec.CreateImages();
        double measured = 0;
        const int runs = 16;
        for (int i = 0; i < runs; i++)
        {
            sampler.Sample(expected, counts);
            rec.Reconstruct(counts, images);
            measured += images.Snr[centre * g.SkySide + centre] / runs;
        }

        Assert.InRange(analytic, 9, 13);
        Assert.InRange(measured / analytic, 0.9, 1.1);
    }
}
