using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>A scaled-down preset generated once, written, read back and checked against its truth.</summary>
public sealed class GeneratedDatasetTests : IClassFixture<GeneratedDatasetTests.SmallSeedPreset>
{
    private readonly SmallSeedPreset _fixture;

    public GeneratedDatasetTests(SmallSeedPreset fixture) => _fixture = fixture;

    /// <summary>The seed preset at 5 % (12 false, 17 true), written to a temporary .npz with its truth file.</summary>
    public sealed class SmallSeedPreset() : WrittenPreset(DatasetPreset.Seed.Scaled(0.05), 77, "small");

    [Fact]
    public void Labels_are_re_derived_from_the_stored_truth_by_an_independent_rule()
    {
        AlertDataset dataset = AlertDatasetFile.Read(_fixture.NpzPath);
        IReadOnlyList<TruthRecord> truth = TruthFile.Read(TruthFile.PathFor(_fixture.NpzPath));
        Assert.Equal(dataset.Count, truth.Count);
        for (int i = 0; i < dataset.Count; i++)
        {
            TruthRecord t = truth[i];
            Assert.Equal(dataset.SkyY[i], t.SkyY);
            Assert.Equal(dataset.SkyZ[i], t.SkyZ);
            Assert.Equal(NaiveLabel(t), dataset.Label[i]);
            Assert.Equal((byte)AlertLabeler.Label(t.ToTruth(), t.SkyY, t.SkyZ), dataset.Label[i]);
        }
    }

    /// <summary>The labelling rule written out plainly: unclear with two catalogued sources in the
    /// 56 x 56 window or a perturbed background; true with a visible new source within 2 pixels.</summary>
    private static byte NaiveLabel(TruthRecord t)
    {
        int known = 0;
        foreach (CatalogueEntry k in t.Catalogue)
        {
            int dy = (int)Math.Round(k.Y) - t.SkyY, dz = (int)Math.Round(k.Z) - t.SkyZ;
            if (dy >= -28 && dy <= 27 && dz >= -28 && dz <= 27)
            {
                known++;
            }
        }

        if (known >= 2 || t.BackgroundPerturbed)
        {
            return 2;
        }

        foreach (SkySource s in t.NewSources)
        {
            if (s.VisibleFraction > 0 && Math.Sqrt((s.Y - t.SkyY) * (s.Y - t.SkyY) + (s.Z - t.SkyZ) * (s.Z - t.SkyZ)) <= 2.0)
            {
                return 1;
            }
        }

        return 0;
    }

    [Fact]
    public void Composition_matches_the_preset_exactly()
    {
        AlertDataset dataset = AlertDatasetFile.Read(_fixture.NpzPath);
        DatasetPreset preset = _fixture.Preset;
        Assert.Equal(preset.Count, dataset.Count);
        Assert.Equal(preset.FalseCount, dataset.Label.Count(l => l == 0));
        Assert.Equal(preset.TrueCount, dataset.Label.Count(l => l == 1));
        Assert.Equal(0, dataset.Label.Count(l => l == 2));

        // Per cause, the largest-remainder split of each label's count by the preset's weights.
        Assert.True(preset.AllowPartial);
        var expected = DatasetPreset.Apportion(DatasetPreset.FalseMix, preset.FalseCount)
            .Concat(DatasetPreset.Apportion(DatasetPreset.TrueMix, preset.TrueCount))
            .GroupBy(c => (byte)c).ToDictionary(g => g.Key, g => g.Count());
        var actual = dataset.Cause.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [Fact]
    public void Npz_round_trip_keeps_every_alert_as_simulated()
    {
        AlertDataset dataset = AlertDatasetFile.Read(_fixture.NpzPath);
        for (int i = 0; i < dataset.Count; i++)
        {
            SimulatedAlert a = _fixture.Generated.Alerts[i];
            Assert.True(a.Raised);
            Assert.True(dataset.SnrOf(i).SequenceEqual(a.Snr));
            Assert.True(dataset.MaskOf(i).SequenceEqual(a.Mask));
            Assert.Equal(a.PeakSnr, dataset.PeakSnr[i]);
            Assert.Equal((byte)a.Cause, dataset.Cause[i]);
            Assert.Equal(a.Partial ? 1 : 0, dataset.Partial[i]);
            Assert.Equal(a.OffAxisDeg, dataset.OffAxis[i]);
            Assert.Equal(a.AzimuthDeg, dataset.Azimuth[i]);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_bytes_whatever_the_thread_count()
    {
        byte[] first = File.ReadAllBytes(_fixture.NpzPath);
        GeneratedDataset again = new DatasetGenerator { Threads = 1 }.Generate(_fixture.Preset, _fixture.Seed);
        using var stream = new MemoryStream();
        AlertDatasetFile.Write(again.ToDataset(), stream);
        Assert.Equal(first, stream.ToArray());
    }

    [Fact]
    public void Another_seed_gives_another_data_set()
    {
        DatasetPreset tiny = DatasetPreset.Seed.Scaled(0.01);
        GeneratedDataset a = new DatasetGenerator().Generate(tiny, 1);
        GeneratedDataset b = new DatasetGenerator().Generate(tiny, 2);
        Assert.NotEqual(a.Alerts[0].Snr, b.Alerts[0].Snr);
    }

    [Fact]
    public void Full_image_presets_keep_only_complete_sub_images()
    {
        GeneratedDataset generated = new DatasetGenerator().Generate(DatasetPreset.SeedSimplified.Scaled(0.03), 5);
        Assert.All(generated.Alerts, a => Assert.False(a.Partial));
        Assert.All(generated.Alerts, a => Assert.DoesNotContain((byte)0, a.Mask));
    }
}
