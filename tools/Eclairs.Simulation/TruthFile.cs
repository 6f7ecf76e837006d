using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace Eclairs.Simulation;

/// <summary>
/// The ground truth of a generated data set, one record per alert in data-set order, as JSON
/// beside the .npz (<c>file.npz</c> → <c>file.truth.json</c>): enough to re-derive every label
/// with <see cref="AlertLabeler"/> and to re-simulate any alert from its seed.
/// </summary>
public static class TruthFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>Path of the truth file that goes with a data set.</summary>
    public static string PathFor(string datasetPath)
    {
        ArgumentNullException.ThrowIfNull(datasetPath);
        string stem = datasetPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? datasetPath[..^4] : datasetPath;
        return stem + ".truth.json";
    }

    public static void Write(string path, IReadOnlyList<SimulatedAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var records = new List<TruthRecord>(alerts.Count);
        foreach (SimulatedAlert a in alerts)
        {
            records.Add(new TruthRecord(
                a.Truth.Scenario, a.Cause, (byte)a.Label, a.Truth.Seed, a.Truth.ExposureS, a.SkyY, a.SkyZ,
                [.. a.Truth.NewSources], [.. a.Truth.Catalogue], a.Truth.BackgroundPerturbed));
        }

        using FileStream file = File.Create(path);
        JsonSerializer.Serialize(file, records, Options);
    }

    public static IReadOnlyList<TruthRecord> Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<TruthRecord>>(file, Options)
            ?? throw new InvalidDataException($"{path}: empty truth file.");
    }
}

/// <summary>One alert's truth as stored in a truth file.</summary>
public sealed record TruthRecord(
    AlertCause Scenario,
    AlertCause Cause,
    byte Label,
    ulong Seed,
    double ExposureS,
    int SkyY,
    int SkyZ,
    SkySource[] NewSources,
    CatalogueEntry[] Catalogue,
    bool BackgroundPerturbed)
{
    public AlertTruth ToTruth() => new(Scenario, Seed, ExposureS, NewSources, Catalogue, BackgroundPerturbed);
}
