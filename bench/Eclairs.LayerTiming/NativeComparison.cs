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
    /// <param name="libraries">One or more native libraries (a loader, or one compiled variant): each is loaded and timed.</param>
    public static void Run(string[] libraries, string model, Action managed, float[] snr, byte[] mask, int rounds, int calls)
    {
        int n = libraries.Length;
        var contexts = new nint[n];
        var classify = new nint[n];
        var names = new string[n];
        byte* info = stackalloc byte[136];
        for (int i = 0; i < n; i++)
        {
            nint lib = NativeLibrary.Load(libraries[i]);
            var load = (delegate* unmanaged<byte*, void**, int>)NativeLibrary.GetExport(lib, "ecl_model_load_file");
            var create = (delegate* unmanaged<void*, void**, int>)NativeLibrary.GetExport(lib, "ecl_context_create");
            var kernelInfo = (delegate* unmanaged<void*, byte*, int>)NativeLibrary.GetExport(lib, "ecl_model_get_kernel_info");
            classify[i] = NativeLibrary.GetExport(lib, "ecl_classify");
            void* handle, context;
            byte[] path = System.Text.Encoding.UTF8.GetBytes(model + "\0");
            fixed (byte* p = path)
            {
                Check(load(p, &handle), "ecl_model_load_file");
            }
            Check(create(handle, &context), "ecl_context_create");
            Check(kernelInfo(handle, info), "ecl_model_get_kernel_info");
            contexts[i] = (nint)context;
            names[i] = $"{System.IO.Path.GetFileName(libraries[i])} ({Marshal.PtrToStringUTF8((nint)(info + 72))})";
        }
        byte* result = stackalloc byte[16];
        var times = new double[n + 1][];
        for (int i = 0; i <= n; i++)
        {
            times[i] = new double[rounds];
        }
        fixed (float* s = snr)
        fixed (byte* k = mask)
        {
            for (int i = 0; i < n; i++)
            {
                for (int w = 0; w < 200; w++)
                {
                    Check(((delegate* unmanaged<void*, float*, byte*, void*, int>)classify[i])((void*)contexts[i], s, k, result), "ecl_classify");
                }
            }
            for (int r = 0; r < rounds; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    managed();
                }
                times[0][r] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls;
                for (int i = 0; i < n; i++)
                {
                    var f = (delegate* unmanaged<void*, float*, byte*, void*, int>)classify[i];
                    void* context = (void*)contexts[i];
                    long t1 = Stopwatch.GetTimestamp();
                    for (int c = 0; c < calls; c++)
                    {
                        f(context, s, k, result);
                    }
                    times[i + 1][r] = Stopwatch.GetElapsedTime(t1).TotalMicroseconds / calls;
                }
            }
        }
        foreach (double[] t in times)
        {
            Array.Sort(t);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed (JIT): median {times[0][rounds / 2]:F1} us, min {times[0][0]:F1}"));
        for (int i = 0; i < n; i++)
        {
            double[] t = times[i + 1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ecl_classify {names[i]}: median {t[rounds / 2]:F1} us, min {t[0]:F1}; / managed: {t[rounds / 2] / times[0][rounds / 2]:F2} (medians), {t[0] / times[0][0]:F2} (minima)"));
        }
    }

    private static void Check(int status, string what)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"{what} returned {status}");
        }
    }
}
