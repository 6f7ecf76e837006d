using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;

namespace Eclairs.Simulation;

/// <summary>
/// Generates a labelled data set from a <see cref="DatasetPreset"/>: every slot has an intended
/// cause; its scenario is simulated with seeds derived from (preset seed, slot, attempt) until
/// the trigger raises an alert whose ground-truth label is the intended one (and, for full-image
/// presets, whose sub-image is complete). Slots are independent, so they run in parallel and the
/// result is identical bit for bit whatever the thread count.
/// </summary>
public sealed class DatasetGenerator
{
    /// <summary>Attempts per slot before giving up (a cause that never raises an alert is a bug to report, not to loop on).</summary>
    public const int DefaultMaxAttempts = 5000;

    private readonly InstrumentGeometry _geometry;
    private readonly CodedMask? _mask;
    private readonly TriggerConfig? _config;

    /// <summary>A generator on the preset's own instrument (<see cref="DatasetPreset.Settings"/>); a
    /// <paramref name="mask"/> or <paramref name="config"/> given here replaces the preset's.</summary>
    public DatasetGenerator(InstrumentGeometry? geometry = null, CodedMask? mask = null, TriggerConfig? config = null)
    {
        _geometry = geometry ?? mask?.Geometry ?? InstrumentGeometry.Nominal;
        _mask = mask;
        _config = config;
    }

    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>
    /// Stop attempts that cannot raise an alert after their noise-free assist (<see cref="AlertSimulator.SimulateUnlessDoomed"/>);
    /// the alerts kept, hence the bytes, are the same either way (test), only sooner. Off: every attempt runs the trigger.
    /// </summary>
    public bool ScreenDoomedAttempts { get; init; } = true;

    /// <summary>Worker threads (default: every core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Generates the preset's alerts. <paramref name="progress"/> is called with the number of finished slots.</summary>
    public GeneratedDataset Generate(DatasetPreset preset, ulong seed, Action<int>? progress = null, CancellationToken cancel = default) =>
        Generate(preset, seed, DatasetShard.Whole, progress, cancel);

    /// <summary>
    /// Generates shard <paramref name="shard"/> of the preset: its contiguous range of slots, each simulated exactly as
    /// in the whole run (a slot's seeds depend only on the preset seed and the slot), so the shards of one seed,
    /// concatenated in order (<c>eclairs dataset merge</c>), are the whole run byte for byte.
    /// </summary>
    public GeneratedDataset Generate(DatasetPreset preset, ulong seed, DatasetShard shard, Action<int>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        AlertCause[] all = preset.SlotCauses(seed);
        (int first, int count) = shard.Slots(all.Length);
        var alerts = new SimulatedAlert[count];
        var attempts = new int[count];
        var rejectedFlags = new int[count][];
        SimulationSettings settings = preset.Settings;
        if (_config is not null)
        {
            settings = settings with { Trigger = _config };
        }

        CodedMask mask = _mask ?? settings.Mask(_geometry);
        var plan = new ReconstructionPlan(_geometry, mask);
        int done = 0;
        var profile = new SimulationProfile();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Threads), CancellationToken = cancel };
        Parallel.For(0, count, options, () => new AlertSimulator(settings, _geometry, plan), (i, _, simulator) =>
        {
            int slot = first + i;
            (alerts[i], attempts[i], rejectedFlags[i]) = FillSlot(simulator, all[slot], preset, seed, slot);
            progress?.Invoke(Interlocked.Increment(ref done));
            return simulator;
        }, simulator => profile.Merge(simulator.Profile));

        return new GeneratedDataset(preset, seed, alerts, attempts, rejectedFlags) { Shard = shard, FirstSlot = first, Profile = profile };
    }

    private (SimulatedAlert Alert, int Attempts, int[] Flags) FillSlot(AlertSimulator simulator, AlertCause cause, DatasetPreset preset, ulong seed, int slot)
    {
        Scenario scenario = ScenarioCatalogue.For(cause);
        AlertLabel wanted = DatasetPreset.LabelOf(cause);
        var flags = new int[GeneratedDataset.FlagCombinations];
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            ulong attemptSeed = SimulationRandom.DeriveSeed(seed, (ulong)slot, (ulong)attempt + 1);
            QualityFlags doomedBy = QualityFlags.None;
            SimulatedAlert? alert = ScreenDoomedAttempts
                ? simulator.SimulateUnlessDoomed(scenario, attemptSeed, out doomedBy)
                : simulator.Simulate(scenario, attemptSeed);
            if (alert is null)
            {
                flags[(int)doomedBy & (GeneratedDataset.FlagCombinations - 1)]++;
                continue;
            }

            if (alert.Raised && alert.Label == wanted && alert.Cause == cause && (preset.AllowPartial || !alert.Partial))
            {
                return (alert, attempt + 1, flags);
            }

            flags[alert.QualityFlags & (GeneratedDataset.FlagCombinations - 1)]++;
        }

        throw new InvalidOperationException(
            $"Slot {slot}: scenario {cause} raised no {wanted} alert{(preset.AllowPartial ? "" : " with a full sub-image")} in {MaxAttempts} attempts (seed {seed}).");
    }
}
