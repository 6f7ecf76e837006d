using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// The SDOT dense kernel (arm64 DotProd) against the scalar reference: here on x64 with the instruction's lane-by-lane
/// model (<see cref="DotProductModel"/>), which checks the weight layout, the zero-point correction folded into the
/// bias, the input tail and the output tail; on arm64 the native replays run the instruction itself.
/// </summary>
public class Int8DotDenseTests
{
    public static TheoryData<string> Networks() => ["OddSmall", "OddWide", "PoolFirst", "CompactV1", "CnnV1"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void DotProductDenseMatchesReferenceOnExtremes(string name)
    {
        NetworkDescription network = Int8KernelTests.Network(name);
        KernelPath[] paths = [.. new[] { KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported)];
        for (int seed = 0; seed < 4; seed++)
        {
            ModelDocument doc = Int8TestModels.ExtremeRandom(network, 100 + seed, leftShifts: seed < 2);
            Int8Context reference = Int8Model.FromDocument(doc, KernelPath.Scalar).CreateContext();
            foreach (KernelPath path in paths)
            {
                Int8Model model = Int8Model.FromDocument(doc, new ModelOptions { KernelPath = path, KeepEveryStep = true, DotProductDense = true });
                Assert.All(model.StepsCopy().Where(l => l.Kind == Int8StepKind.Dense), l =>
                {
                    Assert.Equal(KernelAlgorithm.DotProductDenseModel, l.Algorithm); // x64: SDOT's definition stands in
                    Assert.True(l.DotPacked >= 0 && l.DotBias >= 0);
                    Assert.Equal(-1, l.Packed);
                });
                Int8Context dot = model.CreateContext();
                for (int input = 0; input < 3; input++)
                {
                    sbyte[] q = Int8TestModels.RandomQuantizedInput(network, (seed * 10) + input);
                    Assert.Equal(reference.ClassifyQuantized(q), dot.ClassifyQuantized(q));
                    for (int s = 0; s < reference.StepCount; s++)
                    {
                        Assert.True(reference.StepOutput(s).SequenceEqual(dot.StepOutput(s)), $"{name} {path} seed {seed}: step {s} ({reference.StepKind(s)}) differs");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(5, 5)]  // 50 inputs: 12 whole quads and a partial one of 2
    [InlineData(4, 6)]  // 48 inputs: whole quads only
    public void ZeroPointQuadsAreSkippedExactly(int height, int width)
    {
        // A dense layer straight on the input, so the test sets how many input quads sit at the zero point: none,
        // under a quarter (every quad walked), half, nine in ten, all (the listed walk); the second layer's input is
        // the first's ReLU output, mostly at its zero point.
        var network = new NetworkDescription([new InputLayer(height, width), new ConcatenateLayer(), new FlattenLayer(),
            new DenseLayer(19, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer()]);
        KernelPath[] paths = [.. new[] { KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported)];
        int inputs = height * width * 2;
        for (int seed = 0; seed < 6; seed++)
        {
            // Calibrated parameters for half the seeds (outputs spread over the int8 range, so a wrong term shows),
            // the extremes for the others.
            ModelDocument doc = seed < 3 ? Int8TestModels.Quantized(network, 300 + seed).Int8 : Int8TestModels.ExtremeRandom(network, 300 + seed, leftShifts: seed % 2 == 0);
            Int8Model scalar = Int8Model.FromDocument(doc, new ModelOptions { KernelPath = KernelPath.Scalar, KeepEveryStep = true });
            Int8Context reference = scalar.CreateContext();
            sbyte zp = (sbyte)scalar.StepsCopy().First(l => l.Kind == Int8StepKind.Dense).InputZeroPoint;
            var random = new Random(seed);
            foreach (KernelPath path in paths)
            {
                Int8Context dot = Int8Model.FromDocument(doc, new ModelOptions { KernelPath = path, KeepEveryStep = true, DotProductDense = true }).CreateContext();
                foreach (double atZeroPoint in new[] { 0.0, 0.2, 0.5, 0.9, 1.0 })
                {
                    var q = new sbyte[inputs];
                    for (int quad = 0; quad < (inputs + 3) / 4; quad++)
                    {
                        bool zero = random.NextDouble() < atZeroPoint;
                        for (int k = 4 * quad; k < Math.Min(inputs, (4 * quad) + 4); k++)
                        {
                            q[k] = zero ? zp : (sbyte)random.Next(-128, 128);
                        }
                    }
                    Assert.Equal(reference.ClassifyQuantized(q), dot.ClassifyQuantized(q));
                    for (int s = 0; s < reference.StepCount; s++)
                    {
                        Assert.True(reference.StepOutput(s).SequenceEqual(dot.StepOutput(s)), $"{path} seed {seed} at zp {atZeroPoint}: step {s} ({reference.StepKind(s)}) differs");
                    }
                }
            }
        }
    }

    [Fact]
    public void DotProductModelIsSdotsDefinition()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            var a = new sbyte[16];
            var b = new sbyte[16];
            var acc = new int[4];
            for (int i = 0; i < 16; i++)
            {
                a[i] = trial % 7 == 0 ? sbyte.MinValue : (sbyte)random.Next(-128, 128);
                b[i] = trial % 11 == 0 ? sbyte.MinValue : (sbyte)random.Next(-128, 128);
            }
            for (int lane = 0; lane < 4; lane++)
            {
                acc[lane] = trial % 13 == 0 ? int.MaxValue - lane : random.Next(int.MinValue, int.MaxValue);
            }
            var result = DotProductModel.DotProduct(Vector128.Create(acc), Vector128.Create(a), Vector128.Create(b));
            for (int lane = 0; lane < 4; lane++)
            {
                long expected = acc[lane];
                for (int k = 0; k < 4; k++)
                {
                    expected += a[(4 * lane) + k] * b[(4 * lane) + k];
                }
                Assert.Equal(unchecked((int)expected), result.GetElement(lane)); // wraps like the instruction
            }
        }
    }

    [Fact]
    public void PackingAndCorrectionFollowTheirDefinitions()
    {
        var random = new Random(9);
        const int Inputs = 13, Units = 19; // an input tail of one and an output tail of three
        var w = new sbyte[Inputs * Units];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (sbyte)random.Next(-127, 128);
        }
        sbyte[] packed = Int8DotDense.Pack(w, Inputs, Units);
        Assert.Equal(4 * 32 * 4, packed.Length); // 4 quads x 32 padded outputs x 4
        for (int i = 0; i < 16; i++)
        {
            for (int o = 0; o < 32; o++)
            {
                sbyte expected = i < Inputs && o < Units ? w[(i * Units) + o] : (sbyte)0;
                Assert.Equal(expected, packed[(((((o / 16) * 4) + (i / 4)) * 16) + (o % 16)) * 4 + (i % 4)]);
            }
        }
        int[] bias = [.. Enumerable.Range(0, Units).Select(o => (o * 1000) - 7000)];
        int[] corrections = Int8DotDense.Corrections(bias, w, Inputs, Units, -128, 24);
        Assert.Equal(32, corrections.Length);
        for (int o = 0; o < Units; o++)
        {
            int sum = Enumerable.Range(0, Inputs).Sum(i => w[(i * Units) + o]);
            Assert.Equal(bias[o] + (128 * sum), corrections[o]);
        }
        Assert.All(corrections.Skip(Units), c => Assert.Equal(0, c));
        Assert.Throws<ArgumentException>(() => Int8DotDense.Pack(w.AsSpan(1), Inputs, Units));
    }

    [Fact]
    public void OnlyArm64WithDotProdPlansItByDefault()
    {
        ModelDocument doc = Int8TestModels.ExtremeRandom(Int8KernelTests.Network("OddSmall"), 1, leftShifts: false);
        bool expected = Int8Simd.IsSupportedArm64 && Int8DotDense.IsSupported;
        Assert.Equal(expected, Int8Model.FromDocument(doc, KernelPath.Auto).StepAlgorithms().Contains(KernelAlgorithm.DotProductDense));
        Assert.DoesNotContain(Int8Model.FromDocument(doc, new ModelOptions { KernelPath = KernelPath.Scalar, DotProductDense = true }).StepsCopy(),
            l => l.DotPacked >= 0 || l.Algorithm is KernelAlgorithm.DotProductDense or KernelAlgorithm.DotProductDenseModel);
    }
}
