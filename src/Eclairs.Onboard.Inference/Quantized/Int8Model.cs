using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>Kernels an int8 model runs, chosen once at load.</summary>
public enum Int8KernelPath
{
    /// <summary>The widest supported SIMD path, else scalar.</summary>
    Auto = 0,
    /// <summary>The scalar reference kernels (what the golden vectors are made with).</summary>
    Scalar = 1,
    /// <summary>Vector128: x64 SSE4.1 PMADDWD with AVX2 per-lane shifts; arm64 AdvSimd (SMULL/ADDP, SQRDMULH).</summary>
    Vector128 = 2,
    /// <summary>Vector256: AVX2 VPMADDWD, 8 channels per vector (requantization in 128-bit quarters).</summary>
    Vector256 = 3,
    /// <summary>Vector512: AVX-512BW VPMADDWD, 16 channels per vector.</summary>
    Vector512 = 4,
}

/// <summary>
/// A loaded, validated, immutable int8 model (TFLM scheme, docs/int8.md): the plan with every per-layer constant
/// prepared at load. Thread-shareable; classify through an <see cref="Int8Context"/> per thread.
/// </summary>
public sealed class Int8Model
{
    private readonly uint _parameterCrc;
    private readonly Array[] _parameterArrays;
    private readonly uint _planCrc;

    private Int8Model(ModelDocument document, uint checksum, Int8KernelPath path, int maxWinogradTile, bool dotProductDense)
    {
        Network = document.Network;
        Name = document.Name;
        Checksum = checksum;
        Normalization = document.Normalization;
        DecisionThreshold = document.DecisionThreshold;
        KernelPath = path;
        Int8Parameters parameters = Int8Parameters.FromDocument(document);
        CheckThreshold(document.DecisionThreshold, parameters);
        (Steps, ArenaBytes, RegionShorts) = Build(Network, parameters, path, maxWinogradTile, dotProductDense);
        ParameterBytes = 0;
        foreach (Int8LayerParameters l in parameters.Layers)
        {
            ParameterBytes += l.Weights.Length + (12L * l.Bias.Length);
        }
        // The plan holds the weights (file layout for the reference path, packed for SIMD); keep only the rest here.
        Parameters = new Int8Parameters(parameters.InputSteps, parameters.InputZeroPoint, parameters.DecisionThreshold,
            [.. parameters.Layers.Select(l => l with { Weights = [] })]);
        Int8LayerParameters last = Parameters.Layers[^1];
        OutputScale = last.OutputScale;
        OutputZeroPoint = last.OutputZeroPoint;
        _parameterArrays = CollectParameterArrays(Steps);
        _parameterCrc = ParameterCrc();
        _planCrc = PlanCrc();
    }

    /// <summary>Model name.</summary>
    public string Name { get; }

    /// <summary>The layers.</summary>
    public NetworkDescription Network { get; }

    /// <summary>CRC-32 of the file.</summary>
    public uint Checksum { get; }

    /// <summary>SNR normalisation before quantization.</summary>
    public InputNormalization Normalization { get; }

    /// <summary>The float threshold on probability (informative; the decision is <see cref="Int8Parameters.DecisionThreshold"/>).</summary>
    public float DecisionThreshold { get; }

    /// <summary>Kernel path chosen at load.</summary>
    public Int8KernelPath KernelPath { get; }

    /// <summary>The quantization parameters as stored (per-layer weights omitted: the plan holds them in its own layout).</summary>
    public Int8Parameters Parameters { get; }

    /// <summary>Scale of the raw logit (for the probability at the edge).</summary>
    public float OutputScale { get; }

    /// <summary>Zero point of the raw logit.</summary>
    public int OutputZeroPoint { get; }

    /// <summary>Bytes of parameters as stored (int8 weights; int32 bias, multiplier, shift per channel).</summary>
    public long ParameterBytes { get; }

    /// <summary>Bytes this model keeps in its plan (file-layout weights plus SIMD-packed weights and padded constants).</summary>
    public long ModelBytes
    {
        get
        {
            long n = 0;
            foreach (Int8LayerPlan s in Steps)
            {
                n += s.Weights.Length + s.Packed.Length + s.DotPacked.Length + (2L * s.Transformed.Length)
                    + (4L * (s.Bias.Length + s.DotBias.Length + s.Multiplier.Length + s.Shift.Length + s.LeftMultiplier.Length + s.RightShift.Length));
            }
            return n;
        }
    }

    internal Int8LayerPlan[] Steps { get; }

    /// <summary>
    /// Every per-channel array the kernels read (weights in either layout, bias, multiplier, both shift forms), in plan
    /// order: exactly what <see cref="Verify"/> covers and what fault injection flips. They live on the pinned object
    /// heap (see <see cref="Pinned{T}"/>), so their addresses are fixed for the model's lifetime.
    /// </summary>
    internal IReadOnlyList<Array> ParameterArrays => _parameterArrays;

    internal int ArenaBytes { get; }

    internal int RegionShorts { get; }

    /// <summary>True when <paramref name="path"/> can run on this CPU.</summary>
    public static bool IsSupported(Int8KernelPath path) => path switch
    {
        Int8KernelPath.Auto or Int8KernelPath.Scalar => true,
        Int8KernelPath.Vector128 => Int8Simd.IsSupported,
        Int8KernelPath.Vector256 => Int8Simd.IsSupported256,
        Int8KernelPath.Vector512 => Int8Simd.IsSupported512,
        _ => false,
    };

    /// <summary>Validates an int8 <c>.eclw</c> file and loads it.</summary>
    /// <exception cref="ModelFormatException">Not a valid int8 model (a float32 file gives UnsupportedNumberFormat).</exception>
    /// <exception cref="PlatformNotSupportedException">The requested path does not run here.</exception>
    public static Int8Model Load(ReadOnlySpan<byte> file, Int8KernelPath path = Int8KernelPath.Auto)
    {
        Resolve(path);
        ModelDocument document = EclwReader.Read(file, out uint checksum);
        Int8KernelPath chosen = Choose(path, document.Network);
        return new Int8Model(RequireInt8(document), checksum, chosen, 4, DotProductByDefault(chosen));
    }

    /// <summary>Validates an int8 document and loads it.</summary>
    public static Int8Model FromDocument(ModelDocument document, Int8KernelPath path = Int8KernelPath.Auto) =>
        FromDocument(document, path, maxWinogradTile: 4);

    /// <summary>
    /// As <see cref="FromDocument(ModelDocument, Int8KernelPath)"/> with the Winograd tiles limited to
    /// <paramref name="maxWinogradTile"/> (4: F(4x4) or F(2x2); 2: F(2x2) only; 0: direct only), so tests and benchmarks
    /// can run the smaller kernels on shapes the larger one takes.
    /// </summary>
    /// <param name="dotProductDense">
    /// Run dense layers on <see cref="Int8DotDense"/>: null, where the CPU has SDOT on the Vector128 path (arm64);
    /// true elsewhere only for tests, with <see cref="DotProductModel"/> standing in for the instruction.
    /// </param>
    internal static Int8Model FromDocument(ModelDocument document, Int8KernelPath path, int maxWinogradTile, bool? dotProductDense = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        Resolve(path);
        document.Validate();
        byte[] file = EclwWriter.ToBytes(document);
        Int8KernelPath chosen = Choose(path, document.Network);
        return new Int8Model(RequireInt8(document), Crc32.Compute(file.AsSpan(0, file.Length - 4)), chosen, maxWinogradTile,
            (dotProductDense ?? DotProductByDefault(chosen)) && chosen != Int8KernelPath.Scalar);
    }

    /// <summary>A context (scratch) for one thread.</summary>
    /// <param name="keepEveryStep">Materialise every step's output (see <see cref="Int8Context(Int8Model, bool)"/>).</param>
    public Int8Context CreateContext(bool keepEveryStep = false) => new(this, keepEveryStep);

    /// <summary>Bytes of scratch each <see cref="Int8Context"/> of this model keeps (known from the plan).</summary>
    public long ContextBytes => Int8Context.BytesFor(this);

    /// <summary>
    /// Recomputes the checksum of the planned parameters (CRC-32C, hardware where the CPU has it); false means they
    /// changed in memory. Each array's CRC changes on any single-bit flip, and the combination below is a bijection
    /// of each array's CRC (xor, then multiplication by an odd number modulo 2^32), so the result changes too.
    /// </summary>
    public bool Verify() => ParameterCrc() == _parameterCrc && PlanCrc() == _planCrc;

    /// <summary>
    /// The scalar constants the answer depends on (input quantization, integer threshold, output scale and zero point,
    /// normalisation) and each step's zero points, clamps, shapes and arena offsets (which become raw pointers).
    /// </summary>
    private uint PlanCrc()
    {
        const int PerStep = 23;
        Span<int> c = stackalloc int[10 + (PerStep * Steps.Length)];
        c[0] = BitConverter.SingleToInt32Bits(DecisionThreshold);
        c[1] = BitConverter.SingleToInt32Bits(Normalization.Scale);
        c[2] = BitConverter.SingleToInt32Bits(Normalization.Offset);
        c[3] = Parameters.InputSteps;
        c[4] = Parameters.InputZeroPoint;
        c[5] = Parameters.DecisionThreshold;
        c[6] = BitConverter.SingleToInt32Bits(OutputScale);
        c[7] = OutputZeroPoint;
        c[8] = ArenaBytes;
        c[9] = RegionShorts;
        for (int i = 0; i < Steps.Length; i++)
        {
            Int8LayerPlan s = Steps[i];
            Span<int> d = c.Slice(10 + (PerStep * i), PerStep);
            d[0] = (int)s.Kind;
            d[1] = s.InputZeroPoint;
            d[2] = s.OutputZeroPoint;
            d[3] = s.ActivationMin;
            d[4] = s.ActivationMax;
            d[5] = s.KernelSize;
            d[6] = s.Pad;
            d[7] = s.Pairs;
            d[8] = s.CoutPad;
            d[9] = s.Source;
            d[10] = s.Destination;
            d[11] = s.Region;
            d[12] = s.In.Height;
            d[13] = s.In.Width;
            d[14] = s.In.Channels;
            d[15] = s.Out.Height;
            d[16] = s.Out.Width;
            d[17] = s.Out.Channels;
            d[18] = (int)s.Width;
            d[19] = s.Workspace;
            d[20] = s.FusedPoolDestination;
            d[21] = (s.FusedIntoPrevious ? 1 : 0) | (s.HasLeftShift ? 2 : 0) | (s.PairWinograd ? 4 : 0) | (s.DotPacked.Length > 0 ? 8 : 0);
            d[22] = s.WinogradTile;
        }
        return ParameterChecksum.Compute(MemoryMarshal.AsBytes(c));
    }

    private uint ParameterCrc()
    {
        uint crc = 0;
        foreach (Array a in _parameterArrays) // an array, not the interface: scrubbing allocates nothing
        {
            crc = (crc * 31) ^ ParameterChecksum.Compute(Bytes(a));
        }
        return crc;
    }

    /// <summary>
    /// The integer threshold must be the one the quantizer derives from the header's probability threshold and the
    /// logit's scale and zero point: a float file re-thresholded without requantizing (or an edited int8 header) would
    /// otherwise decide with a stale threshold.
    /// </summary>
    private static void CheckThreshold(float probability, Int8Parameters parameters)
    {
        Int8LayerParameters last = parameters.Layers[^1];
        int expected = Quantizer.IntegerThreshold(probability, last.OutputScale, last.OutputZeroPoint);
        if (parameters.DecisionThreshold != expected)
        {
            throw new ModelFormatException(ModelFormatError.InvalidQuantization, string.Create(CultureInfo.InvariantCulture,
                $"integer decision threshold {parameters.DecisionThreshold} does not match the header's threshold {probability} (expected {expected} for logit scale {last.OutputScale} and zero point {last.OutputZeroPoint}): requantize the model"));
        }
    }

    /// <summary>The bytes of one of <see cref="ParameterArrays"/> (sbyte[], short[] or int[]).</summary>
    internal static Span<byte> Bytes(Array a) => a switch
    {
        sbyte[] s => MemoryMarshal.AsBytes(s.AsSpan()),
        short[] h => MemoryMarshal.AsBytes(h.AsSpan()),
        int[] i => MemoryMarshal.AsBytes(i.AsSpan()),
        _ => throw new InvalidOperationException($"unexpected parameter array {a.GetType()}"),
    };

    private static Array[] CollectParameterArrays(Int8LayerPlan[] steps)
    {
        var arrays = new List<Array>();
        foreach (Int8LayerPlan s in steps)
        {
            foreach (Array a in (Array[])[s.Weights, s.Packed, s.Transformed, s.DotPacked, s.DotBias, s.Bias, s.Multiplier, s.Shift, s.LeftMultiplier, s.RightShift])
            {
                if (a.Length > 0)
                {
                    arrays.Add(a);
                }
            }
        }
        return [.. arrays];
    }

    /// <summary>A copy on the pinned object heap: kernels and diagnostics may hold its address.</summary>
    private static T[] Pinned<T>(T[] values)
    {
        T[] pinned = GC.AllocateUninitializedArray<T>(values.Length, pinned: true);
        values.CopyTo(pinned, 0);
        return pinned;
    }

    private static ModelDocument RequireInt8(ModelDocument document)
    {
        if (document.NumberFormat != NumberFormat.Int8)
        {
            throw new ModelFormatException(ModelFormatError.UnsupportedNumberFormat, "this is a float32 model: load it with Model");
        }
        if (!document.Network.IsClassifier)
        {
            throw new ModelFormatException(ModelFormatError.ShapeMismatch, "an int8 model must end with Sigmoid on one logit");
        }
        return document;
    }

    private static Int8KernelPath Resolve(Int8KernelPath path)
    {
        if (!Enum.IsDefined(path))
        {
            throw new ArgumentOutOfRangeException(nameof(path), $"unknown kernel path {path}");
        }
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"int8 kernel path {path} does not run on this CPU");
        }
        if (path != Int8KernelPath.Auto)
        {
            return path;
        }
        return Int8Simd.IsSupported512 ? Int8KernelPath.Vector512
            : Int8Simd.IsSupported256 ? Int8KernelPath.Vector256
            : Int8Simd.IsSupported ? Int8KernelPath.Vector128
            : Int8KernelPath.Scalar;
    }

    /// <summary>Dense layers on SDOT wherever the path is the 128-bit one of a CPU that has it (arm64 DotProd).</summary>
    private static bool DotProductByDefault(Int8KernelPath path) => path == Int8KernelPath.Vector128 && Int8Simd.IsSupportedArm64 && Int8DotDense.IsSupported;

    /// <summary>
    /// Auto: AVX-512 blocks are 32 channels, so Vector512 is chosen only when every layer with more than one output
    /// has a multiple of 32 (the deck's network); otherwise 16-channel Vector256 blocks waste less (the compact one).
    /// </summary>
    private static Int8KernelPath Choose(Int8KernelPath requested, NetworkDescription network)
    {
        Int8KernelPath path = Resolve(requested);
        if (requested != Int8KernelPath.Auto || path != Int8KernelPath.Vector512)
        {
            return path;
        }
        foreach (LayerInfo info in network.LayerInfos)
        {
            if (info.Spec is Conv2DLayer or DenseLayer && info.OutputShape.Channels > 1 && info.OutputShape.Channels % 32 != 0)
            {
                return Int8KernelPath.Vector256;
            }
        }
        return path;
    }

    private static int Align(int bytes) => (bytes + 63) & ~63;

    private static (Int8LayerPlan[] Steps, int ArenaBytes, int RegionShorts) Build(NetworkDescription network, Int8Parameters parameters, Int8KernelPath path, int maxWinogradTile,
        bool dotProductDense)
    {
        bool simd = path != Int8KernelPath.Scalar;

        var byLayer = new Dictionary<int, Int8LayerParameters>();
        foreach (Int8LayerParameters p in parameters.Layers)
        {
            byLayer[p.LayerIndex] = p;
        }
        var steps = new List<Int8LayerPlan>();
        int arena = 0, regions = 0, current = 0, zeroPoint = parameters.InputZeroPoint;
        foreach (LayerInfo info in network.LayerInfos)
        {
            TensorShape i = info.InputShape, o = info.OutputShape;
            int destination = arena;
            switch (info.Spec)
            {
                case InputLayer:
                    steps.Add(new Int8LayerPlan { Kind = Int8StepKind.Input, LayerIndex = info.Index, In = i, Out = o, OutputZeroPoint = zeroPoint, Destination = destination });
                    break;
                case Conv2DLayer conv:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int pad = conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0;
                    int region = -1, workspace = -1, tile = 0;
                    bool pooled = simd && info.Index + 1 < network.LayerInfos.Count && network.LayerInfos[info.Index + 1].Spec is MaxPool2DLayer
                        && PoolFusionIsExact(conv.KernelSize, i.Channels, p);
                    bool pairWinograd = pooled && Int8PairWinograd.Applies(conv.KernelSize, pad, Int8Packing.Pairs(i.Channels));
                    if (simd)
                    {
                        region = regions;
                        regions += Align((i.Height + (2 * pad)) * (i.Width + (2 * pad)) * 2 * Int8Packing.Pairs(i.Channels));
                        // The larger tile when it applies (2.25 products per output against 4), else F(2x2), else direct.
                        tile = maxWinogradTile >= 4 && Int8Winograd4.Applies(conv.KernelSize, pad, i, o) ? 4
                            : maxWinogradTile >= 2 && Int8Winograd.Applies(conv.KernelSize, pad, i, o) ? 2
                            : 0;
                        if (tile != 0)
                        {
                            int pairs = Int8Packing.Pairs(i.Channels), coutPad = Int8Packing.PadChannels(o.Channels, Int8Packing.ChannelBlock(path));
                            workspace = regions;
                            regions += Align(2 * (tile == 4 ? Int8Winograd4.WorkspaceInts(pairs, coutPad) : Int8Winograd.WorkspaceInts(pairs, coutPad)));
                        }
                    }
                    steps.Add(Parameterized(Int8StepKind.Conv2D, info, p, conv.KernelSize, pad, conv.Activation, zeroPoint, current, destination, region, path, workspace, tile, pairWinograd));
                    zeroPoint = p.OutputZeroPoint;
                    break;
                }
                case DenseLayer dense:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int region = -1;
                    if (simd && !dotProductDense)
                    {
                        region = regions;
                        regions += Align(2 * Int8Packing.Pairs(i.Channels));
                    }
                    steps.Add(Parameterized(Int8StepKind.Dense, info, p, 1, 0, dense.Activation, zeroPoint, current, destination, region, path,
                        dotProduct: dotProductDense));
                    zeroPoint = p.OutputZeroPoint;
                    break;
                }
                case MaxPool2DLayer:
                {
                    var pool = new Int8LayerPlan { Kind = Int8StepKind.MaxPool2D, LayerIndex = info.Index, In = i, Out = o, InputZeroPoint = zeroPoint, OutputZeroPoint = zeroPoint, Source = current, Destination = destination };
                    if (simd && steps[^1] is { Kind: Int8StepKind.Conv2D } conv && PoolFusionIsExact(conv.KernelSize, conv.In.Channels, byLayer[conv.LayerIndex]))
                    {
                        conv.FusedPoolDestination = destination;
                        conv.FusedPoolOut = o;
                        pool.FusedIntoPrevious = true;
                    }
                    steps.Add(pool);
                    break;
                }
                case GlobalAveragePoolLayer:
                    if ((long)i.Height * i.Width > 1 << 23)
                    {
                        throw new ModelFormatException(ModelFormatError.ShapeMismatch,
                            string.Create(CultureInfo.InvariantCulture, $"layer {info.Index}: int8 average over {i.Height}x{i.Width} pixels could overflow int32"));
                    }
                    steps.Add(new Int8LayerPlan { Kind = Int8StepKind.GlobalAveragePool, LayerIndex = info.Index, In = i, Out = o, InputZeroPoint = zeroPoint, OutputZeroPoint = zeroPoint, Source = current, Destination = destination });
                    break;
                default:
                    continue; // Concatenate, Flatten, Dropout, Sigmoid: no data movement
            }
            current = destination;
            arena = Align(arena + (int)o.Size);
        }
        return ([.. steps], arena, regions);
    }

    /// <summary>
    /// maxpool(requantize(acc)) equals requantize(max(acc)) when requantization is monotone non-decreasing in the
    /// accumulator: true for MBQM with a multiplier >= 0 (the loader allows 0 or [2^30, 2^31)), zero point and clamp,
    /// unless an int32 wraps on the way. So the fusion is planned only when no channel has a left shift (x · 2^left
    /// wraps) and bias + the largest possible sum, k²·cin·127·255, cannot leave int32.
    /// </summary>
    internal static bool PoolFusionIsExact(int kernelSize, int inputChannels, Int8LayerParameters p)
    {
        long bound = (long)kernelSize * kernelSize * inputChannels * 127 * 255;
        for (int c = 0; c < p.Shift.Length; c++)
        {
            if (p.Shift[c] > 0 || p.Multiplier[c] < 0 || Math.Abs((long)p.Bias[c]) + bound > int.MaxValue)
            {
                return false;
            }
        }
        return true;
    }

    private static Int8LayerPlan Parameterized(Int8StepKind kind, LayerInfo info, Int8LayerParameters p, int k, int pad, Activation activation,
        int inputZeroPoint, int source, int destination, int region, Int8KernelPath path, int workspace = -1, int winogradTile = 0, bool pairWinograd = false,
        bool dotProduct = false)
    {
        int cout = info.OutputShape.Channels, cin = info.InputShape.Channels;
        bool simd = path != Int8KernelPath.Scalar;
        Int8KernelPath width = path;
        int coutPad = Int8Packing.PadChannels(cout, Int8Packing.ChannelBlock(width));
        var left = new int[coutPad];
        var right = new int[left.Length];
        for (int c = 0; c < cout; c++)
        {
            left[c] = 1 << Math.Max(p.Shift[c], 0);
            right[c] = Math.Max(-p.Shift[c], 0);
        }
        return new Int8LayerPlan
        {
            Kind = kind,
            LayerIndex = info.Index,
            In = info.InputShape,
            Out = info.OutputShape,
            KernelSize = k,
            Pad = pad,
            InputZeroPoint = inputZeroPoint,
            OutputZeroPoint = p.OutputZeroPoint,
            ActivationMin = activation == Activation.Relu ? Math.Max(p.OutputZeroPoint, sbyte.MinValue) : sbyte.MinValue,
            Weights = simd ? [] : Pinned(p.Weights),
            Width = width,
            Bias = Pinned(Int8Packing.Pad(p.Bias, coutPad)),
            Multiplier = Pinned(Int8Packing.Pad(p.Multiplier, coutPad)),
            Shift = Pinned(p.Shift),
            LeftMultiplier = Pinned(left),
            HasLeftShift = p.Shift.AsSpan().ContainsAnyExceptInRange(int.MinValue, 0),
            RightShift = Pinned(right),
            Packed = !simd || workspace >= 0 || dotProduct ? []
                : kind == Int8StepKind.Dense ? PinnedAlignment.Copy<sbyte>(Int8Packing.PackDenseBlocks(p.Weights, cin, cout, coutPad, Int8Packing.ChannelBlock(width)))
                : PinnedAlignment.Copy<sbyte>(Int8Packing.PackPairs(p.Weights, k * k, cin, cout, coutPad)),
            Transformed = winogradTile switch
            {
                4 => PinnedAlignment.Copy<short>(Int8Winograd4.TransformWeights(p.Weights, cin, cout, coutPad)),
                2 => PinnedAlignment.Copy<short>(Int8Winograd.TransformWeights(p.Weights, cin, cout, coutPad)),
                _ when pairWinograd => PinnedAlignment.Copy<short>(Int8Winograd.TransformWeights(p.Weights, cin, cout, coutPad)),
                _ => [],
            },
            DotPacked = dotProduct ? PinnedAlignment.Copy<sbyte>(Int8DotDense.Pack(p.Weights, cin, cout)) : [],
            DotBias = dotProduct ? Pinned(Int8DotDense.Corrections(p.Bias, p.Weights, cin, cout, inputZeroPoint, coutPad)) : [],
            WinogradTile = winogradTile,
            PairWinograd = pairWinograd,
            Workspace = workspace,
            Pairs = Int8Packing.Pairs(cin),
            CoutPad = coutPad,
            Source = source,
            Destination = destination,
            Region = region,
        };
    }
}
