using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Pictures;
using Eclairs.Simulation.Scenarios;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs show</c>: pictures of alerts. With <c>--data</c>, one PNG contact sheet per cause
/// (SNR sub-image beside its mask, coloured as the seed deck: 0 red, 1 green, 2 orange, 3 blue).
/// With <c>--scenario</c>, simulates one observation and draws the full SNR sky with the trigger
/// marked, the alert panel, and writes the alert as FITS.
/// </summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo?>("--data") { Description = "A data set (.npz) to draw, one contact sheet per cause." };
        var scenario = new Option<string?>("--scenario") { Description = "Simulate one observation of this cause (name or code) instead." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the single observation (--scenario).", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory for the pictures.", Required = true };
        var perCause = new Option<int>("--per-cause") { Description = "Alerts per contact sheet.", DefaultValueFactory = _ => 16 };
        var fits = new Option<bool>("--fits") { Description = "Also write alerts as FITS (the first of each cause with --data)." };

        var command = new Command("show", "Draw alerts: contact sheets by cause, or one simulated observation's sky with its trigger.")
        {
            data, scenario, seed, output, perCause, fits,
        };
        command.SetAction(parse =>
        {
            DirectoryInfo dir = parse.GetValue(output)!;
            dir.Create();
            if (parse.GetValue(scenario) is string name)
            {
                AlertCause cause;
                try
                {
                    cause = ScenarioCatalogue.Parse(name);
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"eclairs show: {e.Message}");
                    return 2;
                }

                return ShowScenario(cause, parse.GetValue(seed), dir);
            }

            if (parse.GetValue(data) is not FileInfo file)
            {
                Console.Error.WriteLine("eclairs show: give --data <file.npz> or --scenario <cause>.");
                return 2;
            }

            if (!file.Exists)
            {
                Console.Error.WriteLine($"eclairs show: {file.FullName} does not exist.");
                return 2;
            }

            return ShowDataset(AlertDatasetFile.Read(file.FullName), dir, Math.Max(1, parse.GetValue(perCause)), parse.GetValue(fits));
        });
        return command;
    }

    private static int ShowDataset(AlertDataset dataset, DirectoryInfo dir, int perCause, bool fits)
    {
        foreach (IGrouping<byte, int> group in Enumerable.Range(0, dataset.Count).GroupBy(i => dataset.Cause[i]).OrderBy(g => g.Key))
        {
            string name = CauseNames.Of(group.Key);
            List<int> indices = group.Take(perCause).ToList();
            string title = string.Create(CultureInfo.InvariantCulture, $"{name} (cause {group.Key}): {indices.Count} of {group.Count()} alerts");
            RgbImage sheet = AlertSheet.Render(dataset, indices, title, SnrScale.Auto, code => CauseNames.Of(code));
            string path = Path.Combine(dir.FullName, $"sheet-{group.Key:D2}-{name}.png");
            sheet.SavePng(path);
            Console.WriteLine(path);
            if (fits)
            {
                string fitsPath = Path.Combine(dir.FullName, $"alert-{indices[0]:D5}-{name}.fits");
                AlertFitsFile.Write(FitsAlert.FromDataset(dataset, indices[0], name), fitsPath);
                Console.WriteLine(fitsPath);
            }
        }

        return 0;
    }

    private static int ShowScenario(AlertCause cause, ulong seed, DirectoryInfo dir)
    {
        var simulator = new AlertSimulator();
        SimulatedAlert alert = simulator.Simulate(cause, seed);
        float[] sky = simulator.LastSkySnr();
        int side = simulator.Geometry.SkySide;
        string name = CauseNames.Of((byte)cause);
        string verdict = alert.Raised
            ? string.Create(CultureInfo.InvariantCulture, $"alert at ({alert.SkyY}, {alert.SkyZ}), SNR {alert.PeakSnr:F1}, label {(byte)alert.Label}, cause {CauseNames.Of((byte)alert.Cause)}")
            : string.Create(CultureInfo.InvariantCulture, $"no alert (flags {alert.QualityFlags}), peak {alert.PeakSnr:F1} at ({alert.SkyY}, {alert.SkyZ})");
        string title = string.Create(CultureInfo.InvariantCulture, $"{name} seed {seed}, {alert.Truth.ExposureS:G4} s: {verdict}; std {alert.ImageStd:F2}, 2nd {alert.SecondPeakSnr:F1}");

        // Field of view: the partial-coding limit the trigger applies.
        float[] coding = simulator.LastPartialCoding();
        var fieldOfView = new byte[side * side];
        for (int p = 0; p < fieldOfView.Length; p++)
        {
            fieldOfView[p] = coding[p] >= simulator.Context.MinPartialCoding ? (byte)1 : (byte)0;
        }

        string stem = Path.Combine(dir.FullName, $"{name}-seed{seed}");
        SkyPicture.Render(sky, side, side, title, SnrScale.Auto, (alert.SkyZ, alert.SkyY), fieldOfView, Eclairs.Onboard.Trigger.Alert.SubimageSide, zoom: 3)
            .SavePng(stem + "-sky.png");
        AlertPanel.Render(alert.Snr, alert.Mask, Eclairs.Onboard.Trigger.Alert.SubimageSide, $"{name}: {verdict}", SnrScale.Auto, zoom: 5)
            .SavePng(stem + "-alert.png");
        AlertFitsFile.Write(alert.ToFitsAlert(), stem + ".fits");
        Console.WriteLine(title);
        Console.WriteLine($"{stem}-sky.png\n{stem}-alert.png\n{stem}.fits");
        return 0;
    }
}
