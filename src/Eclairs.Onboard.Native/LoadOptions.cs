using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Native;

/// <summary>ECL_WINOGRAD_* of ecl_load_options.winograd.</summary>
public enum EclWinograd : uint
{
    Default = 0,
    Off = 1,
    UpToF2 = 2,
    UpToF4 = 4,
}

/// <summary>ecl_load_options to the engine's <see cref="ModelOptions"/>, every field checked against its documented range.</summary>
internal static class LoadOptions
{
    public static unsafe EclStatus TryRead(in EclLoadOptions options, out ModelOptions? planned)
    {
        planned = null;
        for (int i = 0; i < EclLoadOptions.ReservedWords; i++)
        {
            if (options.Reserved[i] != 0)
            {
                return EclStatus.InputRange;
            }
        }

        // ECL_WINOGRAD_DEFAULT (0) is ecl_model_load's plan, so a zeroed struct changes nothing; OFF (1) plans direct
        // convolutions only, 2 and 4 the largest tile.
        int? tile = (EclWinograd)options.Winograd switch
        {
            EclWinograd.Default => new ModelOptions().MaxWinogradTile,
            EclWinograd.Off => 0,
            EclWinograd.UpToF2 => 2,
            EclWinograd.UpToF4 => 4,
            _ => null,
        };
        if (options.KernelPath > (uint)KernelPath.Vector512 || tile is null)
        {
            return EclStatus.InputRange;
        }

        planned = new ModelOptions { KernelPath = (KernelPath)options.KernelPath, MaxWinogradTile = tile.Value };
        return EclStatus.Ok;
    }
}
