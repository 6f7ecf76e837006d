using System;
using System.IO;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// The models of tests/codegen/fixtures, which the coverage stage (tests/codegen/coverage.sh) drives with
/// `eclairs vectors` (networks CoverageA and CoverageB, extreme and tame parameters) and whose generated C the static
/// checks read (Tiny and ResidualSmall, tests/codegen/static.sh) and the residual network tests/codegen/run.sh replays
/// on the host, LEON3 and Cortex-M4 (Residual) are exactly what <see cref="ExtremeModels"/> builds. Regenerate on
/// purpose with ECLAIRS_WRITE_FIXTURES=1.
/// </summary>
public sealed class CoverageFixtureTests
{
    public static TheoryData<string, int> Fixtures() => new() { { "CoverageA", 0 }, { "CoverageA", 1 }, { "CoverageB", 0 }, { "CoverageB", 1 }, { "Tiny", 1 },
        { "Residual", 1 }, { "ResidualSmall", 1 } };

    /// <summary>The fixture's path, relative to the repository.</summary>
    internal static string RelativePath(string network, int seed) =>
        $"tests/codegen/fixtures/{network.ToLowerInvariant()}-{(seed == 1 ? "tame" : "extreme")}.int8.eclw";

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void FixtureIsTheGeneratorsModel(string network, int seed)
    {
        byte[] expected = EclwWriter.ToBytes(ExtremeModels.Random(ExtremeModels.Network(network), seed, tame: seed == 1));
        string path = Path.Combine(RepositoryFiles.Root, RelativePath(network, seed));
        if (Environment.GetEnvironmentVariable("ECLAIRS_WRITE_FIXTURES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, expected);
        }
        Assert.Equal(expected, File.ReadAllBytes(path));
    }
}
