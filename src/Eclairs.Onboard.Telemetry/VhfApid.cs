namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// Application process identifiers of the stand-in layout (SVOM's are not public): one for alert messages, one for
/// the parts of the alert sub-image.
/// </summary>
public static class VhfApid
{
    public const int AlertMessage = 0x520;

    public const int SubImage = 0x521;
}
