using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// The test-only single-layer entry point: runs imported layers of any shape on the engine's reference kernels
/// (<c>ReferenceKernels</c> and <c>GeneralReferenceKernels</c>, which every SIMD path is tested against), one sample at a time, NHWC in and out.
/// </summary>
internal static class LayerRunner
{
    public static float[] Run(IReadOnlyList<ImportedLayer> layers, float[] input)
    {
        float[] x = input;
        var outputs = new List<float[]> { input }; // by layer index: layer 0 is the input
        for (int i = 1; i < layers.Count; i++)
        {
            ImportedLayer l = layers[i];
            var y = new float[l.Output.Size];
            switch (l.Spec)
            {
                case Conv2DLayer conv:
                    ReferenceKernels.Conv2D(x, l.Input, l.Weights, l.Bias, conv.KernelSize, conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0,
                        conv.Activation == Activation.Relu, y, l.Output);
                    break;
                case MaxPool2DLayer:
                    ReferenceKernels.MaxPool2D(x, l.Input, y, l.Output);
                    break;
                case GlobalAveragePoolLayer:
                    ReferenceKernels.GlobalAveragePool(x, l.Input, y);
                    break;
                case DenseLayer dense:
                    ReferenceKernels.Dense(x, (int)l.Input.Size, l.Weights, l.Bias, dense.Activation == Activation.Relu, y, dense.Units);
                    break;
                case GeneralConv2DLayer conv:
                    GeneralReferenceKernels.Conv2D(x, l.Input, l.Weights, l.Bias, conv.KernelSize, conv.Stride, conv.Pad,
                        conv.Activation == Activation.Relu, y, l.Output);
                    break;
                case AveragePool2DLayer:
                    GeneralReferenceKernels.AveragePool2D(x, l.Input, y, l.Output);
                    break;
                case AddLayer add:
                    GeneralReferenceKernels.Add(x, outputs[add.Source], add.Activation == Activation.Relu, y);
                    break;
                case BranchLayer branch:
                    y = outputs[branch.Source];
                    break;
                case FlattenLayer or DropoutLayer:
                    y = x;
                    break;
                default:
                    throw new InvalidOperationException($"no reference kernel for {l.Spec.Kind}");
            }
            x = y;
            outputs.Add(y);
        }
        return x;
    }
}
