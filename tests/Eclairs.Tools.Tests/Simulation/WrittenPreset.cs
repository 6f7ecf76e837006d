using System;
using System.IO;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>A preset generated once per test class and written to a temporary .npz with its truth file.</summary>
public abstract class WrittenPreset : IDisposable
{
    protected WrittenPreset(DatasetPreset preset, ulong seed, string name)
    {
        Preset = preset;
        Seed = seed;
        Generated = new DatasetGenerator { Threads = 2 }.Generate(Preset, seed);
        Directory = System.IO.Directory.CreateTempSubdirectory($"eclairs-{name}-").FullName;
        NpzPath = Path.Combine(Directory, $"{name}.npz");
        AlertDatasetFile.Write(Generated.ToDataset(), NpzPath);
        TruthFile.Write(TruthFile.PathFor(NpzPath), Generated.Alerts);
    }

    public DatasetPreset Preset { get; }
    public ulong Seed { get; }
    public GeneratedDataset Generated { get; }
    public string Directory { get; }
    public string NpzPath { get; }

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
