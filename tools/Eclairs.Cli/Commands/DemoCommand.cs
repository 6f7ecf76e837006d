using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Spectre.Console;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs demo</c>, the main job: simulates a stream of observations (true bursts and every false-alert cause),
/// runs the trigger emulator on each, classifies every alert it raises with the shipped models, and prints a table
/// per alert (truth, cause, peak SNR, probability, decision, latency) and a summary.
/// </summary>
internal static class DemoCommand
{
    private static readonly AlertCause[] Stream =
    [
        AlertCause.Burst, AlertCause.StatisticalFluctuation, AlertCause.BurstNearKnownSource, AlertCause.BadSubtraction,
        AlertCause.Burst, AlertCause.Saa, AlertCause.BurstIncompleteImage, AlertCause.ColumnEffect,
        AlertCause.BurstSettingBehindEarth, AlertCause.BrightSourceArtefact, AlertCause.Burst, AlertCause.XrdpixInhomogeneity,
        AlertCause.Burst, AlertCause.EarthInField, AlertCause.Burst, AlertCause.NoisyPixels, AlertCause.Burst, AlertCause.DeadPixels,
    ];

    public static Command Create()
    {
        var observations = new Option<int>("--alerts") { Description = "Alerts to produce (each from as many simulated observations as it takes the trigger to raise one).", DefaultValueFactory = _ => 18 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the simulated stream.", DefaultValueFactory = _ => 2026 };
        var weights = new Option<string?>("--weights") { Description = "Folder of .eclw models (default: the repository's weights/)." };
        var serve = new Option<string?>("--serve") { Description = "Also send each alert as its VHF sequence to this running `eclairs serve` (e.g. http://127.0.0.1:5080)." };
        var token = new Option<string?>("--token") { Description = "Ingest token for --serve (default: $ECLAIRS_TOKEN).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ECLAIRS_TOKEN") };
        var interval = new Option<double>("--interval") { Description = "Seconds between alerts sent with --serve.", DefaultValueFactory = _ => 2 };
        var command = new Command("demo", "Simulate observations, run the trigger, classify every alert with the shipped models.")
        {
            observations, seed, weights, serve, token, interval,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(weights) ?? GroundDataOptions.FindWeightsFolder();
            List<(string Name, InferenceContext Context)> models = LoadModels(folder);
            if (models.Count == 0)
            {
                Console.Error.WriteLine($"demo: no float32 .eclw model in {folder}");
                return 1;
            }

            Uri? server = parse.GetValue(serve) is string url ? new Uri(url, UriKind.Absolute) : null;
            if (server is not null && string.IsNullOrEmpty(parse.GetValue(token)))
            {
                Console.Error.WriteLine("demo: --serve needs an ingest token (--token or $ECLAIRS_TOKEN; `eclairs tokens add --role ingest` makes one)");
                return 2;
            }

            using DemoFeed? feed = server is null ? null : new DemoFeed(server, parse.GetValue(token)!, TimeSpan.FromSeconds(parse.GetValue(interval)));
            return Run(models, parse.GetValue(observations), parse.GetValue(seed), feed);
        });
        return command;
    }

    private static int Run(List<(string Name, InferenceContext Context)> models, int alerts, ulong seed, DemoFeed? feed)
    {
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        WarmUp(models);
        var simulator = new AlertSimulator();
        var table = new Table().Title("alerts raised by the trigger emulator, classified on the shipped models");
        table.AddColumns("#", "truth", "cause", "peak SNR", "partial");
        foreach ((string name, _) in models)
        {
            table.AddColumn($"{name} P(true)");
            table.AddColumn("decision");
            table.AddColumn("µs");
        }

        var correct = new int[models.Count];
        var latencies = models.Select(_ => new List<double>()).ToArray();
        int raised = 0, labelled = 0, observations = 0;
        for (int n = 0; n < alerts; n++)
        {
            AlertCause cause = Stream[n % Stream.Length];
            SimulatedAlert? alert = null;
            for (int attempt = 0; attempt < MaxAttempts && alert is null; attempt++)
            {
                observations++;
                SimulatedAlert candidate = simulator.Simulate(cause, (seed * 1000003) + (ulong)(n * MaxAttempts) + (ulong)attempt);
                alert = candidate.Raised ? candidate : null;
            }

            if (alert is null)
            {
                continue;
            }

            raised++;
            var row = new List<string>
            {
                n.ToString(CultureInfo.InvariantCulture),
                alert.Label switch { AlertLabel.TrueAlert => "[green]true[/]", AlertLabel.FalseAlert => "[red]false[/]", _ => "[yellow]unclear[/]" },
                Markup.Escape(CauseNames.Of((byte)alert.Cause)),
                alert.PeakSnr.ToString("F1", CultureInfo.InvariantCulture),
                alert.Partial ? "yes" : "no",
            };
            bool hasTruth = alert.Label != AlertLabel.Unclear;
            labelled += hasTruth ? 1 : 0;
            for (int m = 0; m < models.Count; m++)
            {
                long start = Stopwatch.GetTimestamp();
                ClassificationResult r = models[m].Context.Classify(alert.Snr, alert.Mask);
                double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                latencies[m].Add(us);
                bool right = hasTruth && r.IsTrueAlert == (alert.Label == AlertLabel.TrueAlert);
                correct[m] += right ? 1 : 0;
                string decision = r.IsTrueAlert ? "true" : "false";
                row.Add(r.Probability.ToString("F3", CultureInfo.InvariantCulture));
                row.Add(hasTruth ? $"[{(right ? "green" : "red")}]{decision}[/]" : decision);
                row.Add(us.ToString("F0", CultureInfo.InvariantCulture));
            }

            table.AddRow(row.ToArray());
            if (feed is not null)
            {
                Console.WriteLine($"demo: alert {n} ({CauseNames.Of((byte)alert.Cause)}) sent to the ground: {feed.Send(alert, n)}");
            }
        }

        AnsiConsole.Write(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{observations} observations simulated (seed {seed}), {raised} raised an alert through the trigger, {labelled} of them with a clear truth."));
        for (int m = 0; m < models.Count; m++)
        {
            List<double> l = latencies[m];
            l.Sort();
            double median = l.Count == 0 ? 0 : l[l.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{models[m].Name}: {correct[m]}/{labelled} decisions right, classify latency median {median:F0} µs, max {(l.Count == 0 ? 0 : l[^1]):F0} µs"));
        }

        return 0;
    }

    /// <summary>Observations tried per alert: most observations of a false-alert cause raise nothing, as on board.</summary>
    private const int MaxAttempts = 40;

    /// <summary>Runs each model a few times first so the table shows steady-state latency, not JIT compilation.</summary>
    private static void WarmUp(List<(string Name, InferenceContext Context)> models)
    {
        var snr = new float[3136];
        var mask = new byte[3136];
        Array.Fill(mask, (byte)1);
        foreach ((_, InferenceContext context) in models)
        {
            for (int i = 0; i < 200; i++)
            {
                context.Classify(snr, mask);
            }
        }
    }

    private static List<(string, InferenceContext)> LoadModels(string folder)
    {
        var models = new List<(string, InferenceContext)>();
        if (!Directory.Exists(folder))
        {
            return models;
        }

        foreach (string path in Directory.GetFiles(folder, "*.f32.eclw").Order(StringComparer.Ordinal))
        {
            Model model = Model.Load(File.ReadAllBytes(path));
            models.Add((model.Name, model.CreateContext()));
        }

        return models;
    }
}
