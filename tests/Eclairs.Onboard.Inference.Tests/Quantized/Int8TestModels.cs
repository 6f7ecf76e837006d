using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

internal static class Int8TestModels
{
    public static List<CalibrationInput> Alerts(NetworkDescription network, int count, int seed) =>
        Enumerable.Range(0, count).Select(i =>
        {
            (float[] snr, byte[] mask) = TestModels.RandomInput(network.InputHeight, network.InputWidth, seed + i);
            return new CalibrationInput(snr, mask);
        }).ToList();

    /// <summary>A random-weight float model, its int8 quantization from 16 synthetic alerts.</summary>
    public static (ModelDocument Float, ModelDocument Int8) Quantized(NetworkDescription network, int seed)
    {
        ModelDocument f = TestModels.RandomDocument(network, seed, out _);
        return (f, Quantizer.Quantize(f, Alerts(network, 16, 1000 + seed)));
    }

    /// <summary>
    /// Random quantization parameters that hit the extremes: weights ±127, zero points -128..127, multipliers 0 or
    /// anywhere in [2^30, 2^31), shifts from -31 to +30 (left shifts wrap), biases up to ±2^24.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="leftShifts">
    /// Include left shifts (s up to 30, where x · 2^s wraps): the SIMD plan then does not fuse pools into
    /// convolutions. Without them (shifts -31 .. 0) it does.
    /// </param>
    public static ModelDocument ExtremeRandom(NetworkDescription network, int seed, bool leftShifts = true)
    {
        var random = new Random(seed);
        var layers = new List<Int8LayerParameters>();
        foreach (LayerInfo info in network.LayerInfos.Where(l => l.Spec is Conv2DLayer or DenseLayer or GeneralConv2DLayer))
        {
            int cout = info.OutputShape.Channels;
            long n = info.Spec switch
            {
                Conv2DLayer c => (long)c.KernelSize * c.KernelSize * info.InputShape.Channels * cout,
                GeneralConv2DLayer g => (long)g.KernelSize * g.KernelSize * info.InputShape.Channels * cout,
                _ => (long)info.InputShape.Channels * cout,
            };
            var w = new sbyte[n];
            for (int i = 0; i < w.Length; i++)
            {
                int r = random.Next(10);
                w[i] = (sbyte)(r == 0 ? 127 : r == 1 ? -127 : random.Next(-127, 128));
            }
            var bias = new int[cout];
            var mult = new int[cout];
            var shift = new int[cout];
            for (int o = 0; o < cout; o++)
            {
                bias[o] = random.Next(-(1 << 24), 1 << 24);
                mult[o] = random.Next(20) == 0 ? 0 : random.Next(1 << 30, int.MaxValue);
                int s = random.Next(20);
                shift[o] = s == 0 ? -31 : s == 1 ? (leftShifts ? 30 : 0) : s == 2 ? (leftShifts ? random.Next(1, 8) : -1) : random.Next(-20, -8);
            }
            int zp = random.Next(4) == 0 ? (random.Next(2) == 0 ? -128 : 127) : random.Next(-128, 128);
            layers.Add(new Int8LayerParameters(info.Index, w, bias, Enumerable.Repeat(0.01f, cout).ToArray(), mult, shift, 0.05f, zp));
        }
        var adds = new List<Int8AddParameters>();
        foreach (LayerInfo info in network.LayerInfos.Where(l => l.Spec is AddLayer))
        {
            // Multipliers 0, 2^30, 2^31 - 1 or anywhere between; shifts 0 (a multiplier near one: sums saturate the
            // clamp), -31 or anywhere in between; zero points at the ends or anywhere.
            int Multiplier() => random.Next(6) switch { 0 => 0, 1 => 1 << 30, 2 => int.MaxValue, _ => random.Next(1 << 30, int.MaxValue) };
            int Shift() => random.Next(6) switch { 0 => 0, 1 => -31, 2 => -1, _ => random.Next(-12, 0) };
            int zp = random.Next(3) == 0 ? (random.Next(2) == 0 ? -128 : 127) : random.Next(-128, 128);
            adds.Add(new Int8AddParameters(info.Index, [Multiplier(), Multiplier(), Multiplier()], [Shift(), Shift(), Shift()], 0.05f, zp));
        }
        // The threshold must be the one derived from the header's (0.5) and the logit's quantization (checked at load).
        int threshold = Int8Decision.IntegerThreshold(0.5f, layers[^1].OutputScale, layers[^1].OutputZeroPoint);
        var parameters = new Int8Parameters(random.Next(1, 30), -100, threshold, layers, adds);
        return new ModelDocument("extreme-" + seed, network, parameters.ToTensors(network)) { NumberFormat = NumberFormat.Int8 };
    }

    public static sbyte[] RandomQuantizedInput(NetworkDescription network, int seed)
    {
        var random = new Random(seed);
        var q = new sbyte[network.InputHeight * network.InputWidth * 2];
        for (int i = 0; i < q.Length; i++)
        {
            int r = random.Next(8);
            q[i] = (sbyte)(r == 0 ? -128 : r == 1 ? 127 : random.Next(-128, 128));
        }
        return q;
    }
}
