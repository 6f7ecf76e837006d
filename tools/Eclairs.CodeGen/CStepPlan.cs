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

/// <summary>Which kernels the generated C may use (<c>eclairs codegen --kernels</c>).</summary>
public enum CKernelSet
{
    /// <summary>The plain direct kernels only: the smallest code and parameters (the file's weights as they are).</summary>
    Small,
    /// <summary>Winograd F(2x2) for 3x3 convolutions and the paired dense where they apply: fewer instructions, more parameter memory.</summary>
    Fast,
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
public sealed record CStep(COperation Operation, int LayerIndex, string Description, TensorShape In, TensorShape Out,
    int KernelSize, int Pad, Int8LayerParameters? Parameters, int InputZeroPoint, int ActivationMin, int Source, int Destination)
{
    /// <summary>The C kernel the step calls (<see cref="CKernelChoice"/>).</summary>
    public CKernel Kernel { get; init; } = CKernelNames.Direct(Operation);

    /// <summary>The pooling a Winograd step does (ECL_I8_POOL_*).</summary>
    public CPool Pool { get; init; } = CPool.None;

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
    private CStepPlan(IReadOnlyList<CStep> steps, int inputBytes, int scratchBytes, CKernelSet kernels, CWorkspace workspace)
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

    /// <summary>The kernel set the plan was made for.</summary>
    public CKernelSet Kernels { get; }

    /// <summary>Working memory of the fast kernels (all zero with the small set).</summary>
    public CWorkspace Workspace { get; }

    /// <summary>Offset of the raw logit in the scratch buffer.</summary>
    public int OutputOffset => Steps[^1].Destination;

    /// <summary>Plans a loaded int8 model's network with its parameters, with the small kernels.</summary>
    public static CStepPlan Create(NetworkDescription network, Int8Parameters parameters) => Create(network, parameters, CKernelSet.Small);

    /// <summary>Plans a loaded int8 model's network with its parameters and the kernels of <paramref name="kernels"/>.</summary>
    public static CStepPlan Create(NetworkDescription network, Int8Parameters parameters, CKernelSet kernels)
    {
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
                    break; // Input, Flatten, Dropout, Sigmoid: no data movement
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
                    bool fuse = i + 1 < moving.Count && moving[i + 1].Spec is MaxPool2DLayer;
                    step = fuse
                        ? new CStep(COperation.Conv2DMaxPool, info.Index, $"{what}, MaxPool2D 2x2 (layer {moving[i + 1].Index}) fused",
                            info.InputShape, moving[i + 1].OutputShape, conv.KernelSize, pad, p, zeroPoint, floor, 0, 0)
                        : new CStep(COperation.Conv2D, info.Index, what, info.InputShape, info.OutputShape, conv.KernelSize, pad, p, zeroPoint, floor, 0, 0);
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
                        1, 0, p, zeroPoint, floor, 0, 0);
                    zeroPoint = p.OutputZeroPoint;
                    break;
                }
                case MaxPool2DLayer:
                    step = new CStep(COperation.MaxPool, info.Index, "MaxPool2D 2x2", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, sbyte.MinValue, 0, 0);
                    break;
                default:
                    step = new CStep(COperation.GlobalAveragePool, info.Index, "GlobalAveragePool", info.InputShape, info.OutputShape, 0, 0, null, zeroPoint, sbyte.MinValue, 0, 0);
                    break;
            }
            shapes.Add(CKernelChoice.Choose(step, kernels));
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
        return new CWorkspace((tile + 2) * ((tile * step.TilesX) + 2) * step.In.Channels, positions * step.In.Channels * CKernelChoice.WinogradTiles,
            positions * CKernelChoice.WinogradTiles * CKernelChoice.WinogradChannels);
    }

    /// <summary>The larger of each size.</summary>
    public CWorkspace Union(CWorkspace other) => new(System.Math.Max(BandBytes, other.BandBytes),
        System.Math.Max(TransformedInput, other.TransformedInput), System.Math.Max(Products, other.Products));
}
