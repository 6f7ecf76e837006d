using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>
/// The dense kernel walks only the weight rows of non-zero inputs (NonZeroRows). Checked against a plain list of the
/// non-zero indices, against the same kernel walking every row (the same fused sums in the same order: equal values),
/// and against the scalar reference, at every vector width this CPU runs, from all-zero to no-zero inputs.
/// </summary>
public unsafe class SparseDenseTests
{
    public static TheoryData<string> Sparsities() => new() { "all-zero", "one-last", "97%", "50%", "none", "nan-and-negative-zero" };

    [Theory]
    [MemberData(nameof(Sparsities))]
    public void Non_zero_rows_are_the_plain_list_of_indices(string sparsity)
    {
        foreach (int count in new[] { 0, 1, 3, 4, 5, 63, 1001 })
        {
            float[] input = Input(sparsity, count, 1);
            var expected = new List<int>();
            for (int i = 0; i < count; i++)
            {
                if (input[i] != 0f)
                {
                    expected.Add(i);
                }
            }
            var rows = new int[Math.Max(1, count)];
            int found;
            fixed (float* x = input)
            fixed (int* r = rows)
            {
                found = NonZeroRows.Find(x, count, r);
            }
            Assert.Equal(expected, rows[..found]);

            int[] integers = Array.ConvertAll(input, v => float.IsNaN(v) ? 7 : (int)v);
            var expectedInts = new List<int>();
            for (int i = 0; i < count; i++)
            {
                if (integers[i] != 0)
                {
                    expectedInts.Add(i);
                }
            }
            fixed (int* x = integers)
            fixed (int* r = rows)
            {
                found = NonZeroRows.Find(x, count, r);
            }
            Assert.Equal(expectedInts, rows[..found]);
        }
    }

    [Theory]
    [MemberData(nameof(Sparsities))]
    public void Skipping_zero_rows_equals_walking_every_row_and_the_reference(string sparsity)
    {
        foreach ((int inputs, int units) in new[] { (1, 1), (3, 5), (7, 16), (64, 37), (1000, 128), (257, 130) })
        {
            float[] input = Input(sparsity, inputs, inputs + units);
            var random = new Random(units);
            float[] weights = Values(random, inputs * units);
            float[] bias = Values(random, units);
            foreach (bool relu in new[] { false, true })
            {
                var reference = new float[units];
                ReferenceKernels.Dense(input, inputs, weights, bias, relu, reference, units);
                if (Vector128.IsHardwareAccelerated)
                {
                    Check<Ops128, Vector128<float>>(input, weights, bias, relu, units, reference, sparsity);
                }
                if (Vector256.IsHardwareAccelerated)
                {
                    Check<Ops256, Vector256<float>>(input, weights, bias, relu, units, reference, sparsity);
                }
                if (Vector512.IsHardwareAccelerated)
                {
                    Check<Ops512, Vector512<float>>(input, weights, bias, relu, units, reference, sparsity);
                }
            }
        }
    }

    private static void Check<TOps, TVec>(float[] input, float[] weights, float[] bias, bool relu, int units, float[] reference, string sparsity)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int inputs = input.Length;
        var skipping = new float[units];
        var every = new float[units];
        var rows = new int[NonZeroRows.WorkspaceElements(inputs)];
        fixed (float* x = input, w = weights, b = bias, s = skipping, e = every)
        fixed (int* r = rows)
        {
            SimdDense<TOps, TVec>.Run(x, inputs, w, b, relu, s, units, r);
            SimdDense<TOps, TVec>.Run(x, inputs, w, b, relu, e, units);
        }
        string what = $"{typeof(TVec).Name}, {sparsity}, {inputs}x{units}, relu {relu}";
        for (int u = 0; u < units; u++)
        {
            Assert.True(skipping[u] == every[u] || (float.IsNaN(skipping[u]) && float.IsNaN(every[u])), $"{what}, unit {u}: {skipping[u]} against {every[u]} walking every row");
            if (float.IsNaN(reference[u]))
            {
                // A NaN input is a non-zero row, so the sum is NaN; ReLU of NaN is the vector max's (0 on x64), which
                // the engine never meets: its input stage replaces non-finite SNR values.
                Assert.True(relu || float.IsNaN(skipping[u]), $"{what}, unit {u}: the reference's NaN is lost");
            }
            else
            {
                Assert.True(Math.Abs(skipping[u] - reference[u]) <= 1e-4 * Math.Max(1, Math.Abs(reference[u])), $"{what}, unit {u}: {skipping[u]} against the reference's {reference[u]}");
            }
        }
    }

    private static float[] Input(string sparsity, int count, int seed)
    {
        var random = new Random(seed);
        var input = new float[count];
        for (int i = 0; i < count; i++)
        {
            double keep = sparsity switch { "all-zero" => 0, "one-last" => 0, "97%" => 0.03, "50%" => 0.5, _ => 1 };
            input[i] = random.NextDouble() < keep ? (float)((random.NextDouble() * 3) + 0.01) : 0f;
        }
        if (sparsity == "one-last" && count > 0)
        {
            input[^1] = 1.5f;
        }
        if (sparsity == "nan-and-negative-zero")
        {
            for (int i = 0; i < count; i += 3)
            {
                input[i] = -0f;
            }
            if (count > 1)
            {
                input[count / 2] = float.NaN;
            }
        }
        return input;
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return values;
    }
}
