using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Eclairs.LayerTiming;

/// <summary>
/// The managed classification against the native library's ecl_classify in one process, interleaved round by round
/// (function pointers from NativeLibrary: no marshalling in the timed calls).
/// </summary>
internal static unsafe class NativeComparison
{
    public static void Run(string library, string model, Action managed, float[] snr, byte[] mask, int rounds, int calls)
    {
        nint lib = NativeLibrary.Load(library);
        var load = (delegate* unmanaged<byte*, void**, int>)NativeLibrary.GetExport(lib, "ecl_model_load_file");
        var create = (delegate* unmanaged<void*, void**, int>)NativeLibrary.GetExport(lib, "ecl_context_create");
        var classify = (delegate* unmanaged<void*, float*, byte*, void*, int>)NativeLibrary.GetExport(lib, "ecl_classify");
        var kernelInfo = (delegate* unmanaged<void*, byte*, int>)NativeLibrary.GetExport(lib, "ecl_model_get_kernel_info");
        void* handle, context;
        byte[] path = System.Text.Encoding.UTF8.GetBytes(model + "\0");
        byte* info = stackalloc byte[136];
        fixed (byte* p = path)
        {
            Check(load(p, &handle), "ecl_model_load_file");
        }
        Check(create(handle, &context), "ecl_context_create");
        Check(kernelInfo(handle, info), "ecl_model_get_kernel_info");
        string variant = Marshal.PtrToStringUTF8((nint)(info + 72)) ?? "?";
        byte* result = stackalloc byte[16];
        var m = new double[rounds];
        var n = new double[rounds];
        fixed (float* s = snr)
        fixed (byte* k = mask)
        {
            for (int i = 0; i < 200; i++)
            {
                Check(classify(context, s, k, result), "ecl_classify");
            }
            for (int r = 0; r < rounds; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    managed();
                }
                long t1 = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    classify(context, s, k, result);
                }
                m[r] = Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds / calls;
                n[r] = Stopwatch.GetElapsedTime(t1).TotalMicroseconds / calls;
            }
        }
        Array.Sort(m);
        Array.Sort(n);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"managed (JIT) median {m[rounds / 2]:F1} us, min {m[0]:F1}; ecl_classify ({variant}) median {n[rounds / 2]:F1} us, min {n[0]:F1}; native / managed: {n[rounds / 2] / m[rounds / 2]:F2} (medians), {n[0] / m[0]:F2} (minima)"));
    }

    private static void Check(int status, string what)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"{what} returned {status}");
        }
    }
}
