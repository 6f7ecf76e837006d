using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using Eclairs.Onboard.Trigger;

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
                [.. a.Truth.NewSources], [.. a.Truth.Catalogue], a.Truth.BackgroundPerturbed)
            {
                Band = a.Band == EnergyBand.Full ? null : a.Band,
                Criterion = a.Criterion == TriggerCriterion.NewSource ? null : a.Criterion,
                Flare = a.Truth.Flare,
            });
        }

        Write(path, records);
    }

    /// <summary>Writes truth records as they were read (merging shards): the same bytes as writing their alerts.</summary>
    public static void Write(string path, IReadOnlyList<TruthRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using FileStream file = File.Create(path);
        JsonSerializer.Serialize(file, records, Options);
    }

    /// <summary>The records of several truth files, in order, written one file at a time: the bytes <see cref="Write(string, IReadOnlyList{TruthRecord})"/>
    /// gives for their concatenation. Returns the number of records.</summary>
    public static long WriteConcatenated(IReadOnlyList<string> parts, string path)
    {
        ArgumentNullException.ThrowIfNull(parts);
        long count = 0;
        using FileStream file = File.Create(path);
        using var writer = new Utf8JsonWriter(file);
        writer.WriteStartArray();
        foreach (string part in parts)
        {
            foreach (TruthRecord record in Read(part))
            {
                JsonSerializer.Serialize(writer, record, Options);
                count++;
            }
        }

        writer.WriteEndArray();
        return count;
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
    /// <summary>The trigger band of the alert; absent for the single broad band.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EnergyBand? Band { get; init; }

    /// <summary>The trigger criterion; absent for a new-source alert.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TriggerCriterion? Criterion { get; init; }

    /// <summary>The flaring source's truth, for catalogue-flare alerts.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FlareTruth? Flare { get; init; }

    public AlertTruth ToTruth() => new(Scenario, Seed, ExposureS, NewSources, Catalogue, BackgroundPerturbed) { Flare = Flare };
}
