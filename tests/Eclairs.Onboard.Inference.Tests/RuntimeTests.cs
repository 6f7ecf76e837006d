using System;
using System.Linq;
using System.Threading.Tasks;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>Allocation-free classification, determinism across contexts and threads, parameter verification, kernel choice.</summary>
public class RuntimeTests
{
    public static TheoryData<KernelPath> Paths => TestModels.Paths();

    [Fact]
    public void Contexts_on_many_threads_share_a_model_bit_for_bit()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(Architectures.CompactV1(), 2, out _));
        var inputs = Enumerable.Range(0, 8).Select(s => TestModels.RandomInput(56, 56, 100 + s)).ToArray();
        InferenceContext single = model.CreateContext();
        ClassificationResult[] expected = inputs.Select(x => single.Classify(x.Snr, x.Mask)).ToArray();
        var results = new ClassificationResult[4][];
        Parallel.For(0, 4, t =>
        {
            InferenceContext context = model.CreateContext();
            results[t] = new ClassificationResult[inputs.Length * 10];
            for (int r = 0; r < results[t].Length; r++)
            {
                (float[] snr, byte[] mask) = inputs[(r + t) % inputs.Length];
                results[t][r] = context.Classify(snr, mask);
            }
        });
        for (int t = 0; t < 4; t++)
        {
            for (int r = 0; r < results[t].Length; r++)
            {
                ClassificationResult e = expected[(r + t) % inputs.Length];
                Assert.Equal(BitConverter.SingleToInt32Bits(e.Logit), BitConverter.SingleToInt32Bits(results[t][r].Logit));
                Assert.Equal(e, results[t][r]);
            }
        }
    }

    [Fact]
    public void Reusing_a_context_does_not_carry_state()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(TestModels.OddWide(), 3, out _));
        InferenceContext context = model.CreateContext();
        var a = TestModels.RandomInput(11, 13, 1);
        var b = TestModels.RandomInput(11, 13, 2);
        ClassificationResult first = context.Classify(a.Snr, a.Mask);
        ClassificationResult other = context.Classify(b.Snr, b.Mask);
        Assert.NotEqual(first, other);
        Assert.Equal(first, context.Classify(a.Snr, a.Mask));
        Assert.Equal(first, model.CreateContext().Classify(a.Snr, a.Mask));
    }

    [Fact]
    public void Verify_detects_every_sampled_single_bit_flip()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(Architectures.CompactV1(), 4, out _));
        Assert.True(model.Verify());
        Span<int> bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(model.ParameterBlock);
        var random = new Random(5);
        int length = bits.Length;
        int[] words = [0, length - 1, .. Enumerable.Range(0, 100).Select(_ => random.Next(length))];
        foreach (int word in words)
        {
            int mask = 1 << random.Next(32);
            bits[word] ^= mask;
            Assert.False(model.Verify(), $"flip of word {word} mask 0x{mask:X8} not detected");
            bits[word] ^= mask;
            Assert.True(model.Verify());
        }
    }

    [Fact]
    public void Model_reports_its_figures()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(Architectures.CnnV1(), 6, out _));
        Assert.Equal(NumberFormat.Float32, model.NumberFormat);
        Assert.Equal(1_624_993, model.ParameterCount);
        Assert.Equal(17_862_784, model.Macs);
        Assert.True(model.ModelBytes >= 1_624_993 * 4);
        InferenceContext context = model.CreateContext();
        // Two ping-pong regions of 56·56·32 floats, the padded inputs of both convolutions and, on SIMD paths, one
        // workspace for the larger of conv2's Winograd F(4x4) (4 tiles x 36 points x (32 + 64), and the staging of an
        // edge tile: 36 x 32 + 16 x 64) and the dense layer's row list (12,544).
        long workspace = System.Math.Max((4 * 36 * 96) + (36 * 32) + (16 * 64), 12544);
        long expected = 4L * ((2 * 56 * 56 * 32) + (58 * 58 * 2) + (30 * 30 * 32) + (model.KernelPath == KernelPath.Scalar ? 0 : workspace));
        if (model.KernelPath == KernelPath.Scalar)
        {
            expected = 4L * 2 * 56 * 56 * 32;
        }
        Assert.InRange(context.ContextBytes, expected, expected + 1024);
        Assert.Equal(Model.BestAvailablePath, model.KernelPath);
    }

    [Fact]
    public void Unsupported_paths_are_refused_at_load()
    {
        ModelDocument doc = TestModels.RandomDocument(TestModels.OddSmall(), 1, out _);
        foreach (KernelPath path in Enum.GetValues<KernelPath>().Where(p => !Model.IsSupported(p)))
        {
            Assert.Throws<PlatformNotSupportedException>(() => Model.FromDocument(doc, new ModelOptions { KernelPath = path }));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.FromDocument(doc, new ModelOptions { KernelPath = (KernelPath)42 }));
    }

    [Fact]
    public void Classify_needs_a_classifier()
    {
        ModelDocument doc = TestModels.RandomDocument(TestModels.OddSmall(), 1, out _);
        InferenceContext context = Model.FromDocument(doc.Prefix(5)).CreateContext();
        var x = TestModels.RandomInput(7, 9, 1);
        Assert.Throws<InvalidOperationException>(() => context.Classify(x.Snr, x.Mask));
        Assert.Equal(10, context.OutputLength);
    }

    [Fact]
    public void Sigmoid_is_stable_at_the_extremes()
    {
        Assert.Equal(0.5f, InferenceContext.Sigmoid(0f));
        Assert.Equal(1f, InferenceContext.Sigmoid(100f));
        Assert.Equal(0f, InferenceContext.Sigmoid(-200f));
        Assert.Equal(1 / (1 + Math.Exp(3)), InferenceContext.Sigmoid(-3f), 1e-7);
    }
}

/// <summary>The parameter checksum behind <see cref="Model.Verify"/>: CRC-32C in three streams, hardware or not.</summary>
public class ParameterChecksumTests
{
    private static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0x82F63B78 ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }

    private static uint Reference(ReadOnlySpan<byte> data)
    {
        int third = data.Length / 24 * 8;
        var combined = new byte[12];
        BitConverter.TryWriteBytes(combined.AsSpan(0), BitwiseCrc32C(data[..third]));
        BitConverter.TryWriteBytes(combined.AsSpan(4), BitwiseCrc32C(data.Slice(third, third)));
        BitConverter.TryWriteBytes(combined.AsSpan(8), BitwiseCrc32C(data[(2 * third)..]));
        return BitwiseCrc32C(combined);
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, BitwiseCrc32C("123456789"u8));
        Assert.Equal(0xE3069283u, ParameterChecksum.ComputeSoftware("123456789"u8));
    }

    [Fact]
    public void Hardware_streams_agree_with_a_bitwise_definition_on_every_length()
    {
        var data = new byte[300];
        new Random(2).NextBytes(data);
        for (int n = 0; n <= data.Length; n++)
        {
            Assert.Equal(Reference(data.AsSpan(0, n)), ParameterChecksum.Compute(data.AsSpan(0, n)));
        }
        var big = new byte[100_003];
        new Random(3).NextBytes(big);
        Assert.Equal(Reference(big), ParameterChecksum.Compute(big));
    }

    [Fact]
    public void Every_bit_flip_of_a_small_block_changes_the_checksum()
    {
        var data = new byte[200];
        new Random(4).NextBytes(data);
        uint clean = ParameterChecksum.Compute(data);
        for (int bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(clean, ParameterChecksum.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}

/// <summary>
/// Allocation measurements run alone (after the parallel tests): a garbage collection triggered by another test's
/// large arrays resets this thread's allocation context and skews GetAllocatedBytesForCurrentThread.
/// </summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationTestGroup
{
}

[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    /// <summary>
    /// Collects the garbage earlier tests left (hundreds of MB of model copies): otherwise the runtime's clean-up of
    /// it was seen to add a one-off 4,736 bytes to this thread's counter in the middle of the measured loop, with no
    /// allocation site in the classification path.
    /// </summary>
    internal static void SettleHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    public static TheoryData<KernelPath> Paths => TestModels.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Classify_allocates_nothing(KernelPath path)
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(Architectures.CompactV1(), 1, out _), new ModelOptions { KernelPath = path });
        InferenceContext context = model.CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(56, 56, 1);
        float sum = 0;
        for (int i = 0; i < 10; i++)
        {
            sum += context.Classify(snr, mask).Probability;
        }
        SettleHeap();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sum += context.Classify(snr, mask).Probability;
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.True(sum > 0);
    }

    [Fact]
    public void Deck_network_classify_allocates_nothing()
    {
        Model model = Model.FromDocument(TestModels.RandomDocument(Architectures.CnnV1(), 1, out _));
        InferenceContext context = model.CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(56, 56, 1);
        for (int i = 0; i < 5; i++)
        {
            context.Classify(snr, mask);
        }
        SettleHeap();
        int gcs = GC.CollectionCount(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long first = -1;
        for (int i = 0; i < 1000; i++)
        {
            context.Classify(snr, mask);
            if (first < 0 && GC.GetAllocatedBytesForCurrentThread() != before)
            {
                first = i;
            }
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before == 0, $"{GC.GetAllocatedBytesForCurrentThread() - before} bytes, first at call {first}, gcs {GC.CollectionCount(0) - gcs}");
    }
}
