namespace Eclairs.Onboard.Inference;

/// <summary>Which kernels a model runs. Chosen once, at load.</summary>
public enum KernelPath
{
    /// <summary>The widest path this CPU accelerates (Vector512, then Vector256, Vector128, Scalar).</summary>
    Auto = 0,
    /// <summary>Plain scalar reference kernels (the path the SIMD kernels are tested against).</summary>
    Scalar = 1,
    /// <summary>128-bit SIMD: SSE/AVX on x64, NEON on arm64. The portable baseline.</summary>
    Vector128 = 2,
    /// <summary>256-bit SIMD (AVX2 on x64).</summary>
    Vector256 = 3,
    /// <summary>512-bit SIMD (AVX-512 on x64).</summary>
    Vector512 = 4,
}

/// <summary>Options fixed when a model is loaded.</summary>
public sealed record ModelOptions
{
    /// <summary>Kernel path to use; a path the CPU does not accelerate is refused at load.</summary>
    public KernelPath KernelPath { get; init; } = KernelPath.Auto;
}
