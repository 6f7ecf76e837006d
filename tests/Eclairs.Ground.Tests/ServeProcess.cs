using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Eclairs.Ground.Tests;

/// <summary>The built <c>eclairs</c> tool as a child process (copied beside the tests by the project reference).</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "eclairs.dll"));
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("ECLAIRS_POSTGRES");
        return start;
    }

    /// <summary>Runs a command to its end, feeding <paramref name="input"/> on standard input.</summary>
    public static (int Code, string Output, string Error) Run(string? input, params string[] arguments)
    {
        using Process p = Process.Start(StartInfo(arguments))!;
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        Task<string> error = p.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            p.StandardInput.WriteLine(input);
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"eclairs {string.Join(' ', arguments)} did not end in 2 minutes");
        }

        return (p.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts <c>eclairs serve</c> on a free port and waits until it listens.</summary>
    public static ServeProcess Start(string dataDir, params string[] extra)
    {
        var args = new List<string> { "serve", "--data-dir", dataDir, "--urls", "http://127.0.0.1:0", "--models", TestPaths.Weights };
        args.AddRange(extra);
        Process process = Process.Start(StartInfo([.. args]))!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        void Take(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            const string marker = "listening on ";
            int at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
            }
        }

        process.OutputDataReceived += (_, e) => Take(e.Data);
        process.ErrorDataReceived += (_, e) => Take(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("eclairs serve exited:\n" + string.Join('\n', lines)));
        process.EnableRaisingEvents = true;
        if (!listening.Task.Wait(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("eclairs serve did not start listening in 90 s:\n" + string.Join('\n', lines));
        }

        var serve = new ServeProcess(process, listening.Task.Result);
        lock (lines)
        {
            serve._output.AddRange(lines);
        }

        return serve;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or kill -9.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        Thread.Sleep(0);
    }
}
