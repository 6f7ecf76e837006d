using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>Which detector pixels take part (W in the reconstruction): whole modules or single pixels can be disabled.</summary>
public sealed class DetectorMask
{
    private readonly bool[] _active;

    public DetectorMask(InstrumentGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        _active = new bool[geometry.DetectorPixels];
        Array.Fill(_active, true);
    }

    public InstrumentGeometry Geometry { get; }

    public ReadOnlySpan<bool> Active => _active;

    public int ActiveCount
    {
        get
        {
            int n = 0;
            foreach (bool a in _active)
            {
                n += a ? 1 : 0;
            }

            return n;
        }
    }

    public bool IsActive(int row, int column) => _active[Index(row, column)];

    public DetectorMask DisablePixel(int row, int column)
    {
        _active[Index(row, column)] = false;
        return this;
    }

    /// <summary>Disables the module at module coordinates (<paramref name="moduleRow"/>, <paramref name="moduleColumn"/>):
    /// modules are <see cref="InstrumentGeometry.ModuleRows"/> rows by <see cref="InstrumentGeometry.ModuleColumns"/> columns of pixels.</summary>
    public DetectorMask DisableModule(int moduleRow, int moduleColumn)
    {
        int rows = Geometry.ModuleRows, cols = Geometry.ModuleColumns;
        int modulesPerColumn = Geometry.DetectorSide / rows, modulesPerRow = Geometry.DetectorSide / cols;
        if ((uint)moduleRow >= (uint)modulesPerColumn || (uint)moduleColumn >= (uint)modulesPerRow)
        {
            throw TriggerArgumentException.Range(nameof(moduleRow), $"module ({moduleRow}, {moduleColumn}) is outside the {modulesPerColumn} x {modulesPerRow} module grid.");
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                _active[Index(moduleRow * rows + r, moduleColumn * cols + c)] = false;
            }
        }

        return this;
    }

    private int Index(int row, int column)
    {
        int side = Geometry.DetectorSide;
        if ((uint)row >= (uint)side || (uint)column >= (uint)side)
        {
            throw TriggerArgumentException.Range(nameof(row), $"pixel ({row}, {column}) is outside the {side} x {side} detector.");
        }

        return row * side + column;
    }
}
