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
    private readonly CodedMask _mask;
    private readonly TriggerConfig _config;

    public DatasetGenerator(InstrumentGeometry? geometry = null, CodedMask? mask = null, TriggerConfig? config = null)
    {
        _geometry = geometry ?? InstrumentGeometry.Nominal;
        _mask = mask ?? CodedMask.Generate(_geometry);
        _config = config ?? TriggerConfig.Default;
    }

    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>Worker threads (default: every core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Generates the preset's alerts. <paramref name="progress"/> is called with the number of finished slots.</summary>
    public GeneratedDataset Generate(DatasetPreset preset, ulong seed, Action<int>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        AlertCause[] causes = preset.SlotCauses(seed);
        var alerts = new SimulatedAlert[causes.Length];
        var attempts = new int[causes.Length];
        var rejectedFlags = new int[causes.Length][];
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Threads), CancellationToken = cancel };
        Parallel.For(0, causes.Length, options, () => new AlertSimulator(_geometry, _mask, _config), (slot, _, simulator) =>
        {
            (alerts[slot], attempts[slot], rejectedFlags[slot]) = FillSlot(simulator, causes[slot], preset, seed, slot);
            progress?.Invoke(Interlocked.Increment(ref done));
            return simulator;
        }, _ => { });

        return new GeneratedDataset(preset, seed, alerts, attempts, rejectedFlags);
    }

    private (SimulatedAlert Alert, int Attempts, int[] Flags) FillSlot(AlertSimulator simulator, AlertCause cause, DatasetPreset preset, ulong seed, int slot)
    {
        Scenario scenario = ScenarioCatalogue.For(cause);
        AlertLabel wanted = DatasetPreset.LabelOf(cause);
        var flags = new int[GeneratedDataset.FlagCombinations];
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            ulong attemptSeed = SimulationRandom.DeriveSeed(seed, (ulong)slot, (ulong)attempt + 1);
            SimulatedAlert alert = simulator.Simulate(scenario, attemptSeed);
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
