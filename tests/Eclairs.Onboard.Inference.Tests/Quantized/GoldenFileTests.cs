using System;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// A committed int8 model (the compact architecture, random weights, quantized on synthetic alerts) and its golden
/// vectors from the scalar reference: every kernel path must reproduce them bit for bit, now and after any change.
/// Regenerate (only when the semantics change on purpose) with ECLAIRS_WRITE_GOLDEN=1.
/// </summary>
public sealed class GoldenFileTests
{
    private const string ModelFile = "Quantized/Golden/compact-random.int8.eclw";
    private const string VectorFile = "Quantized/Golden/compact-random.golden";
    private const int VectorCount = 4;

    private static string SourcePath(string relative, [System.Runtime.CompilerServices.CallerFilePath] string self = "") =>
        Path.Combine(Path.GetDirectoryName(self)!, "..", relative);

    [Fact]
    public void EveryPathReproducesTheCommittedGoldenVectors()
    {
        if (Environment.GetEnvironmentVariable("ECLAIRS_WRITE_GOLDEN") == "1")
        {
            Write();
        }
        byte[] modelBytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, ModelFile));
        GoldenVectorSet set = GoldenVectors.Read(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, VectorFile)));
        Assert.Equal(VectorCount, set.Vectors.Count);
        foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            foreach (bool every in new[] { true, false }) // the fast plan (pools fused) and the every-step plan
            {
                Int8Model model = Int8Model.Load(modelBytes, new ModelOptions { KernelPath = path, KeepEveryStep = every });
                Assert.Equal(set.ModelChecksum, model.Checksum);
                Assert.Equal(0, GoldenVectors.CountMismatches(model, set));
            }
        }
        // The vectors are not degenerate: the logits differ between alerts.
        Assert.True(set.Vectors.Select(v => v.RawLogit).Distinct().Count() > 1);
    }

    private static void Write()
    {
        (ModelDocument _, ModelDocument q) = Int8TestModels.Quantized(Architectures.CompactV1(), 5);
        q = q with { Name = "compact-random-int8", Provenance = "tests: CompactV1, TestModels.RandomDocument seed 5, Quantizer on 16 synthetic alerts (seeds 1005..1020)" };
        byte[] model = EclwWriter.ToBytes(q);
        GoldenVectorSet set = GoldenVectors.Create(Int8Model.Load(model, KernelPath.Scalar), Int8TestModels.Alerts(q.Network, VectorCount, 20000));
        File.WriteAllBytes(SourcePath(ModelFile), model);
        File.WriteAllBytes(SourcePath(VectorFile), GoldenVectors.ToBytes(set));
        File.WriteAllBytes(Path.Combine(AppContext.BaseDirectory, ModelFile), model);
        File.WriteAllBytes(Path.Combine(AppContext.BaseDirectory, VectorFile), GoldenVectors.ToBytes(set));
    }
}
