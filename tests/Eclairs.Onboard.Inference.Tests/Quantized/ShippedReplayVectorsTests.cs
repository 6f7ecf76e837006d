using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// The shipped int8 models on the 64 recorded test-split alerts of tests/native/vectors/*.int8.eclv (written by
/// `eclairs vectors` from the scalar reference): every vector path gives the recorded raw logit and decision. On these
/// alerts 93-99 % of cnn-v1's dense inputs are at the zero point, so its dense layer takes the listed-rows walk
/// (NonZeroRows), which these alerts check bit for bit; the random networks of the kernel tests mostly take the
/// every-row walk.
/// </summary>
public sealed class ShippedReplayVectorsTests
{
    private const int Pixels = 3136, HeaderBytes = 20, RecordBytes = (5 * Pixels) + 12;

    [Theory]
    [InlineData("eclairs-cnn-v1")]
    [InlineData("eclairs-compact-v1")]
    public void Every_path_gives_the_recorded_raw_logits(string name)
    {
        byte[] file = File.ReadAllBytes(ShippedGoldenVectorsTests.RepoPath($"tests/native/vectors/{name}.int8.eclv"));
        int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8));
        Assert.Equal(64, count);
        byte[] modelBytes = File.ReadAllBytes(ShippedGoldenVectorsTests.RepoPath($"weights/{name}.int8.eclw"));
        foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            Int8Context context = Int8Model.Load(modelBytes, new ModelOptions { KernelPath = path }).CreateContext();
            for (int a = 0; a < count; a++)
            {
                ReadOnlySpan<byte> record = file.AsSpan(HeaderBytes + (a * RecordBytes), RecordBytes);
                float[] snr = MemoryMarshal.Cast<byte, float>(record[..(4 * Pixels)]).ToArray();
                byte[] mask = record.Slice(4 * Pixels, Pixels).ToArray();
                int raw = BinaryPrimitives.ReadInt32LittleEndian(record[((5 * Pixels) + 4)..]);
                bool decision = BinaryPrimitives.ReadInt32LittleEndian(record[((5 * Pixels) + 8)..]) == 1;
                Int8ClassificationResult r = context.Classify(snr, mask);
                Assert.True(raw == r.RawLogit && decision == r.IsTrueAlert, $"{name}, {path}, alert {a}: raw logit {r.RawLogit}, recorded {raw}");
            }
        }
    }
}
