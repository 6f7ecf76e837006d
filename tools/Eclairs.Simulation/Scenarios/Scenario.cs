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

    /// <summary>The cause stored when a raised alert was labelled <paramref name="label"/> by ground truth.
    /// Usually this scenario's cause; when the trigger fired on something else (a true scenario whose
    /// alert missed the burst, two catalogued sources in a sub-image) the cause says what that was.</summary>
    public AlertCause CauseFor(AlertLabel label) => label == IntendedLabel ? Cause : label switch
    {
        AlertLabel.TrueAlert => AlertCause.Burst,
        AlertLabel.Unclear => AlertCause.UnclearTwoSources,
        _ => CauseWhenFalse,
    };

    /// <summary>What a false alert of this scenario is when it was not meant to be false.</summary>
    protected virtual AlertCause CauseWhenFalse => AlertCause.StatisticalFluctuation;

    /// <summary>Builds the observation drawn from <paramref name="rng"/>.</summary>
    public abstract Observation Build(SimulationRandom rng, ScenarioContext context);
}
