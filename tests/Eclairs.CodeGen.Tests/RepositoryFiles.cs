using System;
using System.IO;

namespace Eclairs.CodeGen.Tests;

/// <summary>Model files of the repository, read where they are (the shipped models may be re-quantized: never hard-code their content).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Root, relative));

    public static byte[] RandomCompactInt8 => Read("tests/Eclairs.Onboard.Inference.Tests/Quantized/Golden/compact-random.int8.eclw");

    private static string FindRoot()
    {
        for (string? d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Eclairs.Onboard.sln")))
            {
                return d;
            }
        }
        throw new InvalidOperationException("repository root (Eclairs.Onboard.sln) not found above " + AppContext.BaseDirectory);
    }
}
