using System.Collections.Generic;
using System;

namespace Eclairs.Simulation;

/// <summary>
/// The detector plane as it really is during the exposure, against which the trigger's model
/// (uniform efficiency, every pixel alive, flat or quadratic background) is wrong:
/// per-pixel relative efficiency (XRDPIX modules, dead pixels), extra counts that no sky
/// photon made (noisy pixels, column effect, particle clusters), and switched-off modules.
/// </summary>
public sealed class DetectorState
{
    public DetectorState(int side, int moduleColumns, int moduleRows)
    {
        if (side <= 0 || moduleColumns <= 0 || moduleRows <= 0 || side % moduleColumns != 0 || side % moduleRows != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(side), $"Detector side {side} must be a positive multiple of the module size {moduleColumns} x {moduleRows}.");
        }

        Side = side;
        ModuleColumns = moduleColumns;
        ModuleRows = moduleRows;
        Efficiency = new float[side * side];
        Array.Fill(Efficiency, 1f);
        ExtraCountsPerS = new float[side * side];
        LowEnergyEfficiency = new float[side * side];
        Array.Fill(LowEnergyEfficiency, 1f);
        LowEnergyNoisePerS = new float[side * side];
    }

    public int Side { get; }
    public int ModuleColumns { get; }
    public int ModuleRows { get; }
    public int ModulesAcross => Side / ModuleColumns;
    public int ModulesDown => Side / ModuleRows;
    public int ModuleCount => ModulesAcross * ModulesDown;

    /// <summary>Relative efficiency per pixel (row-major); 1 is what the trigger assumes, 0 a dead pixel.</summary>
    public float[] Efficiency { get; }

    /// <summary>Counts/s per pixel added after the efficiency: noise, not photons from the sky.</summary>
    public float[] ExtraCountsPerS { get; }

    /// <summary>
    /// Relative efficiency for photons below 8 keV, on top of <see cref="Efficiency"/> (Xie et al. 2024): below 1 for
    /// the low-efficiency pixels of one production batch, near 0 for the high-threshold pixels whose threshold was
    /// raised against cross-talk. 1 everywhere unless a scenario says otherwise.
    /// </summary>
    public float[] LowEnergyEfficiency { get; }

    /// <summary>Noise counts/s per pixel deposited at 4–8 keV (the heat-pipe noise of Xie et al. 2024), after the efficiencies.</summary>
    public float[] LowEnergyNoisePerS { get; }

    /// <summary>True when any pixel has a low-energy efficiency other than 1 or low-energy noise.</summary>
    public bool HasLowEnergyEffects
    {
        get
        {
            for (int i = 0; i < LowEnergyEfficiency.Length; i++)
            {
                if (LowEnergyEfficiency[i] != 1f || LowEnergyNoisePerS[i] != 0f)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Modules switched off: they read no counts (and the trigger is told when it can be).</summary>
    public ISet<int> MissingModules { get; } = new SortedSet<int>();

    /// <summary>Module index (row-major over modules) holding a pixel.</summary>
    public int ModuleOf(int column, int row) => row / ModuleRows * ModulesAcross + column / ModuleColumns;

    /// <summary>Pixels of a module as (column, row) ranges.</summary>
    public (int Column0, int Row0) ModuleOrigin(int module)
    {
        if ((uint)module >= (uint)ModuleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(module), $"Module {module} outside [0, {ModuleCount}).");
        }

        return (module % ModulesAcross * ModuleColumns, module / ModulesAcross * ModuleRows);
    }

    /// <summary>Multiplies every pixel of a module by a factor.</summary>
    public void ScaleModule(int module, float factor)
    {
        (int c0, int r0) = ModuleOrigin(module);
        for (int r = r0; r < r0 + ModuleRows; r++)
        {
            for (int c = c0; c < c0 + ModuleColumns; c++)
            {
                Efficiency[r * Side + c] *= factor;
            }
        }
    }

    /// <summary>True when the pixel reads no counts at all (switched-off module).</summary>
    public bool IsMissing(int column, int row) => MissingModules.Contains(ModuleOf(column, row));

    /// <summary>Map of pixels that deliver data: 1 live (even if dead or noisy), 0 in a missing module.</summary>
    public byte[] ActiveMap()
    {
        var map = new byte[Side * Side];
        for (int r = 0; r < Side; r++)
        {
            for (int c = 0; c < Side; c++)
            {
                map[r * Side + c] = IsMissing(c, r) ? (byte)0 : (byte)1;
            }
        }

        return map;
    }
}
