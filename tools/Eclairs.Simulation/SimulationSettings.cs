using System;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Simulation;

/// <summary>
/// The instrument and trigger a data set is simulated with: which mask pattern, how bright the background, which
/// trigger bands and which trigger settings. <see cref="Nominal"/> is what every preset before the shifted-domain
/// one used (and what the shipped models were trained on); a preset that changes any of it is another domain.
/// </summary>
public sealed record SimulationSettings
{
    public static SimulationSettings Nominal { get; } = new();

    /// <summary>Seed of the random mask pattern (<see cref="CodedMask.Generate"/>): another seed is another instrument.</summary>
    public ulong MaskSeed { get; init; } = CodedMask.DefaultSeed;

    /// <summary>Multiplies the nominal background level every scenario starts from (orbit, season, particle environment).</summary>
    public double BackgroundScale { get; init; } = 1.0;

    /// <summary>One broad band, or the soft and hard trigger bands at once.</summary>
    public BandMode Bands { get; init; } = BandMode.Full;

    /// <summary>The trigger's settings (the simulator sets the background model per observation).</summary>
    public TriggerConfig Trigger { get; init; } = TriggerConfig.Default;

    /// <summary>Background level every scenario starts from (counts/s per pixel, 4–120 keV).</summary>
    public double BackgroundPerPixel => BackgroundField.NominalPerPixel * BackgroundScale;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or the trigger's own exception for values out of range.</summary>
    public void Validate()
    {
        if (!(BackgroundScale > 0 && BackgroundScale <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(BackgroundScale), $"Background scale must lie in (0, 100]; got {BackgroundScale}.");
        }

        if (!Enum.IsDefined(Bands))
        {
            throw new ArgumentOutOfRangeException(nameof(Bands), $"Unknown band mode {Bands}.");
        }

        ArgumentNullException.ThrowIfNull(Trigger);
        Trigger.Validate();
    }

    /// <summary>The mask pattern of these settings on <paramref name="geometry"/>.</summary>
    public CodedMask Mask(InstrumentGeometry geometry) => CodedMask.Generate(geometry, MaskSeed);
}
