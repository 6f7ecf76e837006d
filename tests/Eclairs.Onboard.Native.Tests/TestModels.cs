using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Native;
using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>A compact-architecture model with seeded random weights, as a document and loaded through the C entry point.</summary>
internal static unsafe class TestModels
{
    public static ModelDocument CompactDocument()
    {
        NetworkDescription network = Architectures.CompactV1();
        var rng = new Random(11);
        var tensors = new List<float[]>();
        foreach (TensorRequirement t in network.RequiredTensors)
        {
            var values = new float[t.ElementCount];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)((rng.NextDouble() * 2 - 1) * 0.2);
            }

            tensors.Add(values);
        }

        return ModelDocument.FromParameters("compact-random", network, tensors);
    }

    public static void* LoadCompact()
    {
        byte[] file = EclwWriter.ToBytes(CompactDocument());
        void* model;
        fixed (byte* f = file)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoad(f, (nuint)file.Length, &model));
        }

        return model;
    }
}
