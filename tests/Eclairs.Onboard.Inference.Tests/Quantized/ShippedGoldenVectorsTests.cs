using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// The shipped int8 models against their committed per-layer golden vectors (tests/native/vectors/*.int8.eclg, made
/// by the scalar reference from test-split alerts by tools/quantize-shipped.sh): every kernel path, every layer's
/// int8 output, the raw logit and the decision, bit for bit.
/// </summary>
public sealed class ShippedGoldenVectorsTests
{
    internal static string RepoPath(string relative, [System.Runtime.CompilerServices.CallerFilePath] string self = "") =>
        Path.Combine(Path.GetDirectoryName(self)!, "..", "..", "..", relative);

    [Theory]
    [InlineData("eclairs-cnn-v1", 2)]
    [InlineData("eclairs-compact-v1", 8)]
    public void EveryPathReproducesTheShippedModelsGoldenVectors(string name, int count)
    {
        byte[] modelBytes = File.ReadAllBytes(RepoPath($"weights/{name}.int8.eclw"));
        GoldenVectorSet set = GoldenVectors.Read(File.ReadAllBytes(RepoPath($"tests/native/vectors/{name}.int8.eclg")));
        Assert.Equal(count, set.Vectors.Count);
        foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            foreach (bool every in new[] { true, false }) // the fast plan (pools fused) and the every-step plan
            {
                Int8Model model = Int8Model.Load(modelBytes, new ModelOptions { KernelPath = path, KeepEveryStep = every });
                Assert.Equal(set.ModelChecksum, model.Checksum); // vectors of this very file
                Assert.Equal(0, GoldenVectors.CountMismatches(model, set));
            }
        }
        Assert.True(set.Vectors.Select(v => v.RawLogit).Distinct().Count() > 1, "degenerate vectors: one logit for every alert");
    }

    [Theory]
    [InlineData("eclairs-cnn-v1")]
    [InlineData("eclairs-compact-v1")]
    public void Int8ModelsAreQuantizedFromTheCurrentFloatModels(string name)
    {
        ModelDocument f = EclwReader.Read(File.ReadAllBytes(RepoPath($"weights/{name}.f32.eclw")));
        Int8Model q = Int8Model.Load(File.ReadAllBytes(RepoPath($"weights/{name}.int8.eclw")));
        const string Rerun = "weights/*.f32.eclw changed after quantization: rerun tools/quantize-shipped.sh";
        Assert.True(f.DecisionThreshold == q.DecisionThreshold, Rerun);
        Assert.True(f.Network.ParameterCount == q.Network.ParameterCount, Rerun);
        ModelDocument qd = EclwReader.Read(File.ReadAllBytes(RepoPath($"weights/{name}.int8.eclw")));
        Assert.True(qd.Provenance.StartsWith(f.Provenance, System.StringComparison.Ordinal), Rerun);
    }
}
