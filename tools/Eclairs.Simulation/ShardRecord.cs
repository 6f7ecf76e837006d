using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation;

/// <summary>
/// The record written beside each shard of a sharded run (<c>part.npz</c> → <c>part.shard.json</c>): which preset,
/// seed and slots it holds, so <see cref="Merge"/> can put the parts in order and refuse an incomplete or mixed set.
/// </summary>
/// <param name="Preset">Preset name (with its scale suffix, e.g. "largex0.5").</param>
/// <param name="Seed">Seed of the whole run.</param>
/// <param name="Index">Shard index k.</param>
/// <param name="Count">Number of shards n.</param>
/// <param name="FirstSlot">First slot held.</param>
/// <param name="Slots">Slots held.</param>
/// <param name="TotalSlots">Slots of the whole run.</param>
public sealed record ShardRecord(string Preset, ulong Seed, int Index, int Count, int FirstSlot, int Slots, int TotalSlots)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Path of the shard record that goes with a data set.</summary>
    public static string PathFor(string datasetPath)
    {
        ArgumentNullException.ThrowIfNull(datasetPath);
        string stem = datasetPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? datasetPath[..^4] : datasetPath;
        return stem + ".shard.json";
    }

    public static ShardRecord Of(GeneratedDataset generated) =>
        new(generated.Preset.Name, generated.Seed, generated.Shard.Index, generated.Shard.Count, generated.FirstSlot, generated.Alerts.Count, generated.Preset.Count);

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    public static ShardRecord Read(string path) =>
        JsonSerializer.Deserialize<ShardRecord>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty shard record.");

    /// <summary>
    /// Merges the shards of one run (any order of <paramref name="parts"/>): checks they are every shard of one preset and
    /// seed exactly once, then writes the concatenated data set and truth to <paramref name="output"/>: the bytes the
    /// unsharded run writes. Returns the number of alerts.
    /// </summary>
    public static int Merge(IReadOnlyList<string> parts, string output)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(output);
        if (parts.Count == 0)
        {
            throw new ArgumentException("No shard to merge.", nameof(parts));
        }

        var records = new List<(ShardRecord Record, string Path)>();
        foreach (string part in parts)
        {
            string recordPath = PathFor(part);
            if (!File.Exists(recordPath))
            {
                throw new InvalidDataException($"{part}: no {Path.GetFileName(recordPath)} beside it; only shards written with --shard k/n can be merged.");
            }

            records.Add((Read(recordPath), part));
        }

        ShardRecord first = records[0].Record;
        records.Sort((a, b) => a.Record.Index.CompareTo(b.Record.Index));
        int expectedSlot = 0;
        for (int k = 0; k < records.Count; k++)
        {
            (ShardRecord r, string path) = records[k];
            if (r.Preset != first.Preset || r.Seed != first.Seed || r.Count != first.Count || r.TotalSlots != first.TotalSlots)
            {
                throw new InvalidDataException($"{path}: shard of {r.Preset} seed {r.Seed} ({r.Count} shards), the others are of {first.Preset} seed {first.Seed} ({first.Count} shards).");
            }

            if (r.Index != k || r.FirstSlot != expectedSlot)
            {
                throw new InvalidDataException($"Shard {k}/{first.Count} is {(r.Index > k ? "missing" : "given twice")} (at {path}).");
            }

            expectedSlot += r.Slots;
        }

        if (records.Count != first.Count || expectedSlot != first.TotalSlots)
        {
            throw new InvalidDataException($"Only {records.Count} of {first.Count} shards ({expectedSlot} of {first.TotalSlots} slots).");
        }

        foreach ((ShardRecord r, string path) in records)
        {
            using var npz = new NpzReader(path);
            int alertsInPart = npz.ReadHeader(AlertDatasetFile.LabelName).Shape[0];
            if (alertsInPart != r.Slots)
            {
                throw new InvalidDataException($"{path}: {alertsInPart} alerts for the {r.Slots} slots its shard record names.");
            }
        }

        // Streamed: one part and one array at a time, so the merged file may exceed memory.
        string[] ordered = [.. records.Select(r => r.Path)];
        long alerts = AlertDatasetFile.WriteConcatenated(ordered, output);
        long truth = TruthFile.WriteConcatenated([.. ordered.Select(TruthFile.PathFor)], TruthFile.PathFor(output));
        if (alerts != first.TotalSlots || truth != first.TotalSlots)
        {
            throw new InvalidDataException($"The shards hold {alerts} alerts and {truth} truth records for {first.TotalSlots} slots.");
        }

        return (int)alerts;
    }
}
