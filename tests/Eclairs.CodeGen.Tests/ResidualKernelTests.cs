using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// The C kernels of the residual-network layers (ecl_i8_add, ecl_i8_average_pool, ecl_i8_conv2d_strided), each called
/// on random data by a small driver compiled with the shipped kernel files, against plain C# loops of TFLM's formulas
/// written here (int8 ADD, int8 AveragePool, a convolution of any stride): independent of both the C and the engine.
/// The whole models are replayed against the engine by tests/codegen/run.sh and <see cref="ResidualModelTests"/>.
/// </summary>
public sealed class ResidualKernelTests
{
    private const string Driver = """
        #include <stdio.h>
        #include <stdlib.h>
        #include "ecl_int8_kernels.h"
        /* stdin: cases until EOF, each: i32 op (1 add, 2 average pool, 3 strided conv), its i32 header, its data;
         * stdout: each case's int8 output. */
        static int32_t read_i32(void) { int32_t v = 0; if (fread(&v, 4, 1, stdin) != 1) { exit(0); } return v; }
        static void *read_bytes(size_t n) { void *p = malloc(n + 1u); if (p == NULL || fread(p, 1, n, stdin) != n) { exit(2); } return p; }
        int main(void)
        {
            for (;;) {
                const int32_t op = read_i32();
                ecl_i8_step s = { 0 };
                s.in.height = read_i32(); s.in.width = read_i32(); s.in.channels = read_i32();
                s.out.height = read_i32(); s.out.width = read_i32(); s.out.channels = read_i32();
                const size_t in_bytes = (size_t)(s.in.height * s.in.width * s.in.channels);
                const size_t out_bytes = (size_t)(s.out.height * s.out.width * s.out.channels);
                int8_t *out = malloc(out_bytes + 1u);
                if (op == 1) {
                    int32_t rq[3];
                    ecl_i8_add_scales add;
                    add.main.zero_point = read_i32(); add.main.multiplier = read_i32(); add.main.shift = read_i32();
                    add.residual.zero_point = read_i32(); add.residual.multiplier = read_i32(); add.residual.shift = read_i32();
                    add.left_shift = read_i32();
                    s.add = &add;
                    rq[0] = read_i32(); rq[1] = read_i32(); /* output multiplier, shift */
                    int8_t shift = (int8_t)rq[1];
                    s.requantize.multiplier = &rq[0]; s.requantize.shift = &shift;
                    s.requantize.output_zero_point = read_i32(); s.requantize.activation_min = read_i32();
                    int8_t *a = read_bytes(in_bytes), *b = read_bytes(in_bytes);
                    ecl_i8_add(&s, a, b, out);
                    free(a); free(b);
                } else if (op == 2) {
                    int8_t *a = read_bytes(in_bytes);
                    ecl_i8_average_pool(&s, a, out);
                    free(a);
                } else {
                    s.kernel = read_i32(); s.stride = read_i32(); s.pad = read_i32();
                    s.requantize.input_zero_point = read_i32(); s.requantize.output_zero_point = read_i32(); s.requantize.activation_min = read_i32();
                    const size_t cout = (size_t)s.out.channels;
                    int8_t *w = read_bytes((size_t)(s.kernel * s.kernel * s.in.channels) * cout);
                    int32_t *bias = read_bytes(4u * cout), *m = read_bytes(4u * cout);
                    int8_t *sh = read_bytes(cout), *a = read_bytes(in_bytes);
                    s.weights = w; s.requantize.bias = bias; s.requantize.multiplier = m; s.requantize.shift = sh;
                    ecl_i8_conv2d_strided(&s, a, out);
                    free(w); free(bias); free(m); free(sh); free(a);
                }
                fwrite(out, 1, out_bytes, stdout);
                free(out);
            }
        }
        """;

    [Fact]
    public void AddMatchesTflmsInt8AddOnRandomTensorsAndTheEdges()
    {
        var random = new Random(11);
        var cases = new List<(int[] Header, sbyte[] A, sbyte[] B)>();
        for (int k = 0; k < 60; k++)
        {
            int n = random.Next(1, 300);
            bool edge = k % 6 == 0; // extreme zero points and codes, multipliers at both ends of [2^30, 2^31)
            int Zp() => edge ? (random.Next(2) == 0 ? -128 : 127) : random.Next(-128, 128);
            int M() => edge ? (random.Next(2) == 0 ? 1 << 30 : int.MaxValue) : random.Next(1 << 30, int.MaxValue);
            int zpOut = Zp();
            int[] header = [Zp(), M(), -random.Next(0, 4), Zp(), M(), -random.Next(0, 4), 20, M(), -random.Next(15, 23), zpOut,
                random.Next(2) == 0 ? zpOut : -128];
            if (k == 1)
            {
                header[2] = -31; // the smallest scales: everything rounds to 0 or +-1
                header[8] = -31;
            }
            sbyte[] Codes() => Enumerable.Range(0, n).Select(_ => edge ? (sbyte)(random.Next(2) == 0 ? -128 : 127) : (sbyte)random.Next(-128, 128)).ToArray();
            cases.Add(([1, 1, n, 1, 1, n, 1, .. header], Codes(), Codes()));
        }
        var stdin = new MemoryStream();
        foreach ((int[] h, sbyte[] a, sbyte[] b) in cases)
        {
            Write(stdin, h);
            Write(stdin, a);
            Write(stdin, b);
        }
        byte[] output = RunDriver(stdin.ToArray());
        int offset = 0;
        foreach ((int[] h, sbyte[] a, sbyte[] b) in cases)
        {
            int[] p = h[7..];
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(TflmAdd(p, a[i], b[i]), (sbyte)output[offset + i]);
            }
            offset += a.Length;
        }
        Assert.Equal(output.Length, offset);
    }

    [Fact]
    public void AveragePoolMatchesTflmsRoundingAndDropsAnOddEdge()
    {
        var random = new Random(12);
        var cases = new List<(int H, int W, int C, sbyte[] X)>();
        foreach ((int h, int w, int c) in new[] { (2, 2, 1), (5, 7, 3), (8, 8, 16), (3, 2, 9), (14, 13, 8) })
        {
            for (int k = 0; k < 3; k++)
            {
                // k == 2: sums that are exact ties (+-2 mod 4) and the int8 extremes.
                sbyte[] x = Enumerable.Range(0, h * w * c).Select(i => k == 2 ? (sbyte)(new[] { -128, 127, -1, 1, 0, -3, 2 }[random.Next(7)]) : (sbyte)random.Next(-128, 128)).ToArray();
                cases.Add((h, w, c, x));
            }
        }
        var stdin = new MemoryStream();
        foreach ((int h, int w, int c, sbyte[] x) in cases)
        {
            Write(stdin, [2, h, w, c, h / 2, w / 2, c]);
            Write(stdin, x);
        }
        byte[] output = RunDriver(stdin.ToArray());
        int offset = 0, ties = 0;
        foreach ((int h, int w, int c, sbyte[] x) in cases)
        {
            for (int oy = 0; oy < h / 2; oy++)
            {
                for (int ox = 0; ox < w / 2; ox++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        int sum = x[((2 * oy * w) + (2 * ox)) * c + ch] + x[((2 * oy * w) + (2 * ox) + 1) * c + ch]
                            + x[((((2 * oy) + 1) * w) + (2 * ox)) * c + ch] + x[((((2 * oy) + 1) * w) + (2 * ox) + 1) * c + ch];
                        ties += Math.Abs(sum % 4) == 2 ? 1 : 0;
                        int expected = sum > 0 ? (sum + 2) / 4 : (sum - 2) / 4; // TFLM: half away from zero, C division
                        Assert.Equal((sbyte)expected, (sbyte)output[offset++]);
                    }
                }
            }
        }
        Assert.Equal(output.Length, offset);
        Assert.True(ties > 50, $"only {ties} ties");
    }

    [Theory]
    [InlineData(1, 1, 0, 7, 9, 5, 12)]  // 1x1 stride 1 (a channel projection), a channel tail
    [InlineData(1, 2, 0, 8, 7, 8, 16)]  // 1x1 stride 2 (a ResNet shortcut), odd side
    [InlineData(3, 2, 1, 9, 9, 4, 8)]   // 3x3 stride 2 'same'
    [InlineData(3, 2, 0, 10, 9, 3, 9)]  // 3x3 stride 2 'valid'
    [InlineData(5, 1, 2, 6, 6, 2, 8)]   // 5x5 stride 1 'same' through the general kernel
    [InlineData(7, 2, 3, 11, 12, 2, 3)] // 7x7 stride 2 'same' (a ResNet stem)
    public void StridedConvolutionMatchesThePlainAnyStrideConvolution(int k, int stride, int pad, int h, int w, int cin, int cout)
    {
        var random = new Random((k * 100) + (stride * 10) + pad);
        int oh = ((h + (2 * pad) - k) / stride) + 1, ow = ((w + (2 * pad) - k) / stride) + 1;
        int zpIn = random.Next(-128, 128), zpOut = random.Next(-128, 128), floor = random.Next(2) == 0 ? zpOut : -128;
        sbyte[] weights = Enumerable.Range(0, k * k * cin * cout).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        int[] bias = Enumerable.Range(0, cout).Select(_ => random.Next(-50000, 50000)).ToArray();
        int[] multiplier = Enumerable.Range(0, cout).Select(_ => random.Next(1 << 30, int.MaxValue)).ToArray();
        sbyte[] shift = Enumerable.Range(0, cout).Select(_ => (sbyte)-random.Next(6, 12)).ToArray();
        sbyte[] x = Enumerable.Range(0, h * w * cin).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
        var stdin = new MemoryStream();
        Write(stdin, [3, h, w, cin, oh, ow, cout, k, stride, pad, zpIn, zpOut, floor]);
        Write(stdin, weights);
        Write(stdin, bias);
        Write(stdin, multiplier);
        Write(stdin, shift);
        Write(stdin, x);
        byte[] output = RunDriver(stdin.ToArray());
        Assert.Equal(oh * ow * cout, output.Length);
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int co = 0; co < cout; co++)
                {
                    long acc = bias[co];
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = (oy * stride) + ky - pad, ix = (ox * stride) + kx - pad;
                            bool inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                            for (int ci = 0; ci < cin; ci++)
                            {
                                // Padding is real zero: the zero point code, so (x - zp) = 0 there.
                                int v = inside ? x[(((iy * w) + ix) * cin) + ci] - zpIn : 0;
                                acc += weights[((((ky * k) + kx) * cin) + ci) * cout + co] * v;
                            }
                        }
                    }
                    long scaled = FixedPoint.MultiplyByQuantizedMultiplier((int)acc, multiplier[co], shift[co]);
                    sbyte expected = (sbyte)Math.Clamp(scaled + zpOut, floor, 127);
                    Assert.Equal(expected, (sbyte)output[(((oy * ow) + ox) * cout) + co]);
                }
            }
        }
    }

    /// <summary>TFLM's reference int8 ADD (reference_ops::AddElementwise), output taken without int32 wrap.</summary>
    private static sbyte TflmAdd(int[] p, sbyte x, sbyte y)
    {
        int left = p[6];
        int a = FixedPoint.MultiplyByQuantizedMultiplier((x - p[0]) * (1 << left), p[1], p[2]);
        int b = FixedPoint.MultiplyByQuantizedMultiplier((y - p[3]) * (1 << left), p[4], p[5]);
        long raw = (long)FixedPoint.MultiplyByQuantizedMultiplier(a + b, p[7], p[8]) + p[9];
        return (sbyte)Math.Clamp(raw, p[10], 127);
    }

    private static void Write(Stream s, int[] values)
    {
        foreach (int v in values)
        {
            s.Write(BitConverter.GetBytes(v));
        }
    }

    private static void Write(Stream s, sbyte[] values) => s.Write(values.Select(v => (byte)v).ToArray());

    private static byte[] RunDriver(byte[] stdin)
    {
        string dir = Path.Combine(Path.GetTempPath(), "eclairs-kernels-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (string name in CodeGenerator.KernelFileNames)
            {
                File.WriteAllText(Path.Combine(dir, name), CodeGenerator.KernelFile(name));
            }
            File.WriteAllText(Path.Combine(dir, "driver.c"), Driver);
            string exe = Path.Combine(dir, "driver");
            GeneratedCodeTests.Run("gcc", ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-fsanitize=undefined,address", "-fno-sanitize-recover=all",
                "-I", dir, Path.Combine(dir, "driver.c"), Path.Combine(dir, "ecl_int8_kernels.c"), Path.Combine(dir, "ecl_int8_residual.c"), "-o", exe], null, out _);
            GeneratedCodeTests.Run(exe, [], stdin, out byte[] output);
            return output;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
