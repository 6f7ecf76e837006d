using System;
using System.Collections.Generic;
using Eclairs.Training.Data;
using Eclairs.Training.Randomness;
using Xunit;

namespace Eclairs.Training.Tests;

public class AugmentationTests
{
    private const int Side = 56, Centre = 28;

    /// <summary>An encoded alert whose SNR channel holds a unique id per pixel and whose mask is a pattern of 1..3.</summary>
    private static float[] Labelled()
    {
        var encoded = new float[2 * Side * Side];
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                int p = y * Side + x;
                encoded[2 * p] = p + 1;
                encoded[2 * p + 1] = y == Centre && x == Centre ? 3 : 1 + (y * 7 + x * 3) % 2;
            }
        }

        return encoded;
    }

    private static float[] Apply(Symmetry s, float[] source)
    {
        var destination = new float[source.Length];
        Augmentation.Apply(s, Side, source, destination);
        return destination;
    }

    [Theory]
    [MemberData(nameof(AllSymmetries))]
    public void Trigger_pixel_stays_at_28_28_and_mask_moves_with_the_image(Symmetry symmetry)
    {
        float[] source = Labelled();
        float[] result = Apply(symmetry, source);
        int centre = Centre * Side + Centre;
        Assert.Equal(source[2 * centre], result[2 * centre]);
        Assert.Equal(3f, result[2 * centre + 1]);

        int missing = 0;
        var seen = new HashSet<int>();
        for (int p = 0; p < Side * Side; p++)
        {
            float id = result[2 * p];
            if (id == 0)
            {
                Assert.Equal(0f, result[2 * p + 1]); // no source: "no data" in both channels
                missing++;
                continue;
            }

            int from = (int)id - 1;
            Assert.Equal(source[2 * from + 1], result[2 * p + 1]); // the mask came from the same pixel as the SNR
            Assert.True(seen.Add(from), "each source pixel is used once");

            // Isometry about the trigger pixel: the distance to (28, 28) is preserved.
            int y = p / Side, x = p % Side, sy = from / Side, sx = from % Side;
            Assert.Equal(Math.Max(Math.Abs(y - Centre), Math.Abs(x - Centre)), Math.Max(Math.Abs(sy - Centre), Math.Abs(sx - Centre)));
            Assert.Equal((y - Centre) * (y - Centre) + (x - Centre) * (x - Centre), (sy - Centre) * (sy - Centre) + (sx - Centre) * (sx - Centre));
        }

        // Only the row/column at offset -28, which has no mirror inside the sub-image, may be lost (the main diagonal
        // mirror maps [-28, 27]^2 onto itself and loses nothing).
        int expectedMissing = symmetry switch
        {
            Symmetry.Identity or Symmetry.Transpose => 0,
            Symmetry.Rotate180 or Symmetry.AntiTranspose => 2 * Side - 1,
            _ => Side,
        };
        Assert.Equal(expectedMissing, missing);
    }

    [Fact]
    public void Symmetries_form_the_dihedral_group_on_the_inner_block()
    {
        float[] source = Labelled();
        float[] Twice(Symmetry a, Symmetry b) => Apply(b, Apply(a, source));
        AssertInnerEqual(Apply(Symmetry.Rotate180, source), Twice(Symmetry.Rotate90, Symmetry.Rotate90));
        AssertInnerEqual(Apply(Symmetry.Rotate270, source), Twice(Symmetry.Rotate180, Symmetry.Rotate90));
        AssertInnerEqual(source, Twice(Symmetry.Rotate90, Symmetry.Rotate270));
        AssertInnerEqual(source, Twice(Symmetry.FlipRows, Symmetry.FlipRows));
        AssertInnerEqual(source, Twice(Symmetry.FlipColumns, Symmetry.FlipColumns));
        AssertInnerEqual(source, Twice(Symmetry.Transpose, Symmetry.Transpose));
        AssertInnerEqual(Apply(Symmetry.Rotate180, source), Twice(Symmetry.FlipRows, Symmetry.FlipColumns));

        // Neighbours stay neighbours (no tearing), and the eight maps are distinct.
        var distinct = new HashSet<string>();
        foreach (Symmetry s in Enum.GetValues<Symmetry>())
        {
            float[] r = Apply(s, source);
            distinct.Add(string.Join(",", r[..400]));
            for (int y = 1; y < Side - 1; y++)
            {
                for (int x = 1; x < Side - 2; x++)
                {
                    int a = (int)r[2 * (y * Side + x)] - 1, b = (int)r[2 * (y * Side + x + 1)] - 1;
                    if (a >= 0 && b >= 0)
                    {
                        Assert.Equal(1, Math.Abs(a / Side - b / Side) + Math.Abs(a % Side - b % Side));
                    }
                }
            }
        }

        Assert.Equal(8, distinct.Count);
    }

    [Fact]
    public void Flip_of_columns_maps_column_28_plus_d_to_28_minus_d()
    {
        float[] r = Apply(Symmetry.FlipColumns, Labelled());
        int row = 10;
        Assert.Equal(row * Side + 27 + 1, r[2 * (row * Side + 29)]); // column 29 reads column 27
        Assert.Equal(row * Side + 55 + 1, r[2 * (row * Side + 1)]);  // column 1 reads column 55
        Assert.Equal(0f, r[2 * (row * Side + 0)]);                 // column 0 would read column 56: no data
    }

    [Fact]
    public void Noise_touches_only_the_snr_where_the_mask_is_set()
    {
        var encoded = new float[2 * 10000];
        for (int p = 0; p < 10000; p++)
        {
            encoded[2 * p + 1] = p % 4; // a quarter of pixels have mask 0
        }

        var rng = new Xoshiro256StarStar(1);
        Augmentation.AddSnrNoise(encoded, 0.5, ref rng);
        double sum = 0, sum2 = 0;
        int n = 0;
        for (int p = 0; p < 10000; p++)
        {
            Assert.Equal(p % 4, encoded[2 * p + 1]);
            if (p % 4 == 0)
            {
                Assert.Equal(0f, encoded[2 * p]);
            }
            else
            {
                sum += encoded[2 * p];
                sum2 += encoded[2 * p] * encoded[2 * p];
                n++;
            }
        }

        double mean = sum / n, std = Math.Sqrt(sum2 / n - mean * mean);
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(std, 0.48, 0.52);
    }

    [Fact]
    public void Bad_geometry_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Augmentation.Apply(Symmetry.Rotate90, 55, new float[2 * 55 * 55], new float[2 * 55 * 55]));
        Assert.Throws<ArgumentException>(() => Augmentation.Apply(Symmetry.Rotate90, 56, new float[10], new float[10]));
        float[] buffer = new float[2 * 56 * 56];
        Assert.Throws<ArgumentException>(() => Augmentation.Apply(Symmetry.Rotate90, 56, buffer, buffer));
    }

    public static TheoryData<Symmetry> AllSymmetries()
    {
        var data = new TheoryData<Symmetry>();
        foreach (Symmetry s in Enum.GetValues<Symmetry>())
        {
            data.Add(s);
        }

        return data;
    }

    private static void AssertInnerEqual(float[] expected, float[] actual)
    {
        for (int y = 1; y < Side; y++)
        {
            for (int x = 1; x < Side; x++)
            {
                int p = 2 * (y * Side + x);
                Assert.Equal(expected[p], actual[p]);
                Assert.Equal(expected[p + 1], actual[p + 1]);
            }
        }
    }
}
