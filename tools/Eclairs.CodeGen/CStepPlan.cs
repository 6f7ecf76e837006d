using System;
using System.Collections.Generic;
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
/// convolution output: the compact network's scratch falls from 56,448 to 18,816 bytes. The fast kernels' working
/// memory (<see cref="Workspace"/>) is apart from the scratch buffer.
/// </summary>
public sealed class CStepPlan
{
    private CStepPlan(IReadOnlyList<CStep> steps, int inputBytes, int scratchBytes, CTarget kernels, CWorkspace workspace)
    {
        Steps = steps;
        InputBytes = inputBytes;
        ScratchBytes = scratchBytes;
        Kernels = kernels;
        Workspace = workspace;
    }

    /// <summary>Steps in order.</summary>
    public IReadOnlyList<CStep> Steps { get; }

    /// <summary>Bytes of the quantized input (height x width x 2), at offset 0 of the scratch buffer.</summary>
    public int InputBytes { get; }

    /// <summary>Bytes of the one scratch buffer.</summary>
    public int ScratchBytes { get; }

    /// <summary>The variant of the C the plan was made for.</summary>
    public CTarget Kernels { get; }

    /// <summary>Working memory of the fast kernels (all zero with the small set).</summary>
    public CWorkspace Workspace { get; }

    /// <summary>Offset of the raw logit in the scratch buffer.</summary>
    public int OutputOffset => Steps[^1].Destination;

    /// <summary>
    /// Plans a loaded int8 model's network with its parameters. Each step's algorithm and the pool fusion come from
    /// <see cref="KernelSelector"/> for the C target (<see cref="KernelTarget.ForC"/>), the one place kernels are chosen.
    /// </summary>
    public static CStepPlan Create(NetworkDescription network, Int8Parameters parameters, CTarget kernels = CTarget.Small)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        CLayerSupport.Check(network.LayerInfos);
        KernelTarget target = KernelTarget.ForC(kernels);
        var byLayer = new Dictionary<int, Int8LayerParameters>();
        foreach (Int8LayerParameters p in parameters.Layers)
        {
            byLayer[p.LayerIndex] = p;
        }
        var moving = new List<LayerInfo>();
        TensorShape input = default;
        foreach (LayerInfo info in network.LayerInfos)
        {
            switch (info.Spec)
            {
                case ConcatenateLayer:
                    input = info.OutputShape;
                    break;
                case Conv2DLayer or MaxPool2DLayer or GlobalAveragePoolLayer or DenseLayer:
                    moving.Add(info);
                    break;
                default:
                    break; // Input, Flatten, Dropout, Sigmoid: no data movement (CLayerSupport refused any other)
            }
        }

        var shapes = new List<CStep>();
        int zeroPoint = parameters.InputZeroPoint;
        for (int i = 0; i < moving.Count; i++)
        {
            LayerInfo info = moving[i];
            CStep step;
            switch (info.Spec)
            {
                case Conv2DLayer conv:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int pad = conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0;
                    int floor = conv.Activation == Activation.Relu ? p.OutputZeroPoint : sbyte.MinValue;
                    string what = $"Conv2D {conv.Filters} {conv.KernelSize}x{conv.KernelSize} {conv.Padding} {conv.Activation}";
                    ConvolutionChoice choice = KernelSelector.Convolution(target, info.InputShape, info.OutputShape, conv.KernelSize, pad,
                        poolFollows: i + 1 < moving.Count && moving[i + 1].Spec is MaxPool2DLayer, p);
                    bool fuse = choice.FusesPool;
                    CPool pool = !fuse || choice.WinogradTile == 0 ? CPool.None : choice.MaxOfAccumulators ? CPool.MaxOfSums : CPool.MaxOfOutputs;
                    step = fuse
                        ? new CStep(COperation.Conv2DMaxPool, info.Index, $"{what}, MaxPool2D 2x2 (layer {moving[i + 1].Index}) fused",
                            info.InputShape, moving[i + 1].OutputShape, conv.KernelSize, pad, p, zeroPoint, floor, 0, 0, choice.Algorithm, pool)
                        : new CStep(COperation.Conv2D, info.Index, what, info.InputShape, info.OutputShape, conv.KernelSize, pad, p, zeroPoint, floor, 0, 0, choice.Algorithm);
                    if (fuse)
                    {
                        i++;
                    }
                    zeroPoint = p.OutputZeroPoint;
                    break;
                }
                case DenseLayer dense:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int floor = dense.Activation == Activation.Relu ? p.OutputZeroPoint : sbyte.MinValue;
                    step = new CStep(COperation.Dense, info.Index, $"Dense {dense.Units} {dense.Activation}", info.InputShape, info.OutputShape,
                        1, 0, p, zeroPoint, floor, 0, 0, KernelSelector.Dense(target, info.InputShape.Size, dense.Units));
                    zeroPoint = p.OutputZeroPoint;
                    break;
                }
                case MaxPool2DLayer:
                    step = new CStep(COperation.MaxPool, info.Index, "MaxPool2D 2x2", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, sbyte.MinValue, 0, 0,
                        KernelSelector.MaxPool(target, fusedIntoPrevious: false));
                    break;
                case GlobalAveragePoolLayer:
                    step = new CStep(COperation.GlobalAveragePool, info.Index, "GlobalAveragePool", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, sbyte.MinValue, 0, 0,
                        KernelSelector.GlobalAveragePool(target));
                    break;
                default:
                    throw new NotSupportedException($"layer {info.Index} ({info.Spec.Kind}) has no step"); // refused above
            }
            shapes.Add(step);
        }

        int inputBytes = checked((int)input.Size);
        long scratch = inputBytes;
        CWorkspace workspace = CWorkspace.None;
        foreach (CStep s in shapes)
        {
            scratch = System.Math.Max(scratch, s.In.Size + s.Out.Size);
            workspace = workspace.Union(CWorkspace.Of(s));
        }
        // Input at the low end; each step writes at the end its input does not occupy.
        var steps = new List<CStep>();
        int source = 0;
        foreach (CStep s in shapes)
        {
            int destination = source == 0 ? checked((int)(scratch - s.Out.Size)) : 0;
            steps.Add(s with { Source = source, Destination = destination });
            source = destination;
        }
        return new CStepPlan(steps, inputBytes, checked((int)scratch), kernels, workspace);
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
