using System;
using System.Threading.Tasks;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;

namespace Eclairs.Simulation;

/// <summary>
/// Measures, per scenario, what the trigger does with its observations: the fraction that raise
/// an alert, the fraction whose alert has the intended label, the partial fraction, and the
/// quality-flag mix of all attempts. The figures of docs/simulation.md come from here.
/// </summary>
public static class YieldSurvey
{
    public static SurveyResult Run(AlertCause cause, int observations, ulong seed, int threads = 0,
        InstrumentGeometry? geometry = null, CodedMask? mask = null, TriggerConfig? config = null) =>
        Run(cause, observations, seed, SimulationSettings.Nominal with { Trigger = config ?? TriggerConfig.Default }, threads, geometry, mask);

    /// <summary>The survey on the instrument and trigger of <paramref name="settings"/> (a preset's).</summary>
    public static SurveyResult Run(AlertCause cause, int observations, ulong seed, SimulationSettings settings, int threads = 0,
        InstrumentGeometry? geometry = null, CodedMask? mask = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observations);
        ArgumentNullException.ThrowIfNull(settings);
        geometry ??= mask?.Geometry ?? InstrumentGeometry.Nominal;
        var plan = new ReconstructionPlan(geometry, mask ?? settings.Mask(geometry));
        Scenario scenario = ScenarioCatalogue.For(cause);
        var results = new SimulatedAlert[observations];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, observations, options, () => new AlertSimulator(settings, geometry, plan), (i, _, simulator) =>
        {
            results[i] = simulator.Simulate(scenario, SimulationRandom.DeriveSeed(seed, (ulong)i, (ulong)cause));
            return simulator;
        }, _ => { });

        var flags = new int[GeneratedDataset.FlagCombinations];
        int raised = 0, intended = 0, partial = 0;
        double peakSum = 0;
        foreach (SimulatedAlert a in results)
        {
            flags[a.QualityFlags & (GeneratedDataset.FlagCombinations - 1)]++;
            if (!a.Raised)
            {
                continue;
            }

            raised++;
            peakSum += a.PeakSnr;
            if (a.Label == scenario.IntendedLabel && a.Cause == cause)
            {
                intended++;
                partial += a.Partial ? 1 : 0;
            }
        }

        return new SurveyResult(cause, observations, raised, intended, partial, raised > 0 ? peakSum / raised : 0, flags);
    }
}

/// <summary>One scenario's survey.</summary>
/// <param name="Cause">The scenario.</param>
/// <param name="Observations">Observations simulated.</param>
/// <param name="Raised">Alerts raised by the trigger.</param>
/// <param name="Intended">Raised alerts whose label and cause are the scenario's.</param>
/// <param name="IntendedPartial">Of those, how many have a partial sub-image.</param>
/// <param name="MeanPeakSnr">Mean peak SNR of the raised alerts.</param>
/// <param name="Flags">Observations per quality-flag combination (0 = raised).</param>
public sealed record SurveyResult(AlertCause Cause, int Observations, int Raised, int Intended, int IntendedPartial, double MeanPeakSnr, int[] Flags)
{
    public double RaisedFraction => (double)Raised / Observations;
    public double IntendedFraction => (double)Intended / Observations;

    /// <summary>Fraction of observations with a flag bit set: 0 below threshold, 1 std, 2 peak ratio, 3 outside the field.</summary>
    public double FlagFraction(int bit)
    {
        int n = 0;
        for (int f = 0; f < Flags.Length; f++)
        {
            n += (f >> bit & 1) == 1 ? Flags[f] : 0;
        }

        return (double)n / Observations;
    }
}
