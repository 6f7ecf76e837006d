using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Eclairs.Onboard.Inference;
using X86 = System.Runtime.Intrinsics.X86;
using Arm = System.Runtime.Intrinsics.Arm;

namespace Eclairs.Onboard.Native;

/// <summary>
/// Which compiled variant of the library is running, for ecl_model_get_kernel_info. Under NativeAOT, Vector256 and
/// Vector512 acceleration (and AVX2, AVX-512) are fixed when the variant is compiled (IlcInstructionSet), so they
/// name it: x86-64-v4, x86-64-v3, or the x86-64 baseline (docs/native-paths.md). Under the JIT they describe the CPU.
/// </summary>
internal static class CompiledTarget
{
    public static string InstructionSet
    {
        get
        {
            string target = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 when Vector512.IsHardwareAccelerated && X86.Avx512BW.IsSupported => "x86-64-v4",
                Architecture.X64 when Vector256.IsHardwareAccelerated && X86.Avx2.IsSupported => "x86-64-v3",
                Architecture.X64 => "x86-64",
                Architecture.Arm64 => Arm.Dp.IsSupported ? "armv8-a (DotProd)" : "armv8-a",
                _ => RuntimeInformation.ProcessArchitecture.ToString(),
            };
            return RuntimeFeature.IsDynamicCodeCompiled ? "jit " + target : target; // Supported is switched off by PublishAot even under the JIT
        }
    }

    /// <summary>The instructions the model's SIMD steps use on this path.</summary>
    public static string Lanes(KernelPath path, NumberFormat format, KernelAlgorithm[] steps)
    {
        bool arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
        return path switch
        {
            KernelPath.Scalar => "scalar",
            KernelPath.Vector512 => format == NumberFormat.Int8 ? "AVX-512BW" : "AVX-512F",
            KernelPath.Vector256 => format == NumberFormat.Int8 ? "AVX2" : "AVX2+FMA",
            _ when arm => System.Array.IndexOf(steps, KernelAlgorithm.DotProductDense) >= 0 ? "AdvSimd+DotProd" : "AdvSimd",
            _ => format == NumberFormat.Int8 ? "SSE4.1+AVX2" : "SSE2",
        };
    }
}
