using System;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Scenarios;

/// <summary>
/// One kind of observation from the seed deck: builds the physical observation (what the sky,
/// the background and the detector really did) for a seed. Scenarios never decide whether an
/// alert is raised or how it is labelled: the trigger and <see cref="AlertLabeler"/> do.
/// </summary>
public abstract class Scenario
{
    public abstract AlertCause Cause { get; }

    /// <summary>The label this scenario is meant to produce when its mechanism raises the alert.</summary>
    public abstract AlertLabel IntendedLabel { get; }

    /// <summary>One line for docs and the CLI.</summary>
    public abstract string Description { get; }

    /// <summary>Builds the observation drawn from <paramref name="rng"/>.</summary>
    public abstract Observation Build(SimulationRandom rng, ScenarioContext context);
}
