using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Eclairs.Cli.Tests;

/// <summary>
/// Every command, run as a process, answers a missing file, a malformed model or data set and a bad option value
/// with one line on stderr naming what is wrong, a non-zero exit code and no stack trace (unless --verbose).
/// </summary>
public sealed class CommandErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eclairs-cli-errors-").FullName;

    private string Junk(string name)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, Enumerable.Range(0, 3000).Select(i => (byte)(i * 37 % 251)).ToArray());
        return path;
    }

    private string Missing(string name) => Path.Combine(_dir, "no-such-" + name);

    private static string Shipped(string file) => Path.Combine(CliPaths.RepositoryRoot(), "weights", file);

    private static void AssertOneLineError(int expectedCode, string expectedFragment, params string[] arguments)
    {
        (int code, _, string error) = EclairsProcess.Run(arguments);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string shown = $"eclairs {string.Join(' ', arguments)} -> {code}:\n{error}";
        Assert.True(code == expectedCode, shown);
        Assert.True(lines.Length == 1, shown);
        Assert.Contains(expectedFragment, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Eclairs.", error, StringComparison.Ordinal);
    }

    /// <summary>Every command listed by --help, so a command added later is covered without editing this test.</summary>
    public static TheoryData<string> Commands()
    {
        string help = EclairsProcess.Ok("--help");
        string[] lines = help[(help.IndexOf("Commands:", StringComparison.Ordinal) + 9)..].Split('\n');
        var data = new TheoryData<string>();
        foreach (string line in lines.Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal)))
        {
            data.Add(line.Trim().Split(' ')[0]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void An_unknown_option_is_one_line_and_exit_code_2(string command)
    {
        AssertOneLineError(2, $"eclairs {command}: Unrecognized command or argument '--no-such-option'", command, "--no-such-option");
    }

    [Fact]
    public void A_value_that_does_not_parse_is_one_line_and_exit_code_2()
    {
        AssertOneLineError(2, "'abc' for option '--epochs'", "train", "--data", "x.npz", "--out", "y.eclw", "--epochs", "abc");
    }

    [Fact]
    public void Describe_names_the_missing_or_malformed_model_file()
    {
        AssertOneLineError(1, "no-such-m.eclw: no such file", "describe", "--model", Missing("m.eclw"));
        AssertOneLineError(1, "junk.eclw: magic is", "describe", "--model", Junk("junk.eclw"));
        byte[] cut = File.ReadAllBytes(Shipped("eclairs-compact-v1.f32.eclw"))[..5000];
        string truncated = Path.Combine(_dir, "cut.eclw");
        File.WriteAllBytes(truncated, cut);
        AssertOneLineError(1, "cut.eclw: header declares", "describe", "--model", truncated);
        AssertOneLineError(1, "unknown architecture 'nope'", "describe", "--arch", "nope");
    }

    [Fact]
    public void Evaluate_names_the_malformed_data_set_and_the_malformed_model()
    {
        AssertOneLineError(1, "junk.npz: not a readable .npz", "evaluate", "--model", Shipped("eclairs-compact-v1.f32.eclw"), "--data", Junk("junk.npz"), "--report", _dir);
        AssertOneLineError(1, "no-such-d.npz: no such file", "evaluate", "--model", Junk("m.eclw"), "--data", Missing("d.npz"), "--report", _dir);
    }

    [Theory]
    [InlineData("train", "--data", "{missing}", "--out", "{dir}/m.eclw")]
    [InlineData("threshold", "--model", "{compact}", "--data", "{missing}", "--out", "{dir}/m.eclw")]
    [InlineData("baseline", "--data", "{missing}", "--out", "{dir}/b.json")]
    [InlineData("quantize", "--model", "{missing}", "--calibration", "{missing}", "--out", "{dir}/q.eclw")]
    [InlineData("vectors", "--model", "{missing}", "--out", "{dir}/v.eclv")]
    [InlineData("import-alerts", "--fits-dir", "{missing}", "--out", "{dir}/a.npz")]
    [InlineData("crossval", "--data", "{missing}", "--arch", "compact-v1", "--epochs", "1")]
    [InlineData("crossval", "--data", "{missing}", "--init", "{compact}", "--epochs", "0")]
    [InlineData("calibrate", "--model", "{missing}", "--data", "{missing}", "--out", "{dir}/c.eclw")]
    [InlineData("calibrate", "--model", "{compact}", "--data", "{missing}", "--out", "{dir}/c.eclw")]
    [InlineData("evaluate", "--model", "{compact}", "--data", "{missing}", "--report", "{dir}/r")]
    [InlineData("train", "--data", "{missing}", "--init", "{compact}", "--qat", "{missing}", "--out", "{dir}/m.eclw")]
    public void A_missing_input_is_named(params string[] template)
    {
        string missing = Missing("input");
        string[] arguments = template.Select(a => a.Replace("{missing}", missing, StringComparison.Ordinal)
            .Replace("{dir}", _dir, StringComparison.Ordinal)
            .Replace("{compact}", Shipped("eclairs-compact-v1.f32.eclw"), StringComparison.Ordinal)).ToArray();
        AssertOneLineError(1, missing, arguments);
    }

    [Fact]
    public void A_malformed_training_set_is_named()
    {
        AssertOneLineError(1, "junk.npz: not a readable .npz", "train", "--data", Junk("junk.npz"), "--out", Path.Combine(_dir, "m.eclw"));
        AssertOneLineError(1, "junk.npz: not a readable .npz", "baseline", "--data", Junk("junk.npz"), "--out", Path.Combine(_dir, "b.json"));
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_after_the_line()
    {
        (int code, _, string error) = EclairsProcess.Run("describe", "--model", Junk("junk.eclw"), "--verbose");
        Assert.Equal(1, code);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("eclairs describe: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("ModelFormatException", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at Eclairs.", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
