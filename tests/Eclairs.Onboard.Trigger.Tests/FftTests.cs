using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

public class FftTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void Forward_and_inverse_match_the_naive_dft(int n)
    {
        var rng = new Random(n);
        var re = new float[n * n];
        var im = new float[n * n];
        for (int i = 0; i < re.Length; i++)
        {
            re[i] = (float)(rng.NextDouble() - 0.5);
            im[i] = (float)(rng.NextDouble() - 0.5);
        }

        var (xr, xi) = NaiveDft(re, im, n, -1);
        var fr = (float[])re.Clone();
        var fi = (float[])im.Clone();
        var fft = new Fft2D(n);
        fft.Forward(fr, fi);
        double scale = n; // |X| ~ n for unit-variance input
        for (int i = 0; i < re.Length; i++)
        {
            Assert.True(Math.Abs(fr[i] - xr[i]) < 1e-5 * scale, $"re[{i}] {fr[i]} vs {xr[i]}");
            Assert.True(Math.Abs(fi[i] - xi[i]) < 1e-5 * scale, $"im[{i}] {fi[i]} vs {xi[i]}");
        }

        fft.Inverse(fr, fi);
        for (int i = 0; i < re.Length; i++)
        {
            Assert.True(Math.Abs(re[i] - fr[i] / (n * n)) < 1e-5, $"re[{i}]");
            Assert.True(Math.Abs(im[i] - fi[i] / (n * n)) < 1e-5, $"im[{i}]");
        }
    }

    [Fact]
    public void Sides_that_are_not_powers_of_two_are_refused()
    {
        Assert.Throws<TriggerArgumentException>(() => new Fft2D(200));
        Assert.Throws<TriggerArgumentException>(() => new Fft2D(1));
    }

    private static (double[] Re, double[] Im) NaiveDft(float[] re, float[] im, int n, int sign)
    {
        var outRe = new double[n * n];
        var outIm = new double[n * n];
        for (int kr = 0; kr < n; kr++)
        {
            for (int kc = 0; kc < n; kc++)
            {
                double sr = 0, si = 0;
                for (int r = 0; r < n; r++)
                {
                    for (int c = 0; c < n; c++)
                    {
                        double angle = sign * 2 * Math.PI * ((double)kr * r + (double)kc * c) / n;
                        double cs = Math.Cos(angle), sn = Math.Sin(angle);
                        sr += re[r * n + c] * cs - im[r * n + c] * sn;
                        si += re[r * n + c] * sn + im[r * n + c] * cs;
                    }
                }

                outRe[kr * n + kc] = sr;
                outIm[kr * n + kc] = si;
            }
        }

        return (outRe, outIm);
    }
}
