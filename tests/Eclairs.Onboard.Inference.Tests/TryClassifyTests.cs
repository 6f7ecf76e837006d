using System;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>TryClassify, the C ABI's path: the same answer as Classify, and refused input returned as a code, not thrown.</summary>
public class TryClassifyTests
{
    private static readonly NetworkDescription Network = TestModels.OddSmall();

    [Fact]
    public void Agrees_with_Classify_and_reports_each_refusal_as_its_code()
    {
        InferenceContext context = Model.FromDocument(TestModels.RandomDocument(Network, 5, out _)).CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(7, 9, 3);
        mask[10] = 1;

        Assert.Equal(InputError.None, context.TryClassify(snr, mask, out ClassificationResult result));
        Assert.Equal(context.Classify(snr, mask), result);

        snr[10] = float.PositiveInfinity;
        Assert.Equal(InputError.NonFiniteSnr, context.TryClassify(snr, mask, out result));
        Assert.Equal(default, result);
        InputValidationException thrown = Assert.Throws<InputValidationException>(() => context.Classify(snr, mask));
        Assert.Equal((InputError.NonFiniteSnr, 10), (thrown.Error, thrown.PixelIndex));

        snr[10] = 1f;
        mask[20] = 4;
        Assert.Equal(InputError.MaskOutOfRange, context.TryClassify(snr, mask, out _));
        thrown = Assert.Throws<InputValidationException>(() => context.Classify(snr, mask));
        Assert.Equal((InputError.MaskOutOfRange, 20), (thrown.Error, thrown.PixelIndex));

        Assert.Equal(InputError.BadLength, context.TryClassify(snr.AsSpan(1), mask, out _));
    }

    [Fact]
    public void Refused_input_allocates_nothing()
    {
        InferenceContext context = Model.FromDocument(TestModels.RandomDocument(Network, 5, out _)).CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(7, 9, 3);
        mask[0] = 200;
        context.TryClassify(snr, mask, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int refused = 0;
        for (int i = 0; i < 1000; i++)
        {
            refused += context.TryClassify(snr, mask, out _) == InputError.MaskOutOfRange ? 1 : 0;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, refused);
    }
}
