using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation;

/// <summary>
/// A data set recipe: how many alerts of each label, how the causes share each label, and
/// whether partial sub-images are kept. Compositions are exact: a slot of a given cause is
/// simulated until its scenario raises an alert with the intended label.
/// </summary>
public sealed class DatasetPreset
{
    /// <summary>How the false alerts share causes. The deck's five named causes dominate; the rest are
    /// the public papers' (noisy/dead pixels, Earth) and the irreducible statistical fluctuations.</summary>
    public static readonly IReadOnlyList<(AlertCause Cause, double Weight)> FalseMix =
    [
        (AlertCause.BadSubtraction, 0.20),
        (AlertCause.BrightSourceArtefact, 0.14),
        (AlertCause.Saa, 0.12),
        (AlertCause.ColumnEffect, 0.12),
        (AlertCause.XrdpixInhomogeneity, 0.10),
        (AlertCause.EarthInField, 0.10),
        (AlertCause.NoisyPixels, 0.10),
        (AlertCause.DeadPixels, 0.06),
        (AlertCause.StatisticalFluctuation, 0.06),
    ];

    public static readonly IReadOnlyList<(AlertCause Cause, double Weight)> TrueMix =
    [
        (AlertCause.Burst, 0.55),
        (AlertCause.BurstNearKnownSource, 0.15),
        (AlertCause.BurstSettingBehindEarth, 0.10),
        (AlertCause.BurstIncompleteImage, 0.20),
    ];

    /// <summary>
    /// False mix of full-image presets. Detector defects (columns, modules, noisy and dead pixels)
    /// only raise alerts near the edge of the field, where few detector pixels code the sky: their
    /// sub-images are always partial (measured: docs/simulation.md), so full-image sets cannot hold them.
    /// </summary>
    public static readonly IReadOnlyList<(AlertCause Cause, double Weight)> FullImageFalseMix =
    [
        (AlertCause.BadSubtraction, 0.35),
        (AlertCause.BrightSourceArtefact, 0.25),
        (AlertCause.StatisticalFluctuation, 0.15),
        (AlertCause.EarthInField, 0.15),
        (AlertCause.Saa, 0.10),
    ];

    /// <summary>True mix of full-image presets: incomplete images are the ones they leave out.</summary>
    public static readonly IReadOnlyList<(AlertCause Cause, double Weight)> FullImageTrueMix =
    [
        (AlertCause.Burst, 0.70),
        (AlertCause.BurstNearKnownSource, 0.18),
        (AlertCause.BurstSettingBehindEarth, 0.12),
    ];

    public static readonly IReadOnlyList<(AlertCause Cause, double Weight)> UnclearMix =
    [
        (AlertCause.UnclearTwoSources, 0.5),
        (AlertCause.UnclearPerturbedBackground, 0.5),
    ];

    /// <summary>
    /// False mix of the shifted domain (<see cref="Shifted"/>): the three detector effects of Xie et al. 2024 that no
    /// other preset holds, fewer bad subtractions and artefacts, more detector defects than <see cref="FalseMix"/>.
    /// </summary>
    public static readonly IReadOnlyList<(AlertCause Cause, double Weight)> ShiftedFalseMix =
    [
        (AlertCause.HeatPipeNoise, 0.16),
        (AlertCause.LowEfficiencyPixels, 0.08),
        (AlertCause.HighThresholdPixels, 0.08),
        (AlertCause.BadSubtraction, 0.10),
        (AlertCause.BrightSourceArtefact, 0.08),
        (AlertCause.Saa, 0.10),
        (AlertCause.ColumnEffect, 0.06),
        (AlertCause.XrdpixInhomogeneity, 0.06),
        (AlertCause.EarthInField, 0.08),
        (AlertCause.NoisyPixels, 0.09),
        (AlertCause.DeadPixels, 0.06),
        (AlertCause.StatisticalFluctuation, 0.05),
    ];

    /// <summary>True mix of the shifted domain: catalogue flares (never in the other presets) beside the four burst causes.</summary>
    public static readonly IReadOnlyList<(AlertCause Cause, double Weight)> ShiftedTrueMix =
    [
        (AlertCause.Burst, 0.50),
        (AlertCause.BurstNearKnownSource, 0.12),
        (AlertCause.BurstSettingBehindEarth, 0.08),
        (AlertCause.BurstIncompleteImage, 0.15),
        (AlertCause.CatalogueFlare, 0.15),
    ];

    public DatasetPreset(string name, int falseCount, int trueCount, int unclearCount, bool allowPartial)
        : this(name, falseCount, trueCount, unclearCount, allowPartial, SimulationSettings.Nominal, null, null)
    {
    }

    /// <summary>A recipe on its own instrument and trigger settings and, optionally, its own cause mixes
    /// (null: the mixes of <see cref="FalseMix"/>/<see cref="TrueMix"/>, or the full-image ones).</summary>
    public DatasetPreset(string name, int falseCount, int trueCount, int unclearCount, bool allowPartial, SimulationSettings settings,
        IReadOnlyList<(AlertCause Cause, double Weight)>? falseMix, IReadOnlyList<(AlertCause Cause, double Weight)>? trueMix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(falseCount);
        ArgumentOutOfRangeException.ThrowIfNegative(trueCount);
        ArgumentOutOfRangeException.ThrowIfNegative(unclearCount);
        Name = name;
        FalseCount = falseCount;
        TrueCount = trueCount;
        UnclearCount = unclearCount;
        AllowPartial = allowPartial;
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _falseMix = falseMix;
        _trueMix = trueMix;
    }

    private readonly IReadOnlyList<(AlertCause Cause, double Weight)>? _falseMix;
    private readonly IReadOnlyList<(AlertCause Cause, double Weight)>? _trueMix;

    /// <summary>The deck's data set: 563 alerts, 230 false / 333 true, partial images allowed.</summary>
    public static DatasetPreset Seed { get; } = new("seed", 230, 333, 0, allowPartial: true);

    /// <summary>The deck's simplified study: 337 full images, ~20/80 (67 false / 270 true).</summary>
    public static DatasetPreset SeedSimplified { get; } = new("seed-simplified", 67, 270, 0, allowPartial: false);

    /// <summary>Training set: 20,000 alerts, 40/60.</summary>
    public static DatasetPreset Large { get; } = new("large", 8000, 12000, 0, allowPartial: true);

    /// <summary>The unclear slice: 500 alerts of the deck's ambiguous cases.</summary>
    public static DatasetPreset Unclear { get; } = new("unclear", 0, 0, 500, allowPartial: true);

    /// <summary>The shifted domain's instrument and trigger.</summary>
    public static SimulationSettings ShiftedSettings { get; } = SimulationSettings.Nominal with
    {
        MaskSeed = 0x0000534849465445UL, // ASCII "SHIFTE"
        BackgroundScale = 1.4,
        Bands = BandMode.SoftAndHard,
        Trigger = TriggerConfig.Default with { CatalogueFlareThreshold = 6.5f },
    };

    /// <summary>
    /// The shifted domain for fine-tuning studies ([realdata]): 600 alerts (240 false / 360 true) of another instrument
    /// — another mask pattern (seed "SHIFTE" in ASCII), a background 1.4 x brighter, the soft (5–20 keV) and hard (8–120 keV)
    /// trigger bands, the catalogue-flare criterion on — with causes the pre-training never saw (heat-pipe noise,
    /// low-efficiency and high-threshold pixels, catalogue flares) and the defects in other proportions.
    /// `--scale` makes the large held-out set of the same domain.
    /// </summary>
    public static DatasetPreset Shifted { get; } = new("shifted", 240, 360, 0, allowPartial: true, ShiftedSettings, ShiftedFalseMix, ShiftedTrueMix);

    /// <summary>
    /// The causes no other preset of the nominal instrument holds, on the nominal mask and background: 1,000 alerts,
    /// false from heat-pipe noise, low-efficiency and high-threshold pixels, true from catalogue flares and (for balance)
    /// bursts, in the soft and hard bands with the catalogue-flare criterion on. For evaluating a model on the new causes
    /// without the shifted domain's other changes.
    /// </summary>
    public static DatasetPreset NewCauses { get; } = new("new-causes", 400, 600, 0, allowPartial: true,
        SimulationSettings.Nominal with { Bands = BandMode.SoftAndHard, Trigger = ShiftedSettings.Trigger },
        [(AlertCause.HeatPipeNoise, 0.4), (AlertCause.LowEfficiencyPixels, 0.3), (AlertCause.HighThresholdPixels, 0.3)],
        [(AlertCause.CatalogueFlare, 0.5), (AlertCause.Burst, 0.5)]);

    public static IReadOnlyList<DatasetPreset> All { get; } = [Seed, SeedSimplified, Large, Unclear, Shifted, NewCauses];

    public string Name { get; }
    public int FalseCount { get; }
    public int TrueCount { get; }
    public int UnclearCount { get; }
    public bool AllowPartial { get; }

    /// <summary>The instrument and trigger of this recipe (<see cref="SimulationSettings.Nominal"/> for the shipped models' presets).</summary>
    public SimulationSettings Settings { get; }

    /// <summary>How the false alerts share causes.</summary>
    public IReadOnlyList<(AlertCause Cause, double Weight)> FalseCauses => _falseMix ?? (AllowPartial ? FalseMix : FullImageFalseMix);

    /// <summary>How the true alerts share causes.</summary>
    public IReadOnlyList<(AlertCause Cause, double Weight)> TrueCauses => _trueMix ?? (AllowPartial ? TrueMix : FullImageTrueMix);
    public int Count => FalseCount + TrueCount + UnclearCount;

    public static DatasetPreset Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown preset '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
    }

    /// <summary>The same recipe with every count multiplied by <paramref name="factor"/> (rounded, at least 1 per non-empty label): for tests and quick looks.</summary>
    public DatasetPreset Scaled(double factor)
    {
        if (!(factor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), $"Scale factor must be positive; got {factor}.");
        }

        static int Scale(int n, double f) => n == 0 ? 0 : Math.Max(1, (int)Math.Round(n * f));
        return new DatasetPreset($"{Name}x{factor}", Scale(FalseCount, factor), Scale(TrueCount, factor), Scale(UnclearCount, factor), AllowPartial,
            Settings, _falseMix, _trueMix);
    }

    /// <summary>The intended cause of every slot, in slot order: exact counts per cause (largest
    /// remainder), shuffled with <paramref name="seed"/> so labels and causes interleave.</summary>
    public AlertCause[] SlotCauses(ulong seed)
    {
        var slots = new List<AlertCause>(Count);
        slots.AddRange(Apportion(FalseCauses, FalseCount));
        slots.AddRange(Apportion(TrueCauses, TrueCount));
        slots.AddRange(Apportion(UnclearMix, UnclearCount));
        AlertCause[] result = [.. slots];
        var rng = new SimulationRandom(SimulationRandom.DeriveSeed(seed, 0, stream: 0xC0FFEE));
        for (int i = result.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(0, i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }

    /// <summary>Exact integer counts proportional to the weights, summing to <paramref name="total"/>.</summary>
    public static IEnumerable<AlertCause> Apportion(IReadOnlyList<(AlertCause Cause, double Weight)> mix, int total)
    {
        ArgumentNullException.ThrowIfNull(mix);
        double sum = mix.Sum(m => m.Weight);
        var counts = new int[mix.Count];
        var remainders = new (double Remainder, int Index)[mix.Count];
        int assigned = 0;
        for (int i = 0; i < mix.Count; i++)
        {
            double exact = total * mix[i].Weight / sum;
            counts[i] = (int)Math.Floor(exact);
            remainders[i] = (exact - counts[i], i);
            assigned += counts[i];
        }

        foreach ((double _, int index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take(total - assigned))
        {
            counts[index]++;
        }

        for (int i = 0; i < mix.Count; i++)
        {
            for (int k = 0; k < counts[i]; k++)
            {
                yield return mix[i].Cause;
            }
        }
    }

    /// <summary>The label a slot of this cause must end up with.</summary>
    public static AlertLabel LabelOf(AlertCause cause) => (byte)cause switch
    {
        < 10 => AlertLabel.TrueAlert,
        < 30 => AlertLabel.FalseAlert,
        _ => AlertLabel.Unclear,
    };
}
