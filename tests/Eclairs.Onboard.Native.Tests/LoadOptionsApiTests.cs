using System;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Native;
using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>ecl_model_load_with_options against the engine loaded with the equivalent <see cref="ModelOptions"/>.</summary>
public unsafe class LoadOptionsApiTests
{
    private static readonly byte[] File = EclwWriter.ToBytes(TestModels.CompactDocument());

    private static EclStatus Load(EclLoadOptions* options, out void* model)
    {
        void* m = (void*)1;
        EclStatus status;
        fixed (byte* f = File)
        {
            status = ClassifierApi.ModelLoadWithOptions(f, (nuint)File.Length, options, &m);
        }

        model = m;
        return status;
    }

    private static KernelAlgorithm[] Kernels(void* model)
    {
        EclKernelInfo info;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelGetKernelInfo(model, &info));
        var steps = new KernelAlgorithm[info.StepCount];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = (KernelAlgorithm)info.StepKernel[i];
        }

        return steps;
    }

    private static ulong ModelBytes(void* model)
    {
        EclModelInfo info;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelGetInfo(model, &info));
        return info.ModelBytes;
    }

    [Fact]
    public void Off_plans_an_int8_model_without_any_winograd_kernel()
    {
        // The int8 deck's first layer is otherwise the one-pair F(2x2) kernel, which keeps transformed weights too.
        byte[] file = System.IO.File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "eclairs-cnn-v1.int8.eclw"));
        var off = new EclLoadOptions { Winograd = (uint)EclWinograd.Off };
        void* plain, direct;
        fixed (byte* f = file)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoad(f, (nuint)file.Length, &plain));
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoadWithOptions(f, (nuint)file.Length, &off, &direct));
        }

        Assert.Contains(KernelAlgorithm.PairWinogradF2, Kernels(plain));
        Assert.DoesNotContain(Kernels(direct), k => k is KernelAlgorithm.WinogradF2 or KernelAlgorithm.WinogradF4 or KernelAlgorithm.PairWinogradF2);
        Assert.True(ModelBytes(direct) < ModelBytes(plain));
        ClassifierApi.ModelFree(plain);
        ClassifierApi.ModelFree(direct);
    }

    [Theory]
    [InlineData(1u, 0)]
    [InlineData(2u, 2)]
    [InlineData(4u, 4)]
    [InlineData(0u, 4)]
    public void Each_winograd_code_plans_as_the_engine_with_that_largest_tile(uint code, int tile)
    {
        var options = new EclLoadOptions { Winograd = code };
        Assert.Equal(EclStatus.Ok, Load(&options, out void* model));
        AlertClassifier expected = AlertClassifier.FromDocument(TestModels.CompactDocument(), new ModelOptions { MaxWinogradTile = tile });
        Assert.Equal(expected.StepAlgorithms(), Kernels(model));
        Assert.Equal((ulong)expected.ModelBytes, ModelBytes(model));
        ClassifierApi.ModelFree(model);
    }

    [Fact]
    public void Null_and_zeroed_options_are_the_plain_load()
    {
        void* plain;
        fixed (byte* f = File)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoad(f, (nuint)File.Length, &plain));
        }

        var zeroed = default(EclLoadOptions);
        Assert.Equal(EclStatus.Ok, Load(null, out void* fromNull));
        Assert.Equal(EclStatus.Ok, Load(&zeroed, out void* fromZeroed));
        Assert.Equal(Kernels(plain), Kernels(fromNull));
        Assert.Equal(Kernels(plain), Kernels(fromZeroed));
        Assert.Equal(ModelBytes(plain), ModelBytes(fromZeroed));
        Assert.Contains(KernelAlgorithm.WinogradF4, Kernels(plain)); // so the OFF plan below differs
        ClassifierApi.ModelFree(plain);
        ClassifierApi.ModelFree(fromNull);
        ClassifierApi.ModelFree(fromZeroed);
    }

    [Fact]
    public void Direct_only_plan_is_smaller_and_classifies_as_the_default_plan()
    {
        var off = new EclLoadOptions { Winograd = 1 };
        Assert.Equal(EclStatus.Ok, Load(null, out void* plain));
        Assert.Equal(EclStatus.Ok, Load(&off, out void* direct));
        Assert.DoesNotContain(Kernels(direct), k => k is KernelAlgorithm.WinogradF2 or KernelAlgorithm.WinogradF4 or KernelAlgorithm.PairWinogradF2);
        Assert.True(ModelBytes(direct) < ModelBytes(plain), $"{ModelBytes(direct)} >= {ModelBytes(plain)}");
        void* a, b;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(plain, &a));
        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(direct, &b));
        var snr = new float[ClassifierApi.SubimagePixels];
        var mask = new byte[ClassifierApi.SubimagePixels];
        var rng = new Random(5);
        for (int alert = 0; alert < 8; alert++)
        {
            for (int i = 0; i < snr.Length; i++)
            {
                snr[i] = (float)((rng.NextDouble() * 8) - 3);
                mask[i] = (byte)(1 + rng.Next(2));
            }

            mask[(28 * 56) + 28] = 3;
            EclResult r1, r2;
            fixed (float* s = snr)
            fixed (byte* m = mask)
            {
                Assert.Equal(EclStatus.Ok, ClassifierApi.Classify(a, s, m, &r1));
                Assert.Equal(EclStatus.Ok, ClassifierApi.Classify(b, s, m, &r2));
            }

            Assert.True(Math.Abs(r1.Logit - r2.Logit) <= 1e-4 * Math.Max(1, Math.Abs(r1.Logit)), $"{r1.Logit} vs {r2.Logit}");
        }

        ClassifierApi.ContextFree(a);
        ClassifierApi.ContextFree(b);
        ClassifierApi.ModelFree(plain);
        ClassifierApi.ModelFree(direct);
    }

    [Theory]
    [InlineData(0u, 3u, -1)]
    [InlineData(0u, 5u, -1)]
    [InlineData(6u, 0u, -1)]
    [InlineData(0u, 0u, 0)]
    [InlineData(0u, 0u, 5)]
    public void Values_out_of_range_are_refused_before_the_file_is_read(uint path, uint winograd, int reservedWord)
    {
        var options = new EclLoadOptions { KernelPath = path, Winograd = winograd };
        if (reservedWord >= 0)
        {
            options.Reserved[reservedWord] = 7;
        }

        void* m = (void*)1;
        fixed (byte* f = File)
        {
            // Half a file: a range error must come before ECL_E_MODEL_FORMAT.
            Assert.Equal(EclStatus.InputRange, ClassifierApi.ModelLoadWithOptions(f, (nuint)(File.Length / 2), &options, &m));
        }

        Assert.True(m == null);
    }

    [Theory]
    [InlineData(KernelPath.Scalar)]
    [InlineData(KernelPath.Vector128)]
    [InlineData(KernelPath.Vector256)]
    [InlineData(KernelPath.Vector512)]
    public void A_forced_kernel_path_loads_where_the_cpu_runs_it_and_is_a_range_error_elsewhere(KernelPath path)
    {
        var options = new EclLoadOptions { KernelPath = (uint)path };
        EclStatus status = Load(&options, out void* model);
        Assert.Equal(KernelSelector.IsSupported(path, NumberFormat.Float32) ? EclStatus.Ok : EclStatus.InputRange, status);
        Assert.Equal(status == EclStatus.Ok, model != null);
        if (model != null)
        {
            EclKernelInfo info;
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelGetKernelInfo(model, &info));
            Assert.Equal((uint)path, info.KernelPath);
        }

        ClassifierApi.ModelFree(model);
    }

    [Fact]
    public void Null_pointers_are_null_argument()
    {
        var options = default(EclLoadOptions);
        fixed (byte* f = File)
        {
            Assert.Equal(EclStatus.NullArgument, ClassifierApi.ModelLoadWithOptions(f, (nuint)File.Length, &options, null));
            void* m = (void*)1;
            Assert.Equal(EclStatus.NullArgument, ClassifierApi.ModelLoadWithOptions(null, (nuint)File.Length, &options, &m));
            Assert.True(m == null);
        }
    }
}
