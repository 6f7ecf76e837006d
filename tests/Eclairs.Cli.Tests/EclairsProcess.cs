using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Eclairs.Cli.Tests;

/// <summary>Runs the built <c>eclairs</c> tool (copied beside the tests by the project reference) as a child process.</summary>
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

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"eclairs {string.Join(' ', arguments)} did not finish in 3 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs and fails the test with the tool's output when the exit code is not 0.</summary>
    public static string Ok(params string[] arguments)
    {
        (int code, string output, string error) = Run(arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"eclairs {string.Join(' ', arguments)} exited {code}:\n{output}\n{error}");
        }

        return output;
    }
}
