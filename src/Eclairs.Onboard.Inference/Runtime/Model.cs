using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// A loaded, validated, immutable model: the plan and one contiguous, 64-byte aligned parameter block.
/// Thread-shareable; each thread classifies through its own <see cref="InferenceContext"/>.
/// </summary>
public sealed class Model
{
    private readonly AlignedBuffer _parameters;
    private readonly uint _parameterCrc;
    private readonly uint _planCrc;

    private Model(ModelDocument document, uint checksum, KernelPath path)
    {
        Network = document.Network;
        Name = document.Name;
        Provenance = document.Provenance;
        DecisionThreshold = document.DecisionThreshold;
        Normalization = document.Normalization;
        Checksum = checksum;
        NumberFormat = document.NumberFormat;
        KernelPath = path;

        IReadOnlyList<TensorRequirement> required = Network.RequiredTensors;
        var offsets = new int[required.Count];
        int total = 0;
        for (int i = 0; i < required.Count; i++)
        {
            offsets[i] = total;
            total = checked(total + AlignedBuffer.AlignUp(checked((int)required[i].ElementCount)));
        }
        // Winograd-transformed weights live in the same block, so Verify covers what the kernels actually read.
        var transformed = new int[Network.LayerCount];
        Array.Fill(transformed, -1);
        foreach (LayerInfo info in Network.LayerInfos)
        {
            if (info.Spec is Conv2DLayer conv && Winograd.Applies(path, conv.KernelSize, info.InputShape, info.OutputShape))
            {
                transformed[info.Index] = total;
                total = checked(total + AlignedBuffer.AlignUp(Winograd.TransformedSize(info.InputShape.Channels, conv.Filters)));
            }
        }
        _parameters = new AlignedBuffer(total);
        Span<float> block = _parameters.Span;
        block.Clear();
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
        for (int i = 0; i < required.Count; i++)
        {
            TensorRequirement r = required[i];
            if (r.Role == TensorRole.Weights && transformed[r.LayerIndex] >= 0)
            {
                int cin = r.Shape[2], cout = r.Shape[3];
                Winograd.TransformWeights(block.Slice(offsets[i], (int)r.ElementCount), cin, cout,
                    block.Slice(transformed[r.LayerIndex], Winograd.TransformedSize(cin, cout)));
            }
        }
        _parameterCrc = ParameterChecksum.Compute(MemoryMarshal.AsBytes((ReadOnlySpan<float>)block));
        Plan = ExecutionPlan.Build(Network, offsets, transformed, path);
        _planCrc = PlanCrc();
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

    /// <summary>Bytes this model keeps: the parameter block (alignment padding included).</summary>
    public long ModelBytes => _parameters.AllocatedBytes;

    /// <summary>Bytes of scratch each <see cref="InferenceContext"/> of this model keeps (known from the plan).</summary>
    public long ContextBytes => AlignedBuffer.BytesFor(Plan.ScratchFloats);

    /// <summary>True when the network ends with a Sigmoid on one logit (what <see cref="InferenceContext.Classify"/> needs).</summary>
    public bool IsClassifier => Network.IsClassifier;

    /// <summary>The widest kernel path this CPU accelerates.</summary>
    public static KernelPath BestAvailablePath =>
        Vector512.IsHardwareAccelerated ? KernelPath.Vector512
        : Vector256.IsHardwareAccelerated ? KernelPath.Vector256
        : Vector128.IsHardwareAccelerated ? KernelPath.Vector128
        : KernelPath.Scalar;

    internal ExecutionPlan Plan { get; }

    internal unsafe float* Parameters => _parameters.Pointer;

    /// <summary>The parameter block itself, for fault-injection tests (flip a bit, expect <see cref="Verify"/> to fail).</summary>
    internal Span<float> ParameterBlock => _parameters.Span;

    /// <summary>True when <paramref name="path"/> can run here (Auto and Scalar always can).</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Auto or KernelPath.Scalar => true,
        KernelPath.Vector128 => Vector128.IsHardwareAccelerated,
        KernelPath.Vector256 => Vector256.IsHardwareAccelerated,
        KernelPath.Vector512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>Validates a <c>.eclw</c> file and loads it (the bytes are copied; the span may be released after).</summary>
    /// <exception cref="ModelFormatException">The file is not a valid, supported model.</exception>
    /// <exception cref="PlatformNotSupportedException">The requested kernel path is not accelerated on this CPU.</exception>
    public static Model Load(ReadOnlySpan<byte> file, ModelOptions? options = null)
    {
        KernelPath path = ResolvePath(options);
        ModelDocument document = EclwReader.Read(file, out uint checksum);
        RefuseInt8(document);
        return new Model(document, checksum, path);
    }

    /// <summary>Validates a document and loads it as if from the file <see cref="EclwWriter"/> makes of it.</summary>
    /// <exception cref="ModelFormatException">The document is not a valid, supported model.</exception>
    public static Model FromDocument(ModelDocument document, ModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        KernelPath path = ResolvePath(options);
        document.Validate();
        RefuseInt8(document);
        byte[] file = EclwWriter.ToBytes(document);
        return new Model(document, Crc32.Compute(file.AsSpan(0, file.Length - EclwLayout.ChecksumBytes)), path);
    }

    /// <summary>A context (scratch buffers) to classify with this model on one thread.</summary>
    public InferenceContext CreateContext() => new(this);

    /// <summary>
    /// Recomputes the CRC-32C of the parameter block (weights, biases, Winograd-transformed weights) and compares it
    /// with the one taken at load: false means the parameters in memory have changed (a bit flip). Hardware CRC on
    /// x64 and arm64: well under a millisecond for the deck's network.
    /// </summary>
    public bool Verify() =>
        ParameterChecksum.Compute(MemoryMarshal.AsBytes((ReadOnlySpan<float>)_parameters.Span)) == _parameterCrc && PlanCrc() == _planCrc;

    /// <summary>
    /// The decision threshold, the input normalisation and the plan (offsets and shapes the kernels turn into raw
    /// pointers): a flip there would change the answer or send a kernel outside its buffer, so Verify covers them too.
    /// Combined as c ^ 31·p, which changes whenever either CRC does.
    /// </summary>
    private uint PlanCrc()
    {
        Span<int> constants =
        [
            BitConverter.SingleToInt32Bits(DecisionThreshold), BitConverter.SingleToInt32Bits(Normalization.Scale),
            BitConverter.SingleToInt32Bits(Normalization.Offset), Plan.ScratchFloats, Plan.OutputOffset, Plan.OutputLength,
            Plan.WorkspaceOffset,
        ];
        return ParameterChecksum.Compute(MemoryMarshal.AsBytes(constants))
            ^ (31 * ParameterChecksum.Compute(MemoryMarshal.AsBytes(Plan.Steps.AsSpan())));
    }

    private static void RefuseInt8(ModelDocument document)
    {
        if (document.NumberFormat != NumberFormat.Float32)
        {
            throw new ModelFormatException(ModelFormatError.UnsupportedNumberFormat,
                "this is an int8 model: load it with Quantized.Int8Model (the float engine runs float32 only)");
        }
    }

    private static KernelPath ResolvePath(ModelOptions? options)
    {
        KernelPath path = options?.KernelPath ?? KernelPath.Auto;
        if (!Enum.IsDefined(path))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"unknown kernel path {path}");
        }
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"kernel path {path} is not hardware-accelerated on this CPU");
        }
        return path == KernelPath.Auto ? BestAvailablePath : path;
    }
}
