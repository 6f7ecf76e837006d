using Eclairs.Onboard.Trigger;

namespace Eclairs.Onboard.Native;

/// <summary>What an ecl_trigger handle holds: the trigger and the alert it writes before the copy to C memory.</summary>
internal sealed class NativeTrigger(OnboardTrigger trigger)
{
    public OnboardTrigger Trigger { get; } = trigger;

    public Alert Alert { get; } = new();
}
