using System;
using System.IO;

namespace Eclairs.Ground.Tests;

/// <summary>Where the repository, its shipped models and the real SVOM notices are.</summary>
internal static class TestPaths
{
    public static string Root { get; } = FindRoot();

    public static string Weights => Path.Combine(Root, "weights");

    /// <summary>The twenty real notices in the shared folder beside the repository (or $ECLAIRS_NOTICES).</summary>
    public static string? Notices
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("ECLAIRS_NOTICES");
            foreach (string candidate in new[] { env ?? "", Path.Combine(Root, "..", "shared", "data", "gcn-svom-eclairs"), Path.Combine(Root, "..", "..", "shared", "data", "gcn-svom-eclairs"), "/work/shared/data/gcn-svom-eclairs" })
            {
                if (candidate.Length > 0 && Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }

            return null;
        }
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string NewTempDir(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Eclairs.Onboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
