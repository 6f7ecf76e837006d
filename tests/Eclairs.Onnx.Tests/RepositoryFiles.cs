using System;
using System.IO;

namespace Eclairs.Onnx.Tests;

/// <summary>Files of the repository (shipped weights, committed fixtures), found from the test's output directory.</summary>
internal static class RepositoryFiles
{
    public static string Root()
    {
        for (string? d = AppContext.BaseDirectory; d != null; d = System.IO.Path.GetDirectoryName(d))
        {
            if (File.Exists(System.IO.Path.Combine(d, "Eclairs.Onboard.sln")))
            {
                return d;
            }
        }
        throw new DirectoryNotFoundException("no Eclairs.Onboard.sln above " + AppContext.BaseDirectory);
    }

    public static string Path(string relative) => System.IO.Path.Combine(Root(), relative);
}
