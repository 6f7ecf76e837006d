using System;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onboard.Native;
using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>The classifier entry points against the managed engine they wrap.</summary>
public unsafe class ClassifierApiTests
{
    [Fact]
    public void Kernel_info_reports_the_selectors_plan_and_the_running_variant()
    {
        void* model = TestModels.LoadCompact();
        EclKernelInfo info;
        Assert.Equal(EclStatus.NullArgument, ClassifierApi.ModelGetKernelInfo(model, null));
        Assert.Equal(EclStatus.NullArgument, ClassifierApi.ModelGetKernelInfo(null, &info));
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelGetKernelInfo(model, &info));
        AlertClassifier expected = AlertClassifier.FromDocument(TestModels.CompactDocument());
        Assert.Equal((uint)expected.KernelPath, info.KernelPath);
        KernelAlgorithm[] steps = expected.StepAlgorithms();
        Assert.Equal((uint)steps.Length, info.StepCount);
        for (int i = 0; i < EclKernelInfo.MaxSteps; i++)
        {
            Assert.Equal(i < steps.Length ? (byte)steps[i] : (byte)0, info.StepKernel[i]);
        }
        string isa = new string((sbyte*)info.InstructionSet);
        string lanes = new string((sbyte*)info.Lanes);
        Assert.StartsWith("jit ", isa); // the tests run the managed library under the JIT
        Assert.False(string.IsNullOrEmpty(lanes));
        Assert.Equal(expected.KernelPath == KernelPath.Scalar, lanes == "scalar");
        ClassifierApi.ModelFree(model);
    }

    private static void Load(byte[] file)
    {
        void* model = (void*)1;
        try
        {
            fixed (byte* f = file)
            {
                ClassifierApi.ModelLoad(f, (nuint)file.Length, &model);
            }
        }
        finally
        {
            Assert.True(model == null);
        }
    }

    [Fact]
    public void A_network_without_a_final_sigmoid_is_unsupported_in_both_number_formats()
    {
        // The header: ECL_E_MODEL_UNSUPPORTED "also: not a 56 x 56 sigmoid classifier" (int8 files used to give ECL_E_MODEL_FORMAT).
        var network = new NetworkDescription([new InputLayer(56, 56), new ConcatenateLayer(), new FlattenLayer(), new DenseLayer(1, Activation.None)]);
        int inputs = 56 * 56 * 2;
        var layer = new Int8LayerParameters(3, new sbyte[inputs], [0], [0.01f], [1 << 30], [-4], 0.05f, 0);
        var int8 = new ModelDocument("no-sigmoid-int8", network, new Int8Parameters(9, -100, 0, [layer]).ToTensors(network)) { NumberFormat = NumberFormat.Int8 };
        ModelDocument float32 = TestModels.CompactDocument().Prefix(Architectures.CompactV1().LayerCount - 1);
        foreach (ModelDocument document in new[] { int8, float32 })
        {
            byte[] file = EclwWriter.ToBytes(document);
            // ecl_model_load maps what ModelLoad throws (ClassifierExports.Fail): the code, and *out set to NULL first.
            ModelFormatException e = Assert.Throws<ModelFormatException>(() => Load(file));
            Assert.Equal(ModelFormatError.NotAClassifier, e.Error);
            Assert.Equal(EclStatus.ModelUnsupported, StatusMapping.From(e));
        }
    }

    [Fact]
    public void ClassifyAndInfoGiveTheEnginesFigures()
    {
        void* model = TestModels.LoadCompact();
        void* context;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(model, &context));
        float[] snr = new float[3136];
        byte[] mask = new byte[3136];
        for (int i = 0; i < snr.Length; i++)
        {
            snr[i] = MathF.Sin(i * 0.37f) * 3;
            mask[i] = (byte)(i % 7 == 0 ? 0 : 1);
        }

        Model engine = Model.FromDocument(TestModels.CompactDocument());
        EclModelInfo info;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelGetInfo(model, &info));
        Assert.Equal((ulong)engine.ParameterCount, info.ParameterCount);
        Assert.Equal((ulong)engine.Macs, info.Macs);
        Assert.Equal(engine.Checksum, info.Checksum);
        Assert.Equal((ulong)engine.CreateContext().ContextBytes, info.ContextBytes);
        Assert.Equal("compact-random", new string((sbyte*)info.Name));

        ClassificationResult expected = engine.CreateContext().Classify(snr, mask);
        EclResult result;
        fixed (float* s = snr)
        fixed (byte* m = mask)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.Classify(context, s, m, &result));
        }

        Assert.Equal(expected.Logit, result.Logit);
        Assert.Equal(expected.Probability, result.Probability);
        Assert.Equal(expected.IsTrueAlert ? 1 : 0, result.IsTrueAlert);
        Assert.Equal(0, result.RawLogit);
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelVerify(model));
        ClassifierApi.ContextFree(context);
        ClassifierApi.ModelFree(model);
    }

    [Fact]
    public void ANameOfTheLongestAllowedLengthKeepsItsNul()
    {
        ModelDocument document = TestModels.CompactDocument() with { Name = new string('a', 61) + "é" };
        byte[] file = EclwWriter.ToBytes(document);
        void* model;
        fixed (byte* f = file)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoad(f, (nuint)file.Length, &model));
        }

        EclModelInfo info;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelGetInfo(model, &info));
        Assert.Equal(document.Name, System.Text.Encoding.UTF8.GetString(info.Name, 63));
        Assert.Equal(0, info.Name[63]);
        ClassifierApi.ModelFree(model);
    }

    [Fact]
    public void AnInt8ModelRunsBehindTheSameAbiWithItsRawLogit()
    {
        byte[] file = System.IO.File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "compact-random.int8.eclw"));
        void* model;
        fixed (byte* f = file)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoad(f, (nuint)file.Length, &model));
        }

        EclModelInfo info;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelGetInfo(model, &info));
        Assert.Equal(1u, info.NumericFormat);
        Int8Model reference = Int8Model.Load(file, KernelPath.Scalar);
        Assert.Equal((ulong)reference.Network.ParameterCount, info.ParameterCount);
        Int8Context expected = reference.CreateContext();

        void* context;
        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(model, &context));
        var rng = new Random(9);
        float[] snr = new float[3136];
        byte[] mask = new byte[3136];
        var raws = new System.Collections.Generic.HashSet<int>();
        for (int n = 0; n < 20; n++)
        {
            for (int i = 0; i < snr.Length; i++)
            {
                snr[i] = (float)((rng.NextDouble() * 6) - 2) * (n % 4);
                mask[i] = (byte)(i % 11 == 0 ? 0 : 1 + (n % 2));
            }

            mask[(28 * 56) + 28] = 3;
            Int8ClassificationResult want = expected.Classify(snr, mask);
            EclResult got;
            fixed (float* s = snr)
            fixed (byte* m = mask)
            {
                Assert.Equal(EclStatus.Ok, ClassifierApi.Classify(context, s, m, &got));
                m[7] = 4;
                Assert.Equal(EclStatus.InputMask, ClassifierApi.Classify(context, s, m, &got));
            }

            Assert.Equal(want.RawLogit, got.RawLogit);
            Assert.Equal(want.IsTrueAlert ? 1 : 0, got.IsTrueAlert);
            Assert.Equal(want.Probability, got.Probability);
            raws.Add(got.RawLogit);
        }

        Assert.True(raws.Count > 1, "every input gave the same raw logit");
        Assert.Equal(EclStatus.Ok, ClassifierApi.ModelVerify(model));
        ClassifierApi.ContextFree(context);
        ClassifierApi.ModelFree(model);
    }
}
