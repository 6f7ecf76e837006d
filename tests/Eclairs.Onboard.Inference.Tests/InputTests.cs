using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>Input rules: mask as a float channel 0..3, SNR ignored where the mask is 0, errors with the pixel index.</summary>
public class InputTests
{
    private static readonly NetworkDescription Network = TestModels.OddSmall();

    private static (InferenceContext Context, List<float[]> Parameters) Create(KernelPath path, InputNormalization normalization)
    {
        ModelDocument doc = TestModels.RandomDocument(Network, 21, out List<float[]> parameters) with { Normalization = normalization };
        return (Model.FromDocument(doc, new ModelOptions { KernelPath = path }).CreateContext(), parameters);
    }

    public static TheoryData<KernelPath> Paths => TestModels.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Masked_pixels_enter_as_zero_whatever_they_hold(KernelPath path)
    {
        (InferenceContext context, _) = Create(path, InputNormalization.Identity);
        (float[] snr, byte[] mask) = TestModels.RandomInput(7, 9, 4);
        float[] zeroed = (float[])snr.Clone();
        float[] garbage = (float[])snr.Clone();
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0)
            {
                zeroed[i] = 0f;
                garbage[i] = i % 3 == 0 ? float.NaN : i % 3 == 1 ? float.NegativeInfinity : 1e30f;
            }
        }
        Assert.Equal(context.Classify(zeroed, mask), context.Classify(garbage, mask));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Normalisation_applies_to_unmasked_snr_only(KernelPath path)
    {
        var normalization = new InputNormalization(0.25f, 1.5f);
        (InferenceContext context, List<float[]> parameters) = Create(path, normalization);
        (float[] snr, byte[] mask) = TestModels.RandomInput(7, 9, 8);
        var first = new float[7 * 9 * 2];
        InferenceContext prefix = Model.FromDocument(
            TestModels.RandomDocument(Network, 21, out _).Prefix(2) with { Normalization = normalization },
            new ModelOptions { KernelPath = path }).CreateContext();
        prefix.Evaluate(snr, mask, first);
        for (int i = 0; i < mask.Length; i++)
        {
            Assert.Equal(mask[i] == 0 ? 0f : (snr[i] * 0.25f) + 1.5f, first[2 * i]);
            Assert.Equal(mask[i], first[(2 * i) + 1]);
        }
        double logit = NaiveNetwork.Run(Network.Layers, parameters, snr, mask, 0.25f, 1.5f)[^2].Data[0];
        Assert.Equal(logit, context.Classify(snr, mask).Logit, 1e-4 * Math.Max(1, Math.Abs(logit)));
    }

    [Fact]
    public void Wrong_lengths()
    {
        (InferenceContext context, _) = Create(KernelPath.Auto, InputNormalization.Identity);
        var e = Assert.Throws<InputValidationException>(() => context.Classify(new float[62], new byte[63]));
        Assert.Equal(InputError.BadLength, e.Error);
        Assert.Equal(-1, e.PixelIndex);
        Assert.Contains("63", e.Message);
        Assert.Equal(InputError.BadLength, Assert.Throws<InputValidationException>(() => context.Classify(new float[63], new byte[64])).Error);
    }

    [Fact]
    public void Mask_above_three_names_the_pixel()
    {
        (InferenceContext context, _) = Create(KernelPath.Auto, InputNormalization.Identity);
        (float[] snr, byte[] mask) = TestModels.RandomInput(7, 9, 1);
        mask[40] = 4;
        var e = Assert.Throws<InputValidationException>(() => context.Classify(snr, mask));
        Assert.Equal(InputError.MaskOutOfRange, e.Error);
        Assert.Equal(40, e.PixelIndex);
        Assert.Contains("pixel 40", e.Message);
        mask[40] = 255;
        Assert.Equal(InputError.MaskOutOfRange, Assert.Throws<InputValidationException>(() => context.Classify(snr, mask)).Error);
    }

    [Theory]
    [InlineData(float.NaN, 1)]
    [InlineData(float.PositiveInfinity, 2)]
    [InlineData(float.NegativeInfinity, 3)]
    public void Non_finite_snr_where_the_mask_is_set(float value, byte maskValue)
    {
        (InferenceContext context, _) = Create(KernelPath.Auto, InputNormalization.Identity);
        (float[] snr, byte[] mask) = TestModels.RandomInput(7, 9, 2);
        mask[17] = maskValue;
        snr[17] = value;
        var e = Assert.Throws<InputValidationException>(() => context.Classify(snr, mask));
        Assert.Equal(InputError.NonFiniteSnr, e.Error);
        Assert.Equal(17, e.PixelIndex);
    }

    [Fact]
    public void A_refused_input_leaves_the_context_usable()
    {
        (InferenceContext context, _) = Create(KernelPath.Auto, InputNormalization.Identity);
        (float[] snr, byte[] mask) = TestModels.RandomInput(7, 9, 3);
        ClassificationResult before = context.Classify(snr, mask);
        byte[] bad = (byte[])mask.Clone();
        bad[^1] = 9;
        Assert.Throws<InputValidationException>(() => context.Classify(snr, bad));
        Assert.Equal(before, context.Classify(snr, mask));
    }
}
