using System;
using System.IO;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onboard.Inference.Tests.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Robustness;

/// <summary>
/// Inputs the fuzzers found (tests/fuzz/regressions). The ABI fuzzer's first finding: a finite SNR of 4e36 where the
/// mask is not 0 overflowed the float engine to infinity and ecl_classify answered ECL_OK with a NaN probability.
/// Now |SNR| above <see cref="InputLimits.MaxAbsoluteSnr"/> is refused (ECL_E_INPUT_RANGE), and the bound is far
/// inside what the shipped networks carry without overflow.
/// </summary>
public class FuzzRegressionTests
{
    [Theory]
    [InlineData(3.9781462e36f)]
    [InlineData(-1.0000001e6f)]
    [InlineData(float.MaxValue)]
    public void Finite_snr_beyond_the_bound_is_refused_by_both_engines(float value)
    {
        NetworkDescription network = ConcurrencyTests.Tiny();
        (float[] snr, byte[] mask) = TestModels.RandomInput(8, 8, 3);
        mask[20] = 2;
        snr[20] = value;
        InferenceContext f = Model.FromDocument(TestModels.RandomDocument(network, 5, out _)).CreateContext();
        Int8Context q = Int8Model.FromDocument(Int8TestModels.Quantized(network, 5).Int8).CreateContext();
        Assert.Equal(InputError.SnrOutOfRange, f.TryClassify(snr, mask, out _));
        Assert.Equal(InputError.SnrOutOfRange, q.TryClassify(snr, mask, out _));
        InputValidationException e = Assert.Throws<InputValidationException>(() => f.Classify(snr, mask));
        Assert.Equal(20, e.PixelIndex);
        Assert.Contains("beyond", e.Message, StringComparison.Ordinal);
        // Where the mask is 0 the pixel is ignored, whatever it holds; at the bound itself it is accepted.
        mask[20] = 0;
        Assert.Equal(InputError.None, f.TryClassify(snr, mask, out _));
        mask[20] = 1;
        snr[20] = -InputLimits.MaxAbsoluteSnr;
        Assert.Equal(InputError.None, f.TryClassify(snr, mask, out _));
        snr[20] = float.NegativeInfinity;
        Assert.Equal(InputError.NonFiniteSnr, f.TryClassify(snr, mask, out _));
    }

    [Theory]
    [InlineData("eclairs-compact-v1.f32.eclw")]
    [InlineData("eclairs-cnn-v1.f32.eclw")]
    public void Shipped_float_models_give_a_probability_in_0_1_at_the_bound(string file)
    {
        Model model = Model.Load(File.ReadAllBytes(Path.Combine(RepositoryRoot(), "weights", file)));
        InferenceContext context = model.CreateContext();
        var mask = new byte[56 * 56];
        Array.Fill(mask, (byte)1);
        mask[(28 * 56) + 28] = 3;
        var snr = new float[mask.Length];
        foreach (Func<int, float> pattern in new Func<int, float>[] { _ => 1e6f, _ => -1e6f, i => ((i / 56) + i) % 2 == 0 ? 1e6f : -1e6f })
        {
            for (int i = 0; i < snr.Length; i++)
            {
                snr[i] = pattern(i);
            }
            ClassificationResult r = context.Classify(snr, mask);
            Assert.True(float.IsFinite(r.Logit) && r.Probability is >= 0f and <= 1f, $"{file}: logit {r.Logit}, probability {r.Probability}");
        }
    }

    internal static string RepositoryRoot()
    {
        for (string? d = AppContext.BaseDirectory; d != null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Eclairs.Onboard.sln")))
            {
                return d;
            }
        }
        throw new DirectoryNotFoundException("no Eclairs.Onboard.sln above " + AppContext.BaseDirectory);
    }
}
