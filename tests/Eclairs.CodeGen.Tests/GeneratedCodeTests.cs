using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// The generated C, compiled with the host's gcc (installed by .ci/run), against the engine's scalar reference on the
/// inputs the golden vectors rarely hold: SNR values whose scaled value is an exact tie, values far beyond the
/// calibrated range, NaN and infinities where the mask is 0, and refused inputs. tests/codegen/run.sh replays the
/// shipped models' golden vectors; this checks the float edge value by value.
/// </summary>
public sealed class GeneratedCodeTests
{
    private const int Pixels = 56 * 56;

    private const string Driver = """
        #include <stdio.h>
        #include "model.h"
        /* stdin: u32 count, then per alert f32 snr[], u8 mask[]; stdout per alert: i32 status, i8 input[], i32 raw, i32 decision */
        int main(void)
        {
            static float snr[MODEL_INPUT_PIXELS];
            static uint8_t mask[MODEL_INPUT_PIXELS];
            static int8_t scratch[MODEL_SCRATCH_BYTES];
            uint32_t count = 0;
            if (fread(&count, 4, 1, stdin) != 1) return 2;
            for (uint32_t a = 0; a < count; a++) {
                if (fread(snr, 4, MODEL_INPUT_PIXELS, stdin) != MODEL_INPUT_PIXELS || fread(mask, 1, MODEL_INPUT_PIXELS, stdin) != MODEL_INPUT_PIXELS) return 2;
                int32_t status = ecl_i8_quantize_input(&model_model, snr, mask, scratch);
                ecl_i8_result r = { -1000, -1 };
                int32_t again = model_classify(snr, mask, &r);
                if (again != status) return 3;
                fwrite(&status, 4, 1, stdout);
                fwrite(scratch, 1, MODEL_INPUT_BYTES, stdout);
                fwrite(&r.raw_logit, 4, 1, stdout);
                fwrite(&r.is_true_alert, 4, 1, stdout);
            }
            return 0;
        }
        """;

    [Fact]
    public void FloatEdgeAndLogitMatchTheEngineValueByValue()
    {
        byte[] file = RepositoryFiles.RandomCompactInt8;
        Int8Model model = Int8Model.Load(file, KernelPath.Scalar);
        List<(float[] Snr, byte[] Mask)> alerts = Alerts(model, out int ties);
        Assert.True(ties >= 20, $"only {ties} exact ties among the crafted SNR values");

        byte[] output = RunGenerated(file, alerts);

        Int8Context context = model.CreateContext();
        var expectedInput = new sbyte[2 * Pixels];
        int offset = 0, refused = 0;
        foreach ((float[] snr, byte[] mask) in alerts)
        {
            int status = BitConverter.ToInt32(output, offset);
            ReadOnlySpan<sbyte> input = MemoryMarshal.Cast<byte, sbyte>(output.AsSpan(offset + 4, 2 * Pixels));
            int raw = BitConverter.ToInt32(output, offset + 4 + (2 * Pixels));
            int decision = BitConverter.ToInt32(output, offset + 8 + (2 * Pixels));
            offset += 12 + (2 * Pixels);
            InputError error = InputError.None;
            try
            {
                Int8Input.Quantize(snr, mask, model.Normalization, model.Parameters.InputSteps, model.Parameters.InputZeroPoint, expectedInput);
            }
            catch (InputValidationException e)
            {
                error = e.Error;
            }
            if (error != InputError.None)
            {
                Assert.Equal(error switch { InputError.MaskOutOfRange => -1, InputError.NonFiniteSnr => -2, _ => -3 }, status);
                refused++;
                continue;
            }
            Assert.Equal(0, status);
            Assert.Equal(expectedInput, input.ToArray());
            Int8ClassificationResult r = context.Classify(snr, mask);
            Assert.Equal(r.RawLogit, raw);
            Assert.Equal(r.IsTrueAlert ? 1 : 0, decision);
        }
        Assert.Equal(6, refused); // mask 4, NaN, +infinity, and three finite values beyond the SNR limit
        Assert.Equal(output.Length, offset);
    }

    /// <summary>Alerts made of crafted SNR values: ties of the input quantization (and their neighbours), extremes, zeros.</summary>
    private static List<(float[] Snr, byte[] Mask)> Alerts(Int8Model model, out int ties)
    {
        InputNormalization norm = model.Normalization;
        int steps = model.Parameters.InputSteps;
        var values = new List<float>();
        for (int k = -140; k <= 140; k++)
        {
            // normalized = (k + 1/2) / steps, back through the normalisation; keep neighbours one ulp away.
            float s = (float)((((k + 0.5) / steps) - norm.Offset) / norm.Scale);
            values.AddRange([s, MathF.BitDecrement(s), MathF.BitIncrement(s)]);
        }
        // The extremes the input accepts (|SNR| <= 1e6, InputLimits.MaxAbsoluteSnr); beyond it, refused (below).
        values.AddRange([0f, -0f, 1e-30f, -1e-30f, InputLimits.MaxAbsoluteSnr, -InputLimits.MaxAbsoluteSnr, MathF.BitDecrement(InputLimits.MaxAbsoluteSnr), float.Epsilon, 600f, -600f, 511.5f, -511.5f]);
        ties = 0;
        foreach (float v in values)
        {
            float scaled = ((v * norm.Scale) + norm.Offset) * steps;
            if (MathF.Abs(scaled - MathF.Truncate(scaled)) == 0.5f)
            {
                ties++;
            }
        }

        var rng = new Random(7);
        var alerts = new List<(float[], byte[])>();
        for (int a = 0; a < 3; a++)
        {
            var snr = new float[Pixels];
            var mask = new byte[Pixels];
            for (int i = 0; i < Pixels; i++)
            {
                mask[i] = (byte)rng.Next(0, 4);
                snr[i] = values[(i + (a * 997)) % values.Count];
                if (mask[i] == 0 && i % 5 == 0)
                {
                    mask[i] = 3; // fewer masked pixels: more of the values above seen
                }
                if (mask[i] == 0 && i % 3 == 0)
                {
                    snr[i] = (i % 2 == 0) ? float.NaN : float.NegativeInfinity; // ignored where the mask is 0
                }
            }
            alerts.Add((snr, mask));
        }
        (float[] snr0, byte[] mask0) = alerts[0];
        alerts.Add((snr0, Modified(mask0, 1234, 4)));
        float[] nan = (float[])snr0.Clone();
        byte[] one = Modified(mask0, 2000, 1);
        nan[2000] = float.NaN;
        alerts.Add((nan, one));
        float[] inf = (float[])snr0.Clone();
        inf[17] = float.PositiveInfinity;
        alerts.Add((inf, Modified(mask0, 17, 2)));
        foreach (float huge in new[] { MathF.BitIncrement(InputLimits.MaxAbsoluteSnr), -1e30f, float.MaxValue })
        {
            float[] big = (float[])snr0.Clone();
            big[321] = huge;
            alerts.Add((big, Modified(mask0, 321, 1)));
        }
        return alerts;
    }

    private static byte[] Modified(byte[] mask, int pixel, byte value)
    {
        byte[] m = (byte[])mask.Clone();
        m[pixel] = value;
        return m;
    }

    private static byte[] RunGenerated(byte[] model, List<(float[] Snr, byte[] Mask)> alerts)
    {
        using var input = new MemoryStream();
        input.Write(BitConverter.GetBytes((uint)alerts.Count));
        foreach ((float[] snr, byte[] mask) in alerts)
        {
            input.Write(MemoryMarshal.AsBytes(snr.AsSpan()));
            input.Write(mask);
        }
        return RunGenerated(model, Driver, input.ToArray());
    }

    /// <summary>Generates the model's C into a temporary directory, compiles it with <paramref name="driver"/> and runs it on <paramref name="stdin"/>.</summary>
    internal static byte[] RunGenerated(byte[] model, string driver, byte[] stdin, CTarget kernels = CTarget.Fast)
    {
        string dir = Path.Combine(Path.GetTempPath(), "eclairs-codegen-" + Guid.NewGuid().ToString("N"));
        try
        {
            CodeGenerator.WriteTo(dir, model, "model", kernels);
            File.WriteAllText(Path.Combine(dir, "driver.c"), driver);
            string exe = Path.Combine(dir, "driver");
            var arguments = new List<string> { "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off", "-fsanitize=undefined",
                "-fno-sanitize-recover=all", "-I", dir, Path.Combine(dir, "driver.c"), Path.Combine(dir, "model.c") };
            arguments.AddRange(CodeGenerator.KernelFilesFor(CodeGenerator.Plan(model, kernels)).Where(f => f.EndsWith(".c", StringComparison.Ordinal)).Select(f => Path.Combine(dir, f)));
            arguments.AddRange(["-o", exe]);
            Run("gcc", [.. arguments], null, out _);
            Run(exe, [], stdin, out byte[] output);
            return output;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static void Run(string program, string[] arguments, byte[]? stdin, out byte[] stdout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        using Process p = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        System.Threading.Tasks.Task<string> errors = p.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        System.Threading.Tasks.Task copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
        }
        p.StandardInput.Close();
        copy.Wait();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} exited with {p.ExitCode}: {errors.Result}");
        stdout = output.ToArray();
    }
}
