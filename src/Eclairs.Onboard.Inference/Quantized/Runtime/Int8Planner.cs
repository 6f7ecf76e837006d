using System;
using System.Collections.Generic;
using System.Globalization;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// The int8 plan (TFLM's Prepare): per layer, the selector's algorithm and lanes, the parameters in the layout that
/// algorithm reads (added to the arena), the context's arena offsets (every step's output), widened input regions
/// and Winograd workspaces.
/// </summary>
internal static class Int8Planner
{
    public static Int8Step[] Build(NetworkDescription network, Int8Parameters parameters, KernelTarget target, ArenaBuilder arena,
        out int arenaBytes, out int regionShorts)
    {
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
        // Every step writes its own arena slot, so an output a later Add or Branch reads is still there: a branch is
        // only a different source offset (no copy, unlike the float plan's ping-pong regions and Keep steps).
        var outputs = new (int Offset, int ZeroPoint)[network.LayerCount];
        var steps = new List<Int8Step>();
        int bytes = 0, regions = 0, current = 0, zeroPoint = parameters.InputZeroPoint;
        IReadOnlyList<LayerInfo> layers = network.LayerInfos;
        foreach (LayerInfo info in layers)
        {
            TensorShape i = info.InputShape, o = info.OutputShape;
            int destination = bytes;
            var step = new Int8Step
            {
                Kind = Int8StepKind.Input, Algorithm = KernelAlgorithm.Input, Lanes = target.Lanes, LayerIndex = info.Index, In = i, Out = o,
                InputZeroPoint = zeroPoint, OutputZeroPoint = zeroPoint, ActivationMin = sbyte.MinValue, ActivationMax = sbyte.MaxValue,
                Source = current, Destination = destination, PoolDestination = -1, Region = -1, Workspace = -1,
                Weights = -1, Packed = -1, Transformed = -1, DotPacked = -1, DotBias = -1, Bias = -1, Multiplier = -1, Shift = -1, LeftMultiplier = -1, RightShift = -1,
                Stride = 1, Residual = -1,
            };
            switch (info.Spec)
            {
                case InputLayer:
                    steps.Add(step);
                    break;
                case Conv2DLayer conv:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    int pad = conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0;
                    bool poolFollows = info.Index + 1 < layers.Count && layers[info.Index + 1].Spec is MaxPool2DLayer && !network.IsReadLater(info.Index);
                    ConvolutionChoice choice = KernelSelector.Convolution(target, i, o, conv.KernelSize, pad, poolFollows, p);
                    if (choice.Algorithm != KernelAlgorithm.ReferenceConv2D)
                    {
                        step.Region = regions;
                        regions += Align((i.Height + (2 * pad)) * (i.Width + (2 * pad)) * 2 * Int8Packing.Pairs(i.Channels));
                    }
                    int workspace = KernelSelector.WorkspaceElements(target, choice.Algorithm, i.Channels, o.Channels);
                    if (workspace > 0)
                    {
                        step.Workspace = regions;
                        regions += Align(2 * workspace);
                    }
                    steps.Add(Parameterized(arena, step with { Kind = Int8StepKind.Conv2D, KernelSize = conv.KernelSize, Pad = pad },
                        choice.Algorithm, p, conv.Activation));
                    zeroPoint = p.OutputZeroPoint;
                    // The pool step that follows learns from PoolDestination that it is computed here.
                    if (choice.FusesPool)
                    {
                        Int8Step fused = steps[^1];
                        fused.PoolDestination = -2;
                        steps[^1] = fused;
                    }
                    break;
                }
                case DenseLayer dense:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    KernelAlgorithm algorithm = KernelSelector.Dense(target);
                    if (algorithm == KernelAlgorithm.Dense)
                    {
                        step.Region = regions;
                        regions += Align(2 * Int8Packing.Pairs(i.Channels));
                    }
                    int workspace = KernelSelector.WorkspaceElements(target, algorithm, i.Channels, o.Channels);
                    if (workspace > 0)
                    {
                        step.Workspace = regions;
                        regions += Align(2 * workspace);
                    }
                    steps.Add(Parameterized(arena, step with { Kind = Int8StepKind.Dense, KernelSize = 1 }, algorithm, p, dense.Activation));
                    zeroPoint = p.OutputZeroPoint;
                    break;
                }
                case MaxPool2DLayer:
                {
                    bool fused = steps[^1] is { Kind: Int8StepKind.Conv2D, PoolDestination: -2 };
                    if (fused)
                    {
                        Int8Step conv = steps[^1];
                        conv.PoolDestination = destination;
                        conv.PooledOut = o;
                        steps[^1] = conv;
                    }
                    steps.Add(step with { Kind = Int8StepKind.MaxPool2D, Algorithm = KernelSelector.MaxPool(target, fused) });
                    break;
                }
                case GlobalAveragePoolLayer:
                    if ((long)i.Height * i.Width > 1 << 23)
                    {
                        throw new ModelFormatException(ModelFormatError.ShapeMismatch,
                            string.Create(CultureInfo.InvariantCulture, $"layer {info.Index}: int8 average over {i.Height}x{i.Width} pixels could overflow int32"));
                    }
                    steps.Add(step with { Kind = Int8StepKind.GlobalAveragePool, Algorithm = KernelSelector.GlobalAveragePool(target) });
                    break;
                case GeneralConv2DLayer general:
                {
                    Int8LayerParameters p = byLayer[info.Index];
                    KernelAlgorithm algorithm = KernelSelector.GeneralConvolution(target, general.KernelSize, general.Stride);
                    if (algorithm != KernelAlgorithm.ReferenceGeneralConv2D)
                    {
                        step.Region = regions;
                        regions += Align((i.Height + (2 * general.Pad)) * (i.Width + (2 * general.Pad)) * 2 * Int8Packing.Pairs(i.Channels));
                    }
                    steps.Add(Parameterized(arena, step with { Kind = Int8StepKind.GeneralConv2D, KernelSize = general.KernelSize, Pad = general.Pad, Stride = general.Stride },
                        algorithm, p, general.Activation));
                    zeroPoint = p.OutputZeroPoint;
                    break;
                }
                case AveragePool2DLayer:
                    steps.Add(step with { Kind = Int8StepKind.AveragePool2D, Algorithm = KernelSelector.AveragePool(target) });
                    break;
                case AddLayer add:
                {
                    Int8AddParameters a = addByLayer[info.Index];
                    steps.Add(step with
                    {
                        Kind = Int8StepKind.Add, Algorithm = KernelSelector.ResidualAdd(target),
                        Residual = outputs[add.Source].Offset, ResidualZeroPoint = outputs[add.Source].ZeroPoint, OutputZeroPoint = a.OutputZeroPoint,
                        ActivationMin = add.Activation == Activation.Relu ? Math.Max(a.OutputZeroPoint, sbyte.MinValue) : sbyte.MinValue,
                        AddLeftShift = Int8AddParameters.LeftShift,
                        AddInputMultiplier = a.InputMultiplier, AddInputShift = a.InputShift,
                        AddResidualMultiplier = a.SourceMultiplier, AddResidualShift = a.SourceShift,
                        AddOutputMultiplier = a.OutputMultiplier, AddOutputShift = a.OutputShift,
                    });
                    zeroPoint = a.OutputZeroPoint;
                    break;
                }
                case BranchLayer branch:
                    (current, zeroPoint) = outputs[branch.Source];
                    outputs[info.Index] = (current, zeroPoint);
                    continue;
                default:
                    outputs[info.Index] = (current, zeroPoint);
                    continue; // Concatenate, Flatten, Dropout, Sigmoid: no data movement
            }
            current = destination;
            outputs[info.Index] = (current, zeroPoint);
            bytes = Align(bytes + (int)o.Size);
        }
        arenaBytes = bytes;
        regionShorts = regions;
        return [.. steps];
    }

    /// <summary>
    /// A Conv2D or Dense step with its parameters added to the arena in the layout <paramref name="algorithm"/> reads,
    /// plus the per-channel constants every kernel reads (padded to the lanes' channel block).
    /// </summary>
    internal static Int8Step Parameterized(ArenaBuilder arena, Int8Step step, KernelAlgorithm algorithm, Int8LayerParameters p, Activation activation)
    {
        int cout = step.Out.Channels, cin = step.In.Channels, taps = step.KernelSize * step.KernelSize;
        int block = Int8Packing.ChannelBlock(step.Lanes);
        int coutPad = Int8Packing.PadChannels(cout, block);
        var left = new int[coutPad];
        var right = new int[coutPad];
        for (int c = 0; c < cout; c++)
        {
            left[c] = 1 << Math.Max(p.Shift[c], 0);
            right[c] = Math.Max(-p.Shift[c], 0);
        }
        step.Algorithm = algorithm;
        step.OutputZeroPoint = p.OutputZeroPoint;
        step.ActivationMin = activation == Activation.Relu ? Math.Max(p.OutputZeroPoint, sbyte.MinValue) : sbyte.MinValue;
        step.ActivationMax = sbyte.MaxValue;
        step.Pairs = Int8Packing.Pairs(cin);
        step.CoutPad = coutPad;
        step.HasLeftShift = p.Shift.AsSpan().ContainsAnyExceptInRange(int.MinValue, 0) ? 1 : 0;
        step.Bias = arena.Add<int>(Int8Packing.Pad(p.Bias, coutPad));
        step.Multiplier = arena.Add<int>(Int8Packing.Pad(p.Multiplier, coutPad));
        step.Shift = arena.Add<int>(p.Shift);
        step.LeftMultiplier = arena.Add<int>(left);
        step.RightShift = arena.Add<int>(right);
        switch (algorithm)
        {
            case KernelAlgorithm.ReferenceConv2D or KernelAlgorithm.ReferenceDense or KernelAlgorithm.ReferenceGeneralConv2D:
                step.Weights = arena.Add<sbyte>(p.Weights);
                break;
            case KernelAlgorithm.DirectConv2D or KernelAlgorithm.StridedConv2D:
                step.Packed = arena.Add<sbyte>(Int8Packing.PackPairs(p.Weights, taps, cin, cout, coutPad));
                break;
            case KernelAlgorithm.Dense:
                step.Packed = arena.Add<sbyte>(Int8Packing.PackDenseBlocks(p.Weights, cin, cout, coutPad, block));
                break;
            case KernelAlgorithm.WinogradF2 or KernelAlgorithm.PairWinogradF2:
                step.Transformed = arena.Add<short>(Int8Winograd.TransformWeights(p.Weights, cin, cout, coutPad));
                break;
            case KernelAlgorithm.WinogradF4:
                step.Transformed = arena.Add<short>(Int8Winograd4.TransformWeights(p.Weights, cin, cout, coutPad));
                break;
            case KernelAlgorithm.DotProductDense or KernelAlgorithm.DotProductDenseModel:
                step.DotPacked = arena.Add<sbyte>(Int8DotDense.Pack(p.Weights, cin, cout));
                step.DotBias = arena.Add<int>(Int8DotDense.Corrections(p.Bias, p.Weights, cin, cout, step.InputZeroPoint, coutPad));
                break;
            default:
                throw new InvalidOperationException($"{algorithm} is not a Conv2D or Dense algorithm");
        }
        return step;
    }

    private static int Align(int bytes) => (bytes + 63) & ~63;
}
