namespace Eclairs.Onboard.Inference;

/// <summary>Which vector width a model's kernels run, float32 and int8 alike. Chosen once, at load.</summary>
public enum KernelPath
{
    /// <summary>The widest path this CPU accelerates for the model (see <see cref="KernelSelector.Resolve"/>).</summary>
    Auto = 0,
    /// <summary>Plain scalar reference kernels (the path the SIMD kernels are tested against, the golden vectors' path).</summary>
    Scalar = 1,
    /// <summary>128-bit SIMD: SSE/AVX on x64 (int8: SSE4.1 with AVX2 per-lane shifts), NEON on arm64.</summary>
    Vector128 = 2,
    /// <summary>256-bit SIMD (AVX2 on x64).</summary>
    Vector256 = 3,
    /// <summary>512-bit SIMD (AVX-512 on x64; int8 needs AVX-512BW).</summary>
    Vector512 = 4,
}

/// <summary>Options fixed when a model is loaded (float32 and int8).</summary>
public sealed record ModelOptions
{
    /// <summary>Kernel path to use; a path the CPU does not accelerate is refused at load.</summary>
    public KernelPath KernelPath { get; init; } = KernelPath.Auto;

    /// <summary>
    /// Plan every step's output to be written (no 2x2 max pool fused into the convolution before it), so a context
    /// can read each layer: golden vectors and per-layer noise. The final results are the same.
    /// </summary>
    public bool KeepEveryStep { get; init; }

    /// <summary>
    /// Largest Winograd output tile the planner may use: 4 (F(4x4) where it applies, else F(2x2)), 2 (F(2x2)
    /// only), 0 (direct kernels only: the smallest model memory).
    /// </summary>
    public int MaxWinogradTile { get; init; } = 4;

    /// <summary>
    /// Test-only: plan int8 dense layers on SDOT (true) or never (false); null: where the CPU has it on the 128-bit
    /// path. Forced on a CPU without SDOT, its lane-by-lane definition stands in.
    /// </summary>
    internal bool? DotProductDense { get; init; }

    /// <summary>
    /// Test-only: vectors of output channels in the float direct and Winograd register tiles (1, 2 or 4); null: the
    /// selector's choice for the ISA's register file (<see cref="KernelSelector.FloatTileVectors"/>).
    /// </summary>
    internal int? FloatTileVectors { get; init; }
}
