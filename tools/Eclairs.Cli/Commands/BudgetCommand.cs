using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Budget;
using Eclairs.Onboard.Inference;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs budget --out docs/budget.md</c>: the budget report of the shipped models (logic in tools/Eclairs.Budget).</summary>
internal static class BudgetCommand
{
    private static readonly string[] DefaultLibraries =
        ["artifacts/native/linux-x64/libeclairs_onboard.so", "artifacts/native/linux-arm64/libeclairs_onboard.so"];

    private const string RegenerateCommand = "dotnet run -c Release --project tools/Eclairs.Cli -- budget --out docs/budget.md";

    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "Markdown report to write.", Required = true };
        var weights = new Option<DirectoryInfo>("--weights") { Description = "Folder of the .eclw models to report.", DefaultValueFactory = _ => new DirectoryInfo("weights") };
        var counts = new Option<FileInfo>("--counts") { Description = "Instruction counts of tools/budget/count-instructions.sh (used if present).", DefaultValueFactory = _ => new FileInfo("docs/instruction-counts.tsv") };
        var leon = new Option<FileInfo>("--leon3") { Description = "LEON3 measurements (used if present).", DefaultValueFactory = _ => new FileInfo("docs/leon3-measured.tsv") };
        var alert = new Option<FileInfo>("--alert") { Description = "Vector file whose first alert is classified.", DefaultValueFactory = _ => new FileInfo("tests/native/vectors/eclairs-compact-v1.f32.eclv") };
        var library = new Option<FileInfo[]>("--native-library") { Description = "Published libeclairs_onboard.so to size (repeatable; default: artifacts/native/*/ if built)." };
        var rounds = new Option<int>("--rounds") { Description = "Timed calls per item on the best path.", DefaultValueFactory = _ => 201 };
        var command = new Command("budget",
            "Write the budget report: per-layer MACs, parameters, bytes and time; totals; context and library sizes; instruction counts; projections to LEON- and Cortex-A53-class cores.")
        {
            output, weights, counts, leon, alert, library, rounds,
        };
        command.SetAction(parse =>
        {
            try
            {
                string load0 = LoadAverage();
                (float[] Snr, byte[] Mask) input = VectorFileAlert.ReadFirst(File.ReadAllBytes(parse.GetValue(alert)!.FullName));
                var models = new List<ModelFigures>();
                foreach (string path in Directory.GetFiles(parse.GetValue(weights)!.FullName, "*.eclw").Order(StringComparer.Ordinal))
                {
                    Console.Error.WriteLine($"budget: measuring {Path.GetFileName(path)}");
                    models.Add(BudgetMeasurement.Measure(path, parse.GetValue(rounds), input));
                }
                if (models.Count == 0)
                {
                    Console.Error.WriteLine("budget: no .eclw model in the weights folder");
                    return 1;
                }
                FileInfo countsFile = parse.GetValue(counts)!;
                FileInfo leonFile = parse.GetValue(leon)!;
                var inputs = new BudgetInputs(models,
                    countsFile.Exists ? InstructionCounts.Parse(File.ReadAllText(countsFile.FullName)) : null, Relative(countsFile),
                    leonFile.Exists ? LeonMeasurements.Parse(File.ReadAllText(leonFile.FullName)) : null, Relative(leonFile),
                    Libraries(parse.GetValue(library)), Machine(load0), RegenerateCommand, DateTime.UtcNow);
                FileInfo destination = parse.GetValue(output)!;
                File.WriteAllText(destination.FullName, BudgetReport.Render(inputs));
                Console.WriteLine($"{destination.FullName}: {models.Count} models");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ModelFormatException)
            {
                Console.Error.WriteLine($"budget: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static List<LibraryFile> Libraries(FileInfo[]? given)
    {
        IEnumerable<FileInfo> files = given is { Length: > 0 }
            ? given
            : DefaultLibraries.Select(p => new FileInfo(p)).Where(f => f.Exists);
        var list = new List<LibraryFile>();
        foreach (FileInfo f in files)
        {
            if (!f.Exists)
            {
                throw new FileNotFoundException($"native library {f.FullName} not found");
            }
            list.Add(new LibraryFile(Relative(f), f.Length));
        }
        return list;
    }

    private static string Relative(FileInfo f) => Path.GetRelativePath(Environment.CurrentDirectory, f.FullName);

    private static string Machine(string loadAtStart)
    {
        string cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim() ?? cpu;
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, best float path "
            + $"{Model.BestAvailablePath}, load average {loadAtStart} at start and {LoadAverage()} at end";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
