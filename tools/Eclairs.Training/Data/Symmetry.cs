namespace Eclairs.Training.Data;

/// <summary>
/// The eight symmetries of the square (dihedral group D4), taken about the centre of the trigger pixel.
/// Each is defined by where an output pixel at offset (dy, dx) from the trigger reads its value.
/// </summary>
public enum Symmetry
{
    /// <summary>Source (dy, dx).</summary>
    Identity,

    /// <summary>Quarter turn: source (dx, -dy).</summary>
    Rotate90,

    /// <summary>Half turn: source (-dy, -dx).</summary>
    Rotate180,

    /// <summary>Three-quarter turn: source (-dx, dy).</summary>
    Rotate270,

    /// <summary>Up-down mirror: source (-dy, dx).</summary>
    FlipRows,

    /// <summary>Left-right mirror: source (dy, -dx).</summary>
    FlipColumns,

    /// <summary>Mirror on the main diagonal: source (dx, dy).</summary>
    Transpose,

    /// <summary>Mirror on the anti-diagonal: source (-dx, -dy).</summary>
    AntiTranspose,
}
