using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Native;

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
        int? tile = options.Winograd switch
        {
            0 => new ModelOptions().MaxWinogradTile,
            1 => 0,
            2 => 2,
            4 => 4,
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
