using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// A loaded, validated, immutable int8 model (TFLM scheme, docs/int8.md): the plan with every per-layer constant
/// prepared at load. Thread-shareable; classify through an <see cref="Int8Context"/> per thread.
/// </summary>
public sealed class Int8Model
{
    private readonly ModelArena _arena;

    private Int8Model(ModelDocument document, uint checksum, KernelPath path, ModelOptions? options)
    {
        Network = document.Network;
        Name = document.Name;
        Provenance = document.Provenance;
        Checksum = checksum;
        Normalization = document.Normalization;
        DecisionThreshold = document.DecisionThreshold;
        KernelPath = path;
        Target = KernelTarget.ForManaged(NumberFormat.Int8, path, options);
        Int8Parameters parameters = Int8Parameters.FromDocument(document);
        CheckThreshold(document.DecisionThreshold, parameters);
        ParameterBytes = 0;
        foreach (Int8LayerParameters l in parameters.Layers)
        {
            ParameterBytes += l.Weights.Length + (12L * l.Bias.Length);
        }
        // The arena holds the weights in each kernel's layout; keep only the rest here (informative: nothing runs from it).
        Parameters = new Int8Parameters(parameters.InputSteps, parameters.InputZeroPoint, parameters.DecisionThreshold,
            [.. parameters.Layers.Select(l => l with { Weights = [] })], parameters.Adds);
        Int8LayerParameters last = Parameters.Layers[^1];
        OutputScale = last.OutputScale;
        OutputZeroPoint = last.OutputZeroPoint;

        var builder = new ArenaBuilder();
        Int8Step[] steps = Int8Planner.Build(Network, parameters, Target, builder, out int arenaBytes, out int regionShorts);
        var header = new Int8PlanHeader
        {
            DecisionThreshold = DecisionThreshold,
            NormalizationScale = Normalization.Scale,
            NormalizationOffset = Normalization.Offset,
            InputSteps = parameters.InputSteps,
            InputZeroPoint = parameters.InputZeroPoint,
            IntegerThreshold = parameters.DecisionThreshold,
            OutputScale = OutputScale,
            OutputZeroPoint = OutputZeroPoint,
            ArenaBytes = arenaBytes,
            RegionShorts = regionShorts,
            StepCount = steps.Length,
            StepsOffset = builder.StepsOffset<Int8PlanHeader>(),
        };
        _arena = builder.Build(header, (ReadOnlySpan<Int8Step>)steps);
        _arena.Seal();
    }

    /// <summary>Model name.</summary>
    public string Name { get; }

    /// <summary>Provenance text from the file.</summary>
    public string Provenance { get; }

    /// <summary>The layers.</summary>
    public NetworkDescription Network { get; }

    /// <summary>CRC-32 of the file.</summary>
    public uint Checksum { get; }

    /// <summary>SNR normalisation before quantization.</summary>
    public InputNormalization Normalization { get; }

    /// <summary>The float threshold on probability (informative; the decision is <see cref="Int8Parameters.DecisionThreshold"/>).</summary>
    public float DecisionThreshold { get; }

    /// <summary>Kernel path chosen at load.</summary>
    public KernelPath KernelPath { get; }

    /// <summary>What the selector planned for (path, algorithms, fusion).</summary>
    public KernelTarget Target { get; }

    /// <summary>
    /// True when every step's output is written: no max pool is fused into its convolution (a model planned with
    /// <see cref="ModelOptions.KeepEveryStep"/>, or one the selector found nothing to fuse in, as on the scalar path).
    /// </summary>
    public bool KeepsEveryStep
    {
        get
        {
            foreach (ref readonly Int8Step s in Steps)
            {
                if (s.PoolDestination >= 0)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>The quantization parameters as stored (per-layer weights omitted: the arena holds them in its own layout).</summary>
    public Int8Parameters Parameters { get; }

    /// <summary>Scale of the raw logit (for the probability at the edge).</summary>
    public float OutputScale { get; }

    /// <summary>Zero point of the raw logit.</summary>
    public int OutputZeroPoint { get; }

    /// <summary>Bytes of parameters as stored (int8 weights; int32 bias, multiplier, shift per channel).</summary>
    public long ParameterBytes { get; }

    /// <summary>Bytes this model keeps: the arena (weights in each kernel's layout, padded constants, the plan).</summary>
    public long ModelBytes => _arena.AllocatedBytes;

    /// <summary>Bytes of scratch each <see cref="Int8Context"/> of this model keeps (known from the plan).</summary>
    public long ContextBytes => Int8Context.BytesFor(this);

    internal ModelArena Arena => _arena;

    internal ref Int8PlanHeader Header => ref _arena.Header<Int8PlanHeader>();

    /// <summary>The steps, read from the arena through the verified header.</summary>
    internal Span<Int8Step> Steps => _arena.Steps<Int8Step>(Header.StepsOffset, Header.StepCount);

    /// <summary>A copy of the steps (tests and diagnostics).</summary>
    internal Int8Step[] StepsCopy() => Steps.ToArray();

    /// <summary>The algorithm of each planned step, in order (what <see cref="KernelSelector"/> chose).</summary>
    public KernelAlgorithm[] StepAlgorithms()
    {
        Span<Int8Step> steps = Steps;
        var algorithms = new KernelAlgorithm[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            algorithms[i] = steps[i].Algorithm;
        }
        return algorithms;
    }

    /// <summary>True when <paramref name="path"/> can run int8 models on this CPU.</summary>
    public static bool IsSupported(KernelPath path) => KernelSelector.IsSupported(path, NumberFormat.Int8);

    /// <summary>Validates an int8 <c>.eclw</c> file and loads it.</summary>
    /// <exception cref="ModelFormatException">Not a valid int8 model (a float32 file gives UnsupportedNumberFormat).</exception>
    /// <exception cref="PlatformNotSupportedException">The requested path does not run here.</exception>
    public static Int8Model Load(ReadOnlySpan<byte> file, ModelOptions? options = null)
    {
        ModelDocument document = EclwReader.Read(file, out uint checksum);
        return FromValidated(document, checksum, options);
    }

    /// <summary>A document <see cref="EclwReader"/> has read and validated, with the file's CRC-32.</summary>
    internal static Int8Model FromValidated(ModelDocument document, uint checksum, ModelOptions? options)
    {
        RequireInt8(document);
        return new Int8Model(document, checksum, KernelSelector.Resolve(options?.KernelPath ?? KernelPath.Auto, NumberFormat.Int8, document.Network), options);
    }

    /// <summary>As <see cref="Load(ReadOnlySpan{byte}, ModelOptions?)"/> on the kernel path <paramref name="path"/>.</summary>
    public static Int8Model Load(ReadOnlySpan<byte> file, KernelPath path) => Load(file, new ModelOptions { KernelPath = path });

    /// <summary>Validates an int8 document and loads it as if from the file <see cref="EclwWriter"/> makes of it.</summary>
    public static Int8Model FromDocument(ModelDocument document, ModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        KernelPath path = KernelSelector.Resolve(options?.KernelPath ?? KernelPath.Auto, NumberFormat.Int8, document.Network);
        document.Validate();
        RequireInt8(document);
        byte[] file = EclwWriter.ToBytes(document);
        return new Int8Model(document, Crc32.Compute(file.AsSpan(0, file.Length - 4)), path, options);
    }

    /// <summary>As <see cref="FromDocument(ModelDocument, ModelOptions?)"/> on the kernel path <paramref name="path"/>.</summary>
    public static Int8Model FromDocument(ModelDocument document, KernelPath path) => FromDocument(document, new ModelOptions { KernelPath = path });

    /// <summary>A context (scratch) for one thread.</summary>
    public Int8Context CreateContext() => new(this);

    /// <summary>
    /// Recomputes the CRC-32C of the whole arena (hardware where the CPU has it): every weight in every layout, every
    /// per-channel constant, and the plan (input quantization, integer threshold, output scale and zero point,
    /// normalisation, each step's algorithm, shapes, zero points, clamps and offsets). False means it changed in memory.
    /// </summary>
    public bool Verify() => _arena.Verify();

    /// <summary>
    /// The integer threshold must be the one the quantizer derives from the header's probability threshold and the
    /// logit's scale and zero point: a float file re-thresholded without requantizing (or an edited int8 header) would
    /// otherwise decide with a stale threshold.
    /// </summary>
    private static void CheckThreshold(float probability, Int8Parameters parameters)
    {
        Int8LayerParameters last = parameters.Layers[^1];
        int expected = Int8Decision.IntegerThreshold(probability, last.OutputScale, last.OutputZeroPoint);
        if (parameters.DecisionThreshold != expected)
        {
            throw new ModelFormatException(ModelFormatError.InvalidQuantization, string.Create(CultureInfo.InvariantCulture,
                $"integer decision threshold {parameters.DecisionThreshold} does not match the header's threshold {probability} (expected {expected} for logit scale {last.OutputScale} and zero point {last.OutputZeroPoint}): requantize the model"));
        }
    }

    private static void RequireInt8(ModelDocument document)
    {
        if (document.NumberFormat != NumberFormat.Int8)
        {
            throw new ModelFormatException(ModelFormatError.UnsupportedNumberFormat, "this is a float32 model: load it with Model or AlertClassifier");
        }
        if (!document.Network.IsClassifier)
        {
            throw new ModelFormatException(ModelFormatError.NotAClassifier, "an int8 model must end with Sigmoid on one logit");
        }
    }
}
