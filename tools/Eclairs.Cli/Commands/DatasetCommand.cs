using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;
using Spectre.Console;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs dataset</c>: simulates a preset's alerts through the trigger and writes them as .npz
/// (plus the ground truth as JSON, and optionally every alert as FITS); <c>--survey N</c> instead
/// measures each scenario's alert yield and quality-flag mix over N observations.
/// </summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "seed | seed-simplified | large | unclear | shifted | new-causes", DefaultValueFactory = _ => "seed" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the whole data set (same seed, same bytes).", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo?>("--out") { Description = "The .npz to write (the truth goes beside it as .truth.json)." };
        var scale = new Option<double>("--scale") { Description = "Multiply the preset's counts (quick looks, tests).", DefaultValueFactory = _ => 1.0 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0: every core).", DefaultValueFactory = _ => 0 };
        var fitsDir = new Option<DirectoryInfo?>("--fits-dir") { Description = "Also write every alert as a FITS file in this directory." };
        var survey = new Option<int>("--survey") { Description = "Instead of a data set: N observations per scenario, print yields and quality flags (on --preset's instrument when given).", DefaultValueFactory = _ => 0 };
        var profile = new Option<bool>("--profile") { Description = "Also print the thread time per simulation phase (where generation time goes)." };
        var shard = new Option<string?>("--shard") { Description = "k/n: generate only shard k (0-based) of n; `dataset merge` joins the n parts into the whole run's bytes." };

        var command = new Command("dataset", "Simulate labelled alerts through the onboard trigger and write a NumPy .npz data set.")
        {
            preset, seed, output, scale, threads, fitsDir, survey, shard, profile,
        };
        command.Subcommands.Add(CreateMerge());
        command.SetAction(parse =>
        {
            int workers = parse.GetValue(threads);
            workers = workers > 0 ? workers : Environment.ProcessorCount;
            if (parse.GetValue(survey) is int n and > 0)
            {
                DatasetPreset? surveyed = parse.GetResult(preset) is { Implicit: false } ? TryParsePreset(parse.GetValue(preset)) : null;
                return Survey(n, parse.GetValue(seed), workers, surveyed);
            }

            FileInfo? file = parse.GetValue(output);
            if (file is null)
            {
                Console.Error.WriteLine("eclairs dataset: --out <file.npz> is required (or --survey N).");
                return 2;
            }

            DatasetPreset recipe;
            DatasetShard part = DatasetShard.Whole;
            try
            {
                recipe = DatasetPreset.Parse(parse.GetValue(preset) ?? "seed");
                double factor = parse.GetValue(scale);
                if (factor != 1.0)
                {
                    recipe = recipe.Scaled(factor);
                }

                if (parse.GetValue(shard) is { } text)
                {
                    part = DatasetShard.Parse(text);
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"eclairs dataset: {e.Message}");
                return 2;
            }

            return Generate(recipe, parse.GetValue(seed), part, parse.GetResult(shard) is { Implicit: false }, file, parse.GetValue(fitsDir), workers, parse.GetValue(profile));
        });
        return command;
    }

    private static Command CreateMerge()
    {
        var parts = new Argument<FileInfo[]>("parts") { Description = "The shards' .npz files (each with its .truth.json and .shard.json), in any order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo>("--out") { Description = "The merged .npz (its .truth.json goes beside it).", Required = true };
        var merge = new Command("merge", "Join the shards of one `dataset --shard k/n` run into the bytes of the unsharded run.") { parts, output };
        merge.SetAction(parse =>
        {
            FileInfo[] files = parse.GetValue(parts) ?? [];
            FileInfo target = parse.GetValue(output)!;
            try
            {
                target.Directory?.Create();
                int n = ShardRecord.Merge([.. Array.ConvertAll(files, f => f.FullName)], target.FullName);
                Console.WriteLine($"{n} alerts from {files.Length} shards -> {target.FullName}");
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NumPyFormatException or System.Text.Json.JsonException)
            {
                Console.Error.WriteLine($"eclairs dataset merge: {e.Message}");
                return 2;
            }
        });
        return merge;
    }

    private static DatasetPreset? TryParsePreset(string? name)
    {
        try
        {
            return DatasetPreset.Parse(name ?? "seed");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"eclairs dataset: {e.Message}");
            return null;
        }
    }

    private static int Generate(DatasetPreset recipe, ulong seed, DatasetShard part, bool sharded, FileInfo file, DirectoryInfo? fitsDir, int workers, bool profile)
    {
        var generator = new DatasetGenerator { Threads = workers };
        var clock = Stopwatch.StartNew();
        GeneratedDataset? result = null;
        int done = 0;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                int slots = part.Slots(recipe.Count).Count;
                string what = sharded ? $"{recipe.Name} shard {part} ({slots} of {recipe.Count} alerts, seed {seed})" : $"{recipe.Name} ({recipe.Count} alerts, seed {seed})";
                ProgressTask task = context.AddTask(what, maxValue: slots);
                Task<GeneratedDataset> work = Task.Run(() => generator.Generate(recipe, seed, part, count => Volatile.Write(ref done, Math.Max(Volatile.Read(ref done), count))));
                while (!work.Wait(200))
                {
                    task.Value = Volatile.Read(ref done);
                }

                task.Value = slots;
                result = work.Result;
            });

        double seconds = clock.Elapsed.TotalSeconds;
        AlertDataset dataset = result!.ToDataset();
        file.Directory?.Create();
        AlertDatasetFile.Write(dataset, file.FullName);
        TruthFile.Write(TruthFile.PathFor(file.FullName), result.Alerts);
        if (sharded)
        {
            ShardRecord.Of(result).Write(ShardRecord.PathFor(file.FullName));
        }
        if (fitsDir is not null)
        {
            fitsDir.Create();
            for (int i = 0; i < result.Alerts.Count; i++)
            {
                AlertFitsFile.Write(result.Alerts[i].ToFitsAlert(), Path.Combine(fitsDir.FullName, $"alert-{i:D5}-{CauseNames.Of(dataset.Cause[i])}.fits"));
            }
        }

        PrintSummary(result, seconds, workers, file.FullName);
        if (profile)
        {
            PrintProfile(result.Profile);
        }

        return 0;
    }

    private static void PrintSummary(GeneratedDataset result, double seconds, int workers, string path)
    {
        var table = new Table().AddColumns("cause", "code", "label", "alerts", "observations", "yield", "partial");
        foreach (CauseYield y in result.Yields())
        {
            int partial = 0;
            foreach (SimulatedAlert a in result.Alerts)
            {
                partial += a.Cause == y.Cause && a.Partial ? 1 : 0;
            }

            table.AddRow(CauseNames.Of((byte)y.Cause), ((byte)y.Cause).ToString(CultureInfo.InvariantCulture),
                ((byte)DatasetPreset.LabelOf(y.Cause)).ToString(CultureInfo.InvariantCulture), y.Kept.ToString(CultureInfo.InvariantCulture),
                y.Simulated.ToString(CultureInfo.InvariantCulture), y.Yield.ToString("P1", CultureInfo.InvariantCulture),
                partial.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        int n = result.Alerts.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{n} alerts ({result.TotalAttempts} observations) in {seconds:F1} s on {workers} threads: {n / seconds:F1} alerts/s, {result.TotalAttempts / seconds:F1} observations/s -> {path}"));
    }

    private static void PrintProfile(SimulationProfile profile)
    {
        double total = profile.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Thread time per phase ({profile.Observations} observations, {profile.Screened} stopped after the assist, {total:F1} s in all):"));
        Console.WriteLine("| phase | thread s | share | ms/observation |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (SimulationProfile.Phase phase in Enum.GetValues<SimulationProfile.Phase>())
        {
            double s = profile.Seconds(phase);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {phase} | {s:F2} | {(total > 0 ? s / total : 0):P0} | {(profile.Observations > 0 ? 1000 * s / profile.Observations : 0):F3} |"));
        }
    }

    private static int Survey(int observations, ulong seed, int workers, DatasetPreset? preset)
    {
        SimulationSettings settings = preset?.Settings ?? SimulationSettings.Nominal;
        Console.WriteLine($"Scenario survey: {observations} observations per scenario, seed {seed}, {workers} threads{(preset is null ? "" : $", instrument of preset {preset.Name}")}.");
        Console.WriteLine("| cause | code | raised | intended label | partial (of intended) | mean peak SNR | below threshold | std out of range | peak ratio low | outside FoV | ms/observation/thread |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (Scenario scenario in ScenarioCatalogue.All)
        {
            var clock = Stopwatch.StartNew();
            SurveyResult r = YieldSurvey.Run(scenario.Cause, observations, seed, settings, workers);
            double ms = clock.Elapsed.TotalMilliseconds * workers / observations;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {CauseNames.Of((byte)r.Cause)} | {(byte)r.Cause} | {r.RaisedFraction:P0} | {r.IntendedFraction:P0} | {(r.Intended > 0 ? (double)r.IntendedPartial / r.Intended : 0):P0} | {r.MeanPeakSnr:F1} | {r.FlagFraction(0):P0} | {r.FlagFraction(1):P0} | {r.FlagFraction(2):P0} | {r.FlagFraction(3):P0} | {ms:F0} |"));
        }

        return 0;
    }
}
