using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Quantization;

/// <summary>What one golden vector holds: every step's int8 output (step 0 = the quantized input), the raw logit and the decision.</summary>
public sealed record GoldenVector(IReadOnlyList<sbyte[]> StepOutputs, int RawLogit, bool IsTrueAlert);

/// <summary>One step of the model the vectors were made with: its layer, kind and output length.</summary>
public readonly record struct GoldenStep(int LayerIndex, Int8StepKind Kind, int Length);

/// <summary>A golden-vector file in memory (docs/int8.md, "Golden vectors").</summary>
public sealed record GoldenVectorSet(uint ModelChecksum, IReadOnlyList<GoldenStep> Steps, IReadOnlyList<GoldenVector> Vectors);

/// <summary>Makes, writes, reads and checks golden vectors: per alert each step's int8 output from the scalar reference.</summary>
public static class GoldenVectors
{
    private const uint Magic = 0x474C4345; // "ECLG" little-endian
    private const uint Version = 1;

    /// <summary>Runs the alerts through <paramref name="model"/> (which must use the scalar reference path) and records every step.</summary>
    public static GoldenVectorSet Create(Int8Model model, IEnumerable<CalibrationInput> alerts)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(alerts);
        if (model.KernelPath != KernelPath.Scalar || !model.KeepsEveryStep)
        {
            throw new ArgumentException("golden vectors come from the scalar reference path, every step kept", nameof(model));
        }
        Int8Context context = model.CreateContext();
        var steps = new GoldenStep[context.StepCount];
        for (int s = 0; s < steps.Length; s++)
        {
            steps[s] = new GoldenStep(context.StepLayerIndex(s), context.StepKind(s), context.StepOutput(s).Length);
        }
        var vectors = new List<GoldenVector>();
        foreach (CalibrationInput alert in alerts)
        {
            Int8ClassificationResult r = context.Classify(alert.Snr, alert.Mask);
            var outputs = new sbyte[steps.Length][];
            for (int s = 0; s < steps.Length; s++)
            {
                outputs[s] = context.StepOutput(s).ToArray();
            }
            vectors.Add(new GoldenVector(outputs, r.RawLogit, r.IsTrueAlert));
        }
        return new GoldenVectorSet(model.Checksum, steps, vectors);
    }

    /// <summary>
    /// Number of vectors on which <paramref name="model"/> (any path, any plan) differs from the file in any byte,
    /// logit or decision: every step it writes is compared (all of them when it was planned with
    /// <see cref="ModelOptions.KeepEveryStep"/>; otherwise a convolution whose pool is fused writes only the pool).
    /// </summary>
    public static int CountMismatches(Int8Model model, GoldenVectorSet set)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        Int8Context context = model.CreateContext();
        if (context.StepCount != set.Steps.Count)
        {
            throw new ArgumentException("the vectors were made with a different network", nameof(set));
        }
        int mismatches = 0;
        foreach (GoldenVector v in set.Vectors)
        {
            mismatches += Matches(context, v) ? 0 : 1;
        }
        return mismatches;
    }

    private static bool Matches(Int8Context context, GoldenVector v)
    {
        Int8ClassificationResult r = context.ClassifyQuantized(v.StepOutputs[0]);
        bool same = r.RawLogit == v.RawLogit && r.IsTrueAlert == v.IsTrueAlert;
        for (int s = 1; s < context.StepCount && same; s++)
        {
            same = !context.HasStepOutput(s) || context.StepOutput(s).SequenceEqual(v.StepOutputs[s]);
        }
        return same;
    }

    /// <summary>The file's bytes.</summary>
    public static byte[] ToBytes(GoldenVectorSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(set.ModelChecksum);
            w.Write((uint)set.Vectors.Count);
            w.Write((uint)set.Steps.Count);
            foreach (GoldenStep s in set.Steps)
            {
                w.Write((uint)s.LayerIndex);
                w.Write((uint)s.Kind);
                w.Write((uint)s.Length);
            }
            foreach (GoldenVector v in set.Vectors)
            {
                for (int s = 0; s < set.Steps.Count; s++)
                {
                    w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.StepOutputs[s].AsSpan()));
                }
                w.Write(v.RawLogit);
                w.Write(v.IsTrueAlert ? 1u : 0u);
            }
        }
        byte[] body = stream.ToArray();
        var file = new byte[body.Length + 4];
        body.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(body.Length), Crc32.Compute(body));
        return file;
    }

    /// <summary>Parses a file; every read is bounds-checked.</summary>
    /// <exception cref="InvalidDataException">Bad magic, version, length or checksum.</exception>
    public static GoldenVectorSet Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(file) != Magic)
        {
            throw new InvalidDataException("not a golden-vector file (magic \"ECLG\")");
        }
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(file[^4..]);
        if (crc != Crc32.Compute(file[..^4]))
        {
            throw new InvalidDataException("golden-vector file checksum mismatch");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(file[4..]) != Version)
        {
            throw new InvalidDataException("unsupported golden-vector version");
        }
        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        uint stepCount = BinaryPrimitives.ReadUInt32LittleEndian(file[16..]);
        if (stepCount is 0 or > 64)
        {
            throw new InvalidDataException($"step count {stepCount} outside 1..64");
        }
        int pos = 20;
        var steps = new GoldenStep[stepCount];
        long perVector = 8;
        for (int s = 0; s < steps.Length; s++)
        {
            if (pos + 12 > file.Length - 4)
            {
                throw new InvalidDataException("golden-vector file truncated in the step table");
            }
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(file[(pos + 8)..]);
            if (length > NetworkDescription.MaxActivationElements)
            {
                throw new InvalidDataException($"step {s} length {length} too large");
            }
            steps[s] = new GoldenStep((int)BinaryPrimitives.ReadUInt32LittleEndian(file[pos..]), (Int8StepKind)BinaryPrimitives.ReadUInt32LittleEndian(file[(pos + 4)..]), (int)length);
            perVector += length;
            pos += 12;
        }
        if (pos + (count * perVector) != file.Length - 4)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"golden-vector file holds {file.Length - 4 - pos} data bytes, {count} vectors need {count * perVector}"));
        }
        var vectors = new GoldenVector[count];
        for (int v = 0; v < vectors.Length; v++)
        {
            var outputs = new sbyte[stepCount][];
            for (int s = 0; s < steps.Length; s++)
            {
                outputs[s] = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(file.Slice(pos, steps[s].Length)).ToArray();
                pos += steps[s].Length;
            }
            int raw = BinaryPrimitives.ReadInt32LittleEndian(file[pos..]);
            uint decision = BinaryPrimitives.ReadUInt32LittleEndian(file[(pos + 4)..]);
            pos += 8;
            vectors[v] = new GoldenVector(outputs, raw, decision != 0);
        }
        return new GoldenVectorSet(checksum, steps, vectors);
    }
}
