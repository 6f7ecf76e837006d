using System;
using System.Collections.Generic;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;

namespace Eclairs.Fuzz;

/// <summary>
/// The seed corpus: tiny valid models of every layer kind, float32 and int8 (a few KB, so AFL++ mutates them fast),
/// the shipped compact int8 model, and truncated or damaged variants of them.
/// </summary>
internal static class SeedCorpus
{
    public static int Write(string directory, IEnumerable<string> extraFiles)
    {
        Directory.CreateDirectory(directory);
        var seeds = new List<(string Name, byte[] Bytes)>();
        var random = new Random(1);
        foreach ((string name, NetworkDescription network) in Networks())
        {
            ModelDocument f = ModelDocument.FromParameters(name, network, RandomParameters(network, random));
            byte[] floatBytes = EclwWriter.ToBytes(f);
            seeds.Add((name + ".f32.eclw", floatBytes));
            if (network.IsClassifier)
            {
                var calibration = new List<CalibrationInput>();
                for (int i = 0; i < 8; i++)
                {
                    calibration.Add(RandomAlert(network, random));
                }
                seeds.Add((name + ".int8.eclw", EclwWriter.ToBytes(Quantizer.Quantize(f, calibration))));
            }
        }
        foreach (string file in extraFiles)
        {
            seeds.Add((Path.GetFileName(file), File.ReadAllBytes(file)));
        }
        var variants = new List<(string, byte[])>();
        foreach ((string name, byte[] bytes) in seeds)
        {
            variants.Add((name + ".truncated-header", bytes[..40]));
            variants.Add((name + ".truncated-half", bytes[..(bytes.Length / 2)]));
            byte[] flipped = (byte[])bytes.Clone();
            flipped[Math.Min(100, flipped.Length - 1)] ^= 0x10;
            variants.Add((name + ".bitflip", flipped));
        }
        seeds.AddRange(variants);
        foreach ((string name, byte[] bytes) in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
        return seeds.Count;
    }

    private static IEnumerable<(string, NetworkDescription)> Networks()
    {
        yield return ("tiny-conv-pool-dense", new NetworkDescription(
        [
            new InputLayer(8, 8), new ConcatenateLayer(),
            new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
            new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
            new MaxPool2DLayer(), new FlattenLayer(), new DropoutLayer(0.5f),
            new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]));
        yield return ("tiny-valid5-gap", new NetworkDescription(
        [
            new InputLayer(9, 7), new ConcatenateLayer(),
            new Conv2DLayer(3, 5, Padding.Valid, Activation.None),
            new GlobalAveragePoolLayer(),
            new DenseLayer(4, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]));
        yield return ("tiny-no-sigmoid", new NetworkDescription(
        [
            new InputLayer(4, 4), new ConcatenateLayer(), new FlattenLayer(), new DenseLayer(2, Activation.Relu),
        ]));
    }

    private static List<float[]> RandomParameters(NetworkDescription network, Random random)
    {
        var result = new List<float[]>();
        foreach (TensorRequirement t in network.RequiredTensors)
        {
            var values = new float[t.ElementCount];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1) * 0.5f;
            }
            result.Add(values);
        }
        return result;
    }

    private static CalibrationInput RandomAlert(NetworkDescription network, Random random)
    {
        int n = network.InputHeight * network.InputWidth;
        var snr = new float[n];
        var mask = new byte[n];
        for (int i = 0; i < n; i++)
        {
            snr[i] = (float)((random.NextDouble() * 10) - 4);
            mask[i] = (byte)random.Next(0, 4);
        }
        return new CalibrationInput(snr, mask);
    }
}
