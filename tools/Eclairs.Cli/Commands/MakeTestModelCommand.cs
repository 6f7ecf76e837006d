using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Eclairs.Onboard.Inference;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs make-test-model</c>: a model file with seeded random (He-scaled) weights, for harnesses and
/// ABI tests that need a valid file of a known architecture. Its answers mean nothing; its name says so.
/// </summary>
internal static class MakeTestModelCommand
{
    public static Command Create()
    {
        Option<string> arch = ArchitectureOption.Create();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output .eclw file.", Required = true };
        var command = new Command("make-test-model", "Write a model file with seeded random weights (for tests and harnesses, not for use).")
        {
            arch, seed, output,
        };
        command.SetAction(parse =>
        {
            Eclairs.Training.Networks.NetworkSpec spec = ArchitectureOption.ResolveSpec(parse.GetValue(arch)!);
            string name = spec.Name;
            NetworkDescription network = Eclairs.Training.Export.EngineModel.ToDescription(spec);
            ulong state = parse.GetValue(seed);
            var tensors = new List<float[]>();
            foreach (TensorRequirement t in network.RequiredTensors)
            {
                var values = new float[t.ElementCount];
                int fanIn = 1;
                for (int d = 0; d < t.Shape.Count - 1; d++)
                {
                    fanIn *= t.Shape[d];
                }

                double scale = t.Role == TensorRole.Bias ? 0.05 : Math.Sqrt(6.0 / fanIn);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)((NextUnit(ref state) * 2 - 1) * scale);
                }

                tensors.Add(values);
            }

            ModelDocument document = ModelDocument.FromParameters($"test-random-{name}-seed{parse.GetValue(seed)}", network, tensors) with
            {
                Provenance = $"random weights for tests: eclairs make-test-model --arch {name} --seed {parse.GetValue(seed)}",
            };
            File.WriteAllBytes(parse.GetValue(output)!, EclwWriter.ToBytes(document));
            Console.WriteLine($"wrote {parse.GetValue(output)} ({network.ParameterCount:N0} parameters, random weights)");
            return 0;
        });
        return command;
    }

    /// <summary>SplitMix64 to a double in [0, 1): fixed bits on every runtime.</summary>
    private static double NextUnit(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
