using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>The shifted-domain preset: another instrument, two bands, catalogue flares and the Xie et al. detector effects.</summary>
public sealed class ShiftedDomainTests : IClassFixture<ShiftedDomainTests.SmallShiftedPreset>
{
    private readonly SmallShiftedPreset _fixture;

    public ShiftedDomainTests(SmallShiftedPreset fixture) => _fixture = fixture;

    /// <summary>The shifted preset at 5 % (12 false, 18 true), written with its truth file.</summary>
    public sealed class SmallShiftedPreset() : WrittenPreset(DatasetPreset.Shifted.Scaled(0.05), 5, "shifted");

    [Fact]
    public void The_shifted_preset_holds_causes_the_shipped_models_training_preset_never_produces()
    {
        AlertCause[] unseen = [AlertCause.CatalogueFlare, AlertCause.HeatPipeNoise, AlertCause.LowEfficiencyPixels, AlertCause.HighThresholdPixels];
        AlertCause[] large = DatasetPreset.Large.SlotCauses(1);
        AlertCause[] shifted = DatasetPreset.Shifted.SlotCauses(1);
        foreach (AlertCause cause in unseen)
        {
            Assert.DoesNotContain(cause, large);
            Assert.Contains(cause, shifted);
        }

        // Another instrument: mask pattern, background level, bands and trigger criteria all differ from the nominal ones.
        SimulationSettings s = DatasetPreset.Shifted.Settings;
        Assert.NotEqual(SimulationSettings.Nominal.MaskSeed, s.MaskSeed);
        Assert.False(s.Mask(InstrumentGeometry.Nominal).Open.SequenceEqual(CodedMask.Generate(InstrumentGeometry.Nominal).Open));
        Assert.NotEqual(1.0, s.BackgroundScale);
        Assert.Equal(BandMode.SoftAndHard, s.Bands);
        Assert.True(s.Trigger.CatalogueFlareThreshold > 0);
        Assert.Equal(SimulationSettings.Nominal, DatasetPreset.Large.Settings);
    }

    [Fact]
    public void Composition_bands_and_criteria_are_recorded()
    {
        AlertDataset d = AlertDatasetFile.Read(_fixture.NpzPath);
        DatasetPreset p = _fixture.Preset;
        Assert.Equal(p.FalseCount, d.Label.Count(l => l == 0));
        Assert.Equal(p.TrueCount, d.Label.Count(l => l == 1));
        var expected = DatasetPreset.Apportion(DatasetPreset.ShiftedFalseMix, p.FalseCount).Concat(DatasetPreset.Apportion(DatasetPreset.ShiftedTrueMix, p.TrueCount))
            .GroupBy(c => (byte)c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.OrderBy(x => x.Key), d.Cause.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count()).OrderBy(x => x.Key));

        for (int i = 0; i < d.Count; i++)
        {
            SimulatedAlert a = _fixture.Generated.Alerts[i];
            Assert.Equal((byte)a.Band, d.Band[i]);
            Assert.Equal((byte)a.Criterion, d.Criterion[i]);
            Assert.NotEqual((byte)EnergyBand.Full, d.Band[i]);
            // Catalogue flares and only they (among true alerts) come from the flare criterion, on a mask-2 zone.
            bool flare = d.Cause[i] == (byte)AlertCause.CatalogueFlare;
            if (flare)
            {
                Assert.Equal(AlertDataset.CatalogueFlareCriterion, d.Criterion[i]);
                Assert.Contains(Alert.MaskKnownSource, d.MaskOf(i).ToArray());
                Assert.Equal(Alert.MaskTrigger, d.MaskOf(i)[28 * 56 + 28]);
            }
            else if (d.Label[i] == 1)
            {
                Assert.Equal(AlertDataset.NewSourceCriterion, d.Criterion[i]);
            }
        }

        // Heat-pipe noise lives below 8 keV: its alerts come from the soft band.
        Assert.All(Enumerable.Range(0, d.Count).Where(i => d.Cause[i] == (byte)AlertCause.HeatPipeNoise), i => Assert.Equal((byte)EnergyBand.Soft, d.Band[i]));
    }

    [Fact]
    public void Labels_are_re_derived_from_the_truth_with_flares_recomputed_from_their_inputs()
    {
        AlertDataset d = AlertDatasetFile.Read(_fixture.NpzPath);
        IReadOnlyList<TruthRecord> truth = TruthFile.Read(TruthFile.PathFor(_fixture.NpzPath));
        Assert.Equal(d.Count, truth.Count);
        int flares = 0;
        for (int i = 0; i < d.Count; i++)
        {
            TruthRecord t = truth[i];
            Assert.Equal((EnergyBand)d.Band[i], t.Band ?? EnergyBand.Full);
            Assert.Equal((TriggerCriterion)d.Criterion[i], t.Criterion ?? TriggerCriterion.NewSource);
            byte label = NaiveLabel(t);
            Assert.Equal(label, d.Label[i]);
            Assert.Equal((byte)AlertLabeler.Label(t.ToTruth(), t.SkyY, t.SkyZ, t.Criterion ?? TriggerCriterion.NewSource), d.Label[i]);
            flares += t.Flare is null ? 0 : 1;
        }

        Assert.True(flares >= 3, $"{flares} catalogue-criterion alerts");
    }

    /// <summary>The rule written out plainly (docs/simulation.md, Labels), the flare's significance recomputed from the stored
    /// rates, background, coding and exposure with the balanced-correlation figure.</summary>
    private static byte NaiveLabel(TruthRecord t)
    {
        int known = 0;
        foreach (CatalogueEntry k in t.Catalogue)
        {
            int dy = (int)Math.Round(k.Y) - t.SkyY, dz = (int)Math.Round(k.Z) - t.SkyZ;
            known += dy >= -28 && dy <= 27 && dz >= -28 && dz <= 27 ? 1 : 0;
        }

        bool newSourceHere = t.NewSources.Any(s => s.VisibleFraction > 0 && Math.Sqrt((s.Y - t.SkyY) * (s.Y - t.SkyY) + (s.Z - t.SkyZ) * (s.Z - t.SkyZ)) <= 2.0);
        if (t.Criterion != TriggerCriterion.CatalogueFlare)
        {
            return known >= 2 || t.BackgroundPerturbed ? (byte)2 : newSourceHere ? (byte)1 : (byte)0;
        }

        FlareTruth f = t.Flare!;
        double coded = t.ExposureS * f.Coding;
        double excess = (f.TrueRateCountsPerS - f.CatalogueRateCountsPerS) * coded;
        double variance = f.TrueRateCountsPerS * coded + f.BackgroundPerPixel * f.DetectorPixels * coded;
        double sigma = excess * Math.Sqrt((1 - f.OpenFraction) / f.OpenFraction) / Math.Sqrt(variance);
        Assert.Equal(sigma, f.ExcessSigma, 9);
        if (known - 1 >= 2 || t.BackgroundPerturbed)
        {
            return 2;
        }

        return sigma >= 3 || newSourceHere ? (byte)1 : (byte)0;
    }

    [Fact]
    public void Same_seed_gives_identical_bytes_whatever_the_thread_count()
    {
        GeneratedDataset again = new DatasetGenerator { Threads = 1 }.Generate(_fixture.Preset, _fixture.Seed);
        using var stream = new MemoryStream();
        AlertDatasetFile.Write(again.ToDataset(), stream);
        Assert.Equal(File.ReadAllBytes(_fixture.NpzPath), stream.ToArray());
    }

    [Fact]
    public void Shards_merge_into_the_bytes_of_the_whole_run_in_any_order()
    {
        string dir = Directory.CreateTempSubdirectory("eclairs-shards-").FullName;
        try
        {
            var parts = new List<string>();
            for (int k = 0; k < 3; k++)
            {
                GeneratedDataset part = new DatasetGenerator { Threads = 1 }.Generate(_fixture.Preset, _fixture.Seed, new DatasetShard(k, 3));
                string path = Path.Combine(dir, $"part-{k}.npz");
                AlertDatasetFile.Write(part.ToDataset(), path);
                TruthFile.Write(TruthFile.PathFor(path), part.Alerts);
                ShardRecord.Of(part).Write(ShardRecord.PathFor(path));
                parts.Add(path);
            }

            string merged = Path.Combine(dir, "all.npz");
            Assert.Equal(_fixture.Preset.Count, ShardRecord.Merge([parts[2], parts[0], parts[1]], merged));
            Assert.Equal(File.ReadAllBytes(_fixture.NpzPath), File.ReadAllBytes(merged));
            Assert.Equal(File.ReadAllBytes(TruthFile.PathFor(_fixture.NpzPath)), File.ReadAllBytes(TruthFile.PathFor(merged)));

            // A missing or doubled shard is refused with the reason.
            Assert.Contains("missing", Assert.Throws<InvalidDataException>(() => ShardRecord.Merge([parts[0], parts[2]], merged)).Message);
            Assert.Contains("twice", Assert.Throws<InvalidDataException>(() => ShardRecord.Merge([parts[0], parts[0], parts[1]], merged)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
