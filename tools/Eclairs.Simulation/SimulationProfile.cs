using System;
using System.Diagnostics;

namespace Eclairs.Simulation;

/// <summary>
/// Where generation time goes: thread time per phase of <see cref="AlertSimulator"/> (Stopwatch ticks, summed over
/// observations and threads). <c>eclairs dataset --profile</c> prints it; docs/simulation.md tabulates it.
/// </summary>
public sealed class SimulationProfile
{
    /// <summary>The phases of one observation, in the order they run.</summary>
    public enum Phase
    {
        /// <summary>The scenario draws the observation.</summary>
        Scenario,

        /// <summary>The trigger gets the observation's catalogue (one reconstruction per known source), or a plan for missing modules.</summary>
        TriggerSetup,

        /// <summary>Expected counts: background, sources, Earth, detector state.</summary>
        ExpectedCounts,

        /// <summary>The noise-free trigger run that places an assisted excursion.</summary>
        Assist,

        /// <summary>Poisson counts.</summary>
        Sampling,

        /// <summary>The trigger on the counts.</summary>
        Trigger,

        /// <summary>Truth, label, cause and the copied sub-image.</summary>
        Labelling,
    }

    public static readonly int PhaseCount = Enum.GetValues<Phase>().Length;

    private readonly long[] _ticks = new long[PhaseCount];

    public long Observations { get; private set; }

    /// <summary>Observations stopped after the assist because they could not raise an alert (<see cref="AlertSimulator.SimulateUnlessDoomed"/>).</summary>
    public long Screened { get; private set; }

    /// <summary>Seconds spent in <paramref name="phase"/>.</summary>
    public double Seconds(Phase phase) => (double)_ticks[(int)phase] / Stopwatch.Frequency;

    public double TotalSeconds
    {
        get
        {
            long sum = 0;
            foreach (long t in _ticks)
            {
                sum += t;
            }

            return (double)sum / Stopwatch.Frequency;
        }
    }

    internal void Add(Phase phase, long ticks) => _ticks[(int)phase] += ticks;

    internal void CountObservation() => Observations++;

    internal void CountScreened() => Screened++;

    /// <summary>Adds another profile into this one (thread-local profiles merged at the end of a run).</summary>
    public void Merge(SimulationProfile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        lock (_ticks)
        {
            for (int i = 0; i < PhaseCount; i++)
            {
                _ticks[i] += other._ticks[i];
            }

            Observations += other.Observations;
            Screened += other.Screened;
        }
    }
}
