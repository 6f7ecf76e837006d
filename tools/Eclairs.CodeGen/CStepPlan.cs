using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.CodeGen;

/// <summary>What a step computes, before a kernel is chosen for it.</summary>
public enum COperation
{
    /// <summary>Convolution, stride 1.</summary>
    Conv2D = 1,
    /// <summary>Convolution and the 2x2 max pooling after it, fused: only pooled pixels are stored.</summary>
    Conv2DMaxPool = 2,
    /// <summary>2x2 max pooling.</summary>
    MaxPool = 3,
    /// <summary>Global average pooling.</summary>
    GlobalAveragePool = 4,
    /// <summary>Fully connected.</summary>
    Dense = 5,
    /// <summary>Convolution of any kernel side and stride (<see cref="GeneralConv2DLayer"/>: 1x1, stride 2).</summary>
    GeneralConv2D = 6,
    /// <summary>2x2 average pooling.</summary>
    AveragePool = 7,
    /// <summary>Residual Add of the previous output and a kept earlier output (TFLM's int8 ADD).</summary>
    Add = 8,
}

/// <summary>One step of the generated plan: what it computes, with which kernel, on which shapes, from and to which scratch offsets.</summary>
/// <param name="Operation">What it computes.</param>
/// <param name="LayerIndex">The .eclw layer (the Conv2D of a fused step).</param>
/// <param name="Description">For the comment in the C source.</param>
/// <param name="In">Shape read.</param>
/// <param name="Out">Shape stored.</param>
/// <param name="KernelSize">Convolutions: k.</param>
/// <param name="Pad">Convolutions: 0 'valid', (k - 1) / 2 'same'.</param>
/// <param name="Parameters">Convolutions and dense: the quantized parameters.</param>
/// <param name="InputZeroPoint">Zero point of what it reads.</param>
/// <param name="ActivationMin">Clamp floor: the output zero point after ReLU, else -128.</param>
/// <param name="Source">Byte offset read in the scratch buffer.</param>
/// <param name="Destination">Byte offset written.</param>
/// <param name="Algorithm">What <see cref="KernelSelector"/> chose for this step on the C target.</param>
/// <param name="Pool">How a fused 2x2 max pool is taken (<see cref="ConvolutionChoice.MaxOfAccumulators"/>).</param>
public sealed record CStep(COperation Operation, int LayerIndex, string Description, TensorShape In, TensorShape Out,
    int KernelSize, int Pad, Int8LayerParameters? Parameters, int InputZeroPoint, int ActivationMin, int Source, int Destination,
    KernelAlgorithm Algorithm = KernelAlgorithm.DirectConv2D, CPool Pool = CPool.None)
{
    /// <summary>General convolutions: 1 or 2 (1 for every other step).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Add: the requantization of both inputs and the output.</summary>
    public Int8AddParameters? Add { get; init; }

    /// <summary>Add: byte offset of the kept output it adds (input 2), in the kept region; -1 for the other steps.</summary>
    public int Residual { get; init; } = -1;

    /// <summary>Add: zero point of that output.</summary>
    public int ResidualZeroPoint { get; init; }

    /// <summary>The C function the step calls: the C kernel of the selector's algorithm.</summary>
    public CKernel Kernel => CKernels.Of(Operation, Algorithm);

    /// <summary>Winograd: tile rows (tile x tile outputs each; the pooled rows come two per 2x2 window).</summary>
    public int TilesY => Tiles(Out.Height);

    /// <summary>Winograd: tile columns.</summary>
    public int TilesX => Tiles(Out.Width);

    private int Tiles(int stored)
    {
        int tile = Kernel.WinogradTile();
        int per = Pool == CPool.None ? tile : tile / 2;
        return per == 0 ? 0 : (stored + per - 1) / per;
    }
}

/// <summary>
/// The plan of a generated model. The scratch buffer holds a step's input at one end and its output at the other,
/// so it needs max(input + output) bytes over the steps; a 2x2 max pooling right after a convolution is fused into it
/// (the max of four requantized outputs is exactly what the pooling stores), which spares the full-size
/// convolution output: the compact network's scratch falls from 56,448 to 18,816 bytes. An output that a later Add
/// or Branch reads (a residual block's input, its shortcut) is written instead into the kept region after that
/// ping-pong area, where it stays while the main branch runs: each kept output has its own slot for its lifetime
/// (from the step that writes it to the last step that reads it), slots of outputs alive at the same time never
/// overlap, slots of outputs that are not are reused (<see cref="KeptBytes"/>). A Branch is no step: the next step
/// reads the kept slot. The fast kernels' working memory (<see cref="Workspace"/>) is apart from the scratch buffer.
/// </summary>
public sealed class CStepPlan
{
    private CStepPlan(IReadOnlyList<CStep> steps, int inputBytes, int inputOffset, int scratchBytes, int keptBytes, CTarget kernels, CWorkspace workspace)
    {
        Steps = steps;
        InputBytes = inputBytes;
        InputOffset = inputOffset;
        ScratchBytes = scratchBytes;
        KeptBytes = keptBytes;
        Kernels = kernels;
        Workspace = workspace;
    }

    /// <summary>Steps in order.</summary>
    public IReadOnlyList<CStep> Steps { get; }

    /// <summary>Bytes of the quantized input (height x width x 2).</summary>
    public int InputBytes { get; }

    /// <summary>Offset of the quantized input in the scratch buffer: 0, or its kept slot when a later Add or Branch reads it.</summary>
    public int InputOffset { get; }

    /// <summary>Bytes of the one scratch buffer (ping-pong area and kept region).</summary>
    public int ScratchBytes { get; }

    /// <summary>Bytes of the kept region at the end of the scratch buffer (0 for a plain chain).</summary>
    public int KeptBytes { get; }

    /// <summary>The variant of the C the plan was made for.</summary>
    public CTarget Kernels { get; }

    /// <summary>Working memory of the fast kernels (all zero with the small set).</summary>
    public CWorkspace Workspace { get; }

    /// <summary>Offset of the raw logit in the scratch buffer.</summary>
    public int OutputOffset => Steps[^1].Destination;

    /// <summary>
    /// The residual-network kernels both C variants have (ecl_int8_residual.c: ecl_i8_conv2d_strided,
    /// ecl_i8_average_pool, ecl_i8_add, the engine's reference arithmetic). Offered here, beside the generator that ships
    /// them, so the selector picks them for the layers it would otherwise refuse.
    /// </summary>
    internal static IReadOnlyList<KernelAlgorithm> ResidualAlgorithms { get; } =
        [KernelAlgorithm.ReferenceGeneralConv2D, KernelAlgorithm.ReferenceAveragePool, KernelAlgorithm.ReferenceAdd];

    /// <summary>
    /// Plans a loaded int8 model's network with its parameters. Each step's algorithm and the pool fusion come from
    /// <see cref="KernelSelector"/> for the C target (<see cref="KernelTarget.ForC"/>, with the residual layers' plain
    /// loops of ecl_int8_residual.c: <see cref="ResidualAlgorithms"/>), the one place kernels are chosen.
    /// </summary>
    public static CStepPlan Create(NetworkDescription network, Int8Parameters parameters, CTarget kernels = CTarget.Small)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        CLayerSupport.Check(network.LayerInfos);
        KernelTarget c = KernelTarget.ForC(kernels);
        KernelTarget target = c.WithAlgorithms(c.Algorithms.Concat(ResidualAlgorithms));
        var byLayer = new Dictionary<int, Int8LayerParameters>();
        foreach (Int8LayerParameters p in parameters.Layers)
        {
            byLayer[p.LayerIndex] = p;
        }
        var addByLayer = new Dictionary<int, Int8AddParameters>();
        foreach (Int8AddParameters a in parameters.Adds)
        {
            addByLayer[a.LayerIndex] = a;
        }
        IReadOnlyList<LayerInfo> layers = network.LayerInfos;

        // 1. Steps and the tensors they read and write (tensor 0: the quantized input); each layer's output is a tensor.
        var shapes = new List<CStep>();
        var tensors = new List<PlannedTensor>();
        var reads = new List<(int Main, int Residual)>();
        var writes = new List<int>();
        var tensorOf = new int[layers.Count];
        int current = -1;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerInfo info = layers[i];
            int zeroPoint = current < 0 ? parameters.InputZeroPoint : tensors[current].ZeroPoint;
            CStep step;
            int outputZeroPoint = zeroPoint, residual = -1, last = i;
            switch (info.Spec)
            {
                case ConcatenateLayer:
                    tensors.Add(new PlannedTensor(info.OutputShape, parameters.InputZeroPoint, -1));
                    current = tensorOf[i] = tensors.Count - 1;
                    continue;
                case BranchLayer branch:
                    current = tensorOf[i] = tensorOf[branch.Source];
                    continue;
                case Conv2DLayer conv:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int pad = conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0;
                    int floor = conv.Activation == Activation.Relu ? p.OutputZeroPoint : sbyte.MinValue;
                    string what = $"Conv2D {conv.Filters} {conv.KernelSize}x{conv.KernelSize} {conv.Padding} {conv.Activation}";
                    int pool = PoolAfter(network, i);
                    ConvolutionChoice choice = KernelSelector.Convolution(target, info.InputShape, info.OutputShape, conv.KernelSize, pad,
                        poolFollows: pool > 0, p);
                    bool fuse = choice.FusesPool;
                    CPool fusedPool = !fuse || choice.WinogradTile == 0 ? CPool.None : choice.MaxOfAccumulators ? CPool.MaxOfSums : CPool.MaxOfOutputs;
                    step = fuse
                        ? new CStep(COperation.Conv2DMaxPool, info.Index, $"{what}, MaxPool2D 2x2 (layer {pool}) fused",
                            info.InputShape, layers[pool].OutputShape, conv.KernelSize, pad, p, zeroPoint, floor, 0, 0, choice.Algorithm, fusedPool)
                        : new CStep(COperation.Conv2D, info.Index, what, info.InputShape, info.OutputShape, conv.KernelSize, pad, p, zeroPoint, floor, 0, 0, choice.Algorithm);
                    last = fuse ? pool : i;
                    outputZeroPoint = p.OutputZeroPoint;
                    break;
                }
                case GeneralConv2DLayer conv:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int floor = conv.Activation == Activation.Relu ? p.OutputZeroPoint : sbyte.MinValue;
                    step = new CStep(COperation.GeneralConv2D, info.Index,
                        $"GeneralConv2D {conv.Filters} {conv.KernelSize}x{conv.KernelSize} stride {conv.Stride} {conv.Padding} {conv.Activation}",
                        info.InputShape, info.OutputShape, conv.KernelSize, conv.Pad, p, zeroPoint, floor, 0, 0,
                        KernelSelector.GeneralConvolution(target, conv.KernelSize, conv.Stride)) { Stride = conv.Stride };
                    outputZeroPoint = p.OutputZeroPoint;
                    break;
                }
                case DenseLayer dense:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int floor = dense.Activation == Activation.Relu ? p.OutputZeroPoint : sbyte.MinValue;
                    step = new CStep(COperation.Dense, info.Index, $"Dense {dense.Units} {dense.Activation}", info.InputShape, info.OutputShape,
                        1, 0, p, zeroPoint, floor, 0, 0, KernelSelector.Dense(target, info.InputShape.Size, dense.Units));
                    outputZeroPoint = p.OutputZeroPoint;
                    break;
                }
                case MaxPool2DLayer:
                    step = new CStep(COperation.MaxPool, info.Index, "MaxPool2D 2x2", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, sbyte.MinValue, 0, 0,
                        KernelSelector.MaxPool(target, fusedIntoPrevious: false));
                    break;
                case AveragePool2DLayer:
                    step = new CStep(COperation.AveragePool, info.Index, "AveragePool2D 2x2", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, sbyte.MinValue, 0, 0,
                        KernelSelector.AveragePool(target));
                    break;
                case GlobalAveragePoolLayer:
                    step = new CStep(COperation.GlobalAveragePool, info.Index, "GlobalAveragePool", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, sbyte.MinValue, 0, 0,
                        KernelSelector.GlobalAveragePool(target));
                    break;
                case AddLayer add:
                {
                    Int8AddParameters a = addByLayer[info.Index];
                    residual = tensorOf[add.Source];
                    int floor = add.Activation == Activation.Relu ? a.OutputZeroPoint : sbyte.MinValue;
                    step = new CStep(COperation.Add, info.Index, $"Add layer {add.Source} {add.Activation}", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, floor, 0, 0,
                        KernelSelector.ResidualAdd(target)) { Add = a, ResidualZeroPoint = tensors[residual].ZeroPoint };
                    outputZeroPoint = a.OutputZeroPoint;
                    break;
                }
                default:
                    tensorOf[i] = current; // Input, Flatten, Dropout, Sigmoid: no data movement (CLayerSupport refused any other)
                    continue;
            }
            shapes.Add(step);
            reads.Add((current, residual));
            tensors.Add(new PlannedTensor(step.Out, outputZeroPoint, shapes.Count - 1));
            writes.Add(tensors.Count - 1);
            for (int j = i; j <= last; j++)
            {
                tensorOf[j] = tensors.Count - 1;
            }
            current = tensors.Count - 1;
            i = last;
        }

        // 2. Kept tensors (read by a later Add or Branch) and the last step that reads each tensor.
        foreach (LayerInfo info in layers)
        {
            if (info.Spec is AddLayer { Source: var a })
            {
                tensors[tensorOf[a]].Kept = true;
            }
            else if (info.Spec is BranchLayer { Source: var b })
            {
                tensors[tensorOf[b]].Kept = true;
            }
        }
        for (int s = 0; s < shapes.Count; s++)
        {
            tensors[reads[s].Main].LastRead = s;
            if (reads[s].Residual >= 0)
            {
                tensors[reads[s].Residual].LastRead = s;
            }
        }

        // 3. Layout: the ping-pong area first (a step reading and writing it needs input + output), then the kept slots.
        long area = tensors[0].Kept ? 0 : tensors[0].Shape.Size;
        for (int s = 0; s < shapes.Count; s++)
        {
            PlannedTensor input = tensors[reads[s].Main], output = tensors[writes[s]];
            long used = (input.Kept ? 0 : input.Shape.Size) + (output.Kept ? 0 : output.Shape.Size);
            area = Math.Max(area, used);
        }
        int pingPong = checked((int)area);
        int kept = KeptSlots(tensors, pingPong);
        var steps = new List<CStep>();
        CWorkspace workspace = CWorkspace.None;
        for (int s = 0; s < shapes.Count; s++)
        {
            PlannedTensor input = tensors[reads[s].Main], output = tensors[writes[s]];
            if (!output.Kept)
            {
                // Each step writes at the end of the ping-pong area its input does not occupy (its input kept: the low end).
                output.Offset = !input.Kept && input.Offset == 0 ? checked((int)(pingPong - output.Shape.Size)) : 0;
            }
            CStep step = shapes[s] with { Source = input.Offset, Destination = output.Offset };
            if (reads[s].Residual >= 0)
            {
                step = step with { Residual = tensors[reads[s].Residual].Offset };
            }
            steps.Add(step);
            workspace = workspace.Union(CWorkspace.Of(step));
        }
        return new CStepPlan(steps, checked((int)tensors[0].Shape.Size), tensors[0].Offset, checked(pingPong + kept), kept, kernels, workspace);
    }

    /// <summary>The MaxPool2D layer a Conv2D at <paramref name="i"/> may fuse (the next moving layer), or 0: none, or the convolution's output is kept.</summary>
    private static int PoolAfter(NetworkDescription network, int i)
    {
        IReadOnlyList<LayerInfo> layers = network.LayerInfos;
        for (int j = i + 1; j < layers.Count; j++)
        {
            if (network.IsReadLater(j - 1))
            {
                return 0;
            }
            switch (layers[j].Spec)
            {
                case MaxPool2DLayer:
                    return j;
                case FlattenLayer or DropoutLayer:
                    continue;
                default:
                    return 0;
            }
        }
        return 0;
    }

    /// <summary>Offsets of the kept tensors after <paramref name="start"/>: first fit against the slots of tensors alive at the same time; returns the region's bytes.</summary>
    private static int KeptSlots(List<PlannedTensor> tensors, int start)
    {
        var placed = new List<PlannedTensor>();
        long end = 0;
        foreach (PlannedTensor t in tensors)
        {
            if (!t.Kept)
            {
                continue;
            }
            var busy = placed.Where(o => o.Producer <= t.LastRead && t.Producer <= o.LastRead).OrderBy(o => o.Offset).ToList();
            long offset = start;
            foreach (PlannedTensor o in busy)
            {
                if (offset + t.Shape.Size <= o.Offset)
                {
                    break;
                }
                offset = Math.Max(offset, o.Offset + o.Shape.Size);
            }
            t.Offset = checked((int)offset);
            placed.Add(t);
            end = Math.Max(end, offset + t.Shape.Size - start);
        }
        return checked((int)end);
    }

    /// <summary>A step's output (or the input) while planning.</summary>
    private sealed class PlannedTensor(TensorShape shape, int zeroPoint, int producer)
    {
        public TensorShape Shape { get; } = shape;

        public int ZeroPoint { get; } = zeroPoint;

        /// <summary>The step that writes it; -1: the input.</summary>
        public int Producer { get; } = producer;

        public bool Kept { get; set; }

        public int LastRead { get; set; } = producer;

        public int Offset { get; set; }
    }
}

/// <summary>Working memory of the fast kernels, the most any step needs (ecl_i8_workspace).</summary>
/// <param name="BandBytes">Winograd: int8, the padded input rows of one tile row.</param>
/// <param name="TransformedInput">Winograd: int16 values, the transformed input of one tile group.</param>
/// <param name="Products">Winograd: int32 values, the products of one tile group and channel block.</param>
public sealed record CWorkspace(int BandBytes, int TransformedInput, int Products)
{
    /// <summary>No working memory.</summary>
    public static CWorkspace None { get; } = new(0, 0, 0);

    /// <summary>Bytes of all three arrays.</summary>
    public long Bytes => BandBytes + (2L * TransformedInput) + (4L * Products);

    /// <summary>What <paramref name="step"/>'s kernel needs.</summary>
    public static CWorkspace Of(CStep step)
    {
        System.ArgumentNullException.ThrowIfNull(step);
        int tile = step.Kernel.WinogradTile();
        if (tile == 0)
        {
            return None;
        }
        int positions = (tile + 2) * (tile + 2);
        return new CWorkspace((tile + 2) * ((tile * step.TilesX) + 2) * step.In.Channels, positions * step.In.Channels * CKernels.WinogradTiles,
            positions * CKernels.WinogradTiles * CKernels.WinogradChannels);
    }

    /// <summary>The larger of each size.</summary>
    public CWorkspace Union(CWorkspace other) => new(System.Math.Max(BandBytes, other.BandBytes),
        System.Math.Max(TransformedInput, other.TransformedInput), System.Math.Max(Products, other.Products));
}
