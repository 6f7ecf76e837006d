using System;
using System.Diagnostics;
using System.IO;

namespace Eclairs.Onnx.Tests;

/// <summary>Runs the eclairs tool (built beside the tests) as a process, as a user runs it.</summary>
internal static class EclairsProcess
{
    public static (int Code, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "eclairs.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }
}
