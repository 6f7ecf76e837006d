using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// A loaded, validated, immutable float32 model: one 64-byte aligned arena holding the parameters and the plan.
/// Thread-shareable; each thread classifies through its own <see cref="InferenceContext"/>.
/// </summary>
public sealed class Model
{
    private readonly ModelArena _arena;

    private Model(ModelDocument document, uint checksum, KernelPath path, ModelOptions? options)
    {
        Network = document.Network;
        Name = document.Name;
        Provenance = document.Provenance;
        DecisionThreshold = document.DecisionThreshold;
        Normalization = document.Normalization;
        Checksum = checksum;
        NumberFormat = document.NumberFormat;
        KernelPath = path;
        Target = KernelTarget.ForManaged(NumberFormat.Float32, path, options);

        IReadOnlyList<TensorRequirement> required = Network.RequiredTensors;
        var builder = new ArenaBuilder();
        var offsets = new int[required.Count];
        for (int i = 0; i < required.Count; i++)
        {
            offsets[i] = builder.Reserve(sizeof(float) * required[i].ElementCount) / sizeof(float);
        }
        PlanStep[] steps = ExecutionPlan.Build(Network, Target, offsets, builder, out FloatPlanHeader header);
        header.DecisionThreshold = DecisionThreshold;
        header.NormalizationScale = Normalization.Scale;
        header.NormalizationOffset = Normalization.Offset;
        header.StepsOffset = builder.StepsOffset<FloatPlanHeader>();
        _arena = builder.Build(header, (ReadOnlySpan<PlanStep>)steps);

        Span<float> block = ParameterBlock;
        foreach (TensorEntry t in document.Tensors)
        {
            for (int i = 0; i < required.Count; i++)
            {
                if (required[i].LayerIndex == t.LayerIndex && required[i].Role == t.Role)
                {
                    t.CopySinglesTo(block.Slice(offsets[i], (int)required[i].ElementCount));
                }
            }
        }
        foreach (PlanStep s in steps)
        {
            if (s.Algorithm == KernelAlgorithm.WinogradF2)
            {
                int cin = s.In.Channels, cout = s.ConvOut.Channels;
                Winograd.TransformWeights(block.Slice(s.WeightOffset, 9 * cin * cout), cin, cout,
                    block.Slice(s.TransformedWeights, Winograd.TransformedSize(cin, cout)));
            }
            else if (s.Algorithm == KernelAlgorithm.WinogradF4)
            {
                int cin = s.In.Channels, cout = s.ConvOut.Channels;
                Winograd4.TransformWeights(block.Slice(s.WeightOffset, 9 * cin * cout), cin, cout,
                    block.Slice(s.TransformedWeights, Winograd4.TransformedSize(cin, cout)));
            }
        }
        _arena.Seal();
    }

    /// <summary>Model name from the file.</summary>
    public string Name { get; }

    /// <summary>Provenance text from the file.</summary>
    public string Provenance { get; }

    /// <summary>The layers.</summary>
    public NetworkDescription Network { get; }

    /// <summary>Arithmetic of this model (float32 in this build).</summary>
    public NumberFormat NumberFormat { get; }

    /// <summary>Number of layers in the description.</summary>
    public int LayerCount => Network.LayerCount;

    /// <summary>Weights and biases.</summary>
    public long ParameterCount => Network.ParameterCount;

    /// <summary>Multiply-accumulates per inference.</summary>
    public long Macs => Network.Macs;

    /// <summary>An alert is called true when probability &gt;= this.</summary>
    public float DecisionThreshold { get; }

    /// <summary>SNR normalisation applied before the first layer.</summary>
    public InputNormalization Normalization { get; }

    /// <summary>CRC-32 of the model file as stored (for a document: of the file <see cref="EclwWriter"/> makes of it).</summary>
    public uint Checksum { get; }

    /// <summary>Kernel path chosen at load.</summary>
    public KernelPath KernelPath { get; }

    /// <summary>What the selector planned for (path, algorithms, fusion).</summary>
    public KernelTarget Target { get; }

    /// <summary>Bytes this model keeps: the arena (parameters, transformed weights, plan; alignment padding included).</summary>
    public long ModelBytes => _arena.AllocatedBytes;

    /// <summary>Bytes of scratch each <see cref="InferenceContext"/> of this model keeps (known from the plan).</summary>
    public long ContextBytes => AlignedBuffer.BytesFor(Header.ScratchFloats);

    /// <summary>True when the network ends with a Sigmoid on one logit (what <see cref="InferenceContext.Classify"/> needs).</summary>
    public bool IsClassifier => Network.IsClassifier;

    /// <summary>The widest kernel path this CPU accelerates for float32 models.</summary>
    public static KernelPath BestAvailablePath => KernelSelector.BestPath(NumberFormat.Float32);

    /// <summary>The algorithm of each planned step, in order (what <see cref="KernelSelector"/> chose).</summary>
    public KernelAlgorithm[] StepAlgorithms()
    {
        Span<PlanStep> steps = Steps;
        var algorithms = new KernelAlgorithm[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            algorithms[i] = steps[i].Algorithm;
        }
        return algorithms;
    }

    internal ModelArena Arena => _arena;

    internal ref FloatPlanHeader Header => ref _arena.Header<FloatPlanHeader>();

    /// <summary>The steps, read from the arena through the verified header.</summary>
    internal Span<PlanStep> Steps => _arena.Steps<PlanStep>(Header.StepsOffset, Header.StepCount);

    internal unsafe float* Parameters => (float*)_arena.Start;

    /// <summary>The parameter region as floats (weights, biases, Winograd-transformed weights), for tests and fault injection.</summary>
    internal unsafe Span<float> ParameterBlock => new(_arena.Start, _arena.PlanOffset / sizeof(float));

    /// <summary>True when <paramref name="path"/> can run float32 models here (Auto and Scalar always can).</summary>
    public static bool IsSupported(KernelPath path) => KernelSelector.IsSupported(path, NumberFormat.Float32);

    /// <summary>Validates a <c>.eclw</c> file and loads it (the bytes are copied; the span may be released after).</summary>
    /// <exception cref="ModelFormatException">The file is not a valid, supported model.</exception>
    /// <exception cref="PlatformNotSupportedException">The requested kernel path is not accelerated on this CPU.</exception>
    public static Model Load(ReadOnlySpan<byte> file, ModelOptions? options = null)
    {
        ModelDocument document = EclwReader.Read(file, out uint checksum);
        return FromValidated(document, checksum, options);
    }

    /// <summary>A document <see cref="EclwReader"/> has read and validated, with the file's CRC-32.</summary>
    internal static Model FromValidated(ModelDocument document, uint checksum, ModelOptions? options)
    {
        RefuseInt8(document);
        return new Model(document, checksum, ResolvePath(options, document.Network), options);
    }

    /// <summary>Validates a document and loads it as if from the file <see cref="EclwWriter"/> makes of it.</summary>
    /// <exception cref="ModelFormatException">The document is not a valid, supported model.</exception>
    public static Model FromDocument(ModelDocument document, ModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        KernelPath path = ResolvePath(options, document.Network);
        document.Validate();
        RefuseInt8(document);
        byte[] file = EclwWriter.ToBytes(document);
        return new Model(document, Crc32.Compute(file.AsSpan(0, file.Length - EclwLayout.ChecksumBytes)), path, options);
    }

    /// <summary>A context (scratch buffers) to classify with this model on one thread.</summary>
    public InferenceContext CreateContext() => new(this);

    /// <summary>
    /// Recomputes the CRC-32C of the whole arena (weights, biases, Winograd-transformed weights, the plan with its
    /// threshold, normalisation, offsets and shapes) and compares it with the one taken at load: false means the model
    /// in memory has changed (a bit flip). Hardware CRC on x64 and arm64: well under a millisecond for the deck's network.
    /// </summary>
    public bool Verify() => _arena.Verify();

    private static void RefuseInt8(ModelDocument document)
    {
        if (document.NumberFormat != NumberFormat.Float32)
        {
            throw new ModelFormatException(ModelFormatError.UnsupportedNumberFormat,
                "this is an int8 model: load it with Quantized.Int8Model or AlertClassifier (the float engine runs float32 only)");
        }
    }

    private static KernelPath ResolvePath(ModelOptions? options, NetworkDescription network)
    {
        KernelPath path = options?.KernelPath ?? KernelPath.Auto;
        if (!Enum.IsDefined(path))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"unknown kernel path {path}");
        }
        return KernelSelector.Resolve(path, NumberFormat.Float32, network);
    }
}
