using System;
using Eclairs.Onboard.Native;
using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>
/// The robustness additions at the ABI: the test-only ecl_diag_model_parameters (fault injection from C), and the
/// |SNR| bound the ABI fuzzer led to (a finite 4e36 used to give ECL_OK with a NaN probability).
/// </summary>
public unsafe class RobustnessApiTests
{
    private const int Pixels = 3136;

    [Fact]
    public void DiagModelParametersHandsOutTheMemoryVerifyCovers()
    {
        void* model = TestModels.LoadCompact();
        void* data;
        nuint bytes;
        Assert.Equal(EclStatus.NullArgument, ClassifierApi.DiagModelParameters(model, 0, null, &bytes));
        Assert.Equal(EclStatus.NullArgument, ClassifierApi.DiagModelParameters(null, 0, &data, &bytes));
        // Region 1: the parameters (every parameter of the network at least, and the Winograd copies), region 0: the
        // plan (header and steps) right after them in the same 64-byte aligned arena.
        Assert.Equal(EclStatus.Ok, ClassifierApi.DiagModelParameters(model, 1, &data, &bytes));
        Assert.True(bytes >= 41_201 * sizeof(float), $"{bytes} bytes");
        Assert.Equal(0UL, (ulong)data % 64);
        void* plan;
        nuint planBytes;
        Assert.Equal(EclStatus.Ok, ClassifierApi.DiagModelParameters(model, 0, &plan, &planBytes));
        Assert.True(plan == (byte*)data + bytes, "the plan follows the parameters in one block");
        Assert.True(planBytes > 0);
        foreach ((nint start, nuint length) in new[] { ((nint)data, bytes), ((nint)plan, planBytes) })
        {
            byte* first = (byte*)start;
            foreach (nuint offset in new nuint[] { 0, length / 2, length - 1 })
            {
                first[offset] ^= 0x20;
                EclStatus flipped = ClassifierApi.ModelVerify(model);
                first[offset] ^= 0x20;
                Assert.Equal(EclStatus.ModelChecksum, flipped);
                Assert.Equal(EclStatus.Ok, ClassifierApi.ModelVerify(model));
            }
        }

        data = (void*)1;
        bytes = 7;
        Assert.Equal(EclStatus.InputRange, ClassifierApi.DiagModelParameters(model, 2, &data, &bytes));
        Assert.True(data == null && bytes == 0);
        ClassifierApi.ModelFree(model);
    }

    [Theory]
    [InlineData(3.9781462e36f, EclStatus.InputRange)]
    [InlineData(-1.5e6f, EclStatus.InputRange)]
    [InlineData(1e6f, EclStatus.Ok)]
    [InlineData(float.NaN, EclStatus.InputNonFinite)]
    public void SnrBeyondTheBoundIsRefusedAndLeavesTheResultUntouched(float value, EclStatus expected)
    {
        void* model = TestModels.LoadCompact();
        void* context;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(model, &context));
        float[] snr = new float[Pixels];
        byte[] mask = new byte[Pixels];
        Array.Fill(mask, (byte)1);
        mask[(28 * 56) + 28] = 3;
        snr[100] = value;
        var result = new EclResult { Probability = -5f, Logit = -6f, RawLogit = 7, IsTrueAlert = 9 };
        fixed (float* s = snr)
        fixed (byte* m = mask)
        {
            Assert.Equal(expected, ClassifierApi.Classify(context, s, m, &result));
        }

        if (expected == EclStatus.Ok)
        {
            Assert.InRange(result.Probability, 0f, 1f);
        }
        else
        {
            Assert.Equal(-5f, result.Probability);
            Assert.Equal(9, result.IsTrueAlert);
        }

        ClassifierApi.ContextFree(context);
        ClassifierApi.ModelFree(model);
    }
}
