using System;
using Eclairs.Training.Kernels;
using Eclairs.Training.Randomness;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>The register-blocked GEMM against a plain triple loop, on sizes that hit every block and tail.</summary>
public unsafe class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 16, 3)]
    [InlineData(7, 33, 5)]
    [InlineData(13, 8, 17)]
    [InlineData(5, 71, 9)]
    [InlineData(9, 3, 40)]
    public void Both_entry_points_match_naive_loops(int m, int n, int k)
    {
        var rng = new Xoshiro256StarStar((ulong)(m * 1000 + n * 10 + k));
        float[] a = Random(m * k, ref rng);   // m x k, row-major
        float[] at = new float[k * m];        // its transpose, k x m
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                at[p * m + i] = a[i * k + p];
            }
        }

        float[] b = Random(k * n, ref rng);
        float[] c0 = Random(m * n, ref rng);
        float[] c1 = (float[])c0.Clone(), c2 = (float[])c0.Clone(), c3 = (float[])c0.Clone();
        float[] panel = new float[4 * k];
        fixed (float* pa = a, pat = at, pb = b, p1 = c1, p2 = c2, p3 = c3, pp = panel)
        {
            Gemm.MultiplyAdd(pa, k, 1, pb, n, p1, n, m, n, k);
            Gemm.MultiplyAdd(pat, 1, m, pb, n, p2, n, m, n, k);
            Gemm.MultiplyAddTransposedA(pat, m, pb, n, p3, n, m, n, k, pp);
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = c0[i * n + j];
                for (int p = 0; p < k; p++)
                {
                    s += (double)a[i * k + p] * b[p * n + j];
                }

                foreach (float[] c in new[] { c1, c2, c3 })
                {
                    Assert.True(Math.Abs(s - c[i * n + j]) <= 1e-5 * (1 + k), $"({i},{j}): {s} vs {c[i * n + j]}");
                }
            }
        }
    }

    private static float[] Random(int length, ref Xoshiro256StarStar rng)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)(2 * rng.NextDouble() - 1);
        }

        return x;
    }
}
