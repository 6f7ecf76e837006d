using System;
using System.Numerics.Tensors;
using Eclairs.Training.Kernels;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Layers;

/// <summary>
/// Convolution, stride 1, by im2col and GEMM. The im2col row of output pixel (y, x) holds the receptive field
/// in [ky][kx][cin] order, which is exactly the row order of the HWIO weights seen as a (kh*kw*cin) x cout matrix:
/// forward is out = col * W, backward is dW += col^T * dOut and dCol = dOut * W^T followed by col2im.
/// </summary>
internal sealed unsafe class Conv2DLayer : TrainingLayer
{
    private readonly Conv2DSpec _spec;
    private readonly int _kernel, _pad, _inH, _inW, _cin, _outH, _outW, _cout;
    private readonly int _rows;  // output pixels (M)
    private readonly int _depth; // kh*kw*cin (K)

    public Conv2DLayer(Conv2DSpec spec, TensorShape input)
        : base(input, OutputShapeOf(spec, input))
    {
        _spec = spec;
        _kernel = spec.Kernel;
        _pad = spec.Padding == Padding.Same ? (spec.Kernel - 1) / 2 : 0;
        (_inH, _inW, _cin) = (input.Height, input.Width, input.Channels);
        (_outH, _outW, _cout) = (OutputShape.Height, OutputShape.Width, OutputShape.Channels);
        _rows = _outH * _outW;
        _depth = _kernel * _kernel * _cin;
    }

    public override LayerSpec Spec => _spec;

    public override int WeightCount => _depth * _cout;

    public override int ParameterCount => _depth * _cout + _cout;

    // im2col columns (reused as dCol), transposed weights, and a 4-column panel of the columns for dW.
    internal override int ScratchSize => _rows * _depth + _cout * _depth + 4 * _rows;

    private static TensorShape OutputShapeOf(Conv2DSpec spec, TensorShape input)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kernel < 1 || spec.Kernel % 2 == 0)
        {
            throw new ArgumentException($"Conv2D kernel must be odd and positive (3 or 5 in the engine); got {spec.Kernel}.", nameof(spec));
        }

        if (spec.Filters < 1)
        {
            throw new ArgumentException($"Conv2D needs at least one filter; got {spec.Filters}.", nameof(spec));
        }

        int shrink = spec.Padding == Padding.Same ? 0 : spec.Kernel - 1;
        if (input.Height - shrink < 1 || input.Width - shrink < 1)
        {
            throw new ArgumentException($"Conv2D {spec.Kernel}x{spec.Kernel} valid on {input} leaves no output.", nameof(spec));
        }

        return new TensorShape(input.Height - shrink, input.Width - shrink, spec.Filters);
    }

    internal override void Initialize(Span<float> parameters, ref Xoshiro256StarStar rng)
    {
        Initializers.Fill(parameters[..WeightCount], _depth, _kernel * _kernel * _cout, _spec.Activation, ref rng);
        parameters[WeightCount..].Clear();
    }

    internal override void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output)
    {
        Span<float> col = context.Scratch[..(_rows * _depth)];
        Im2Col(input, col);
        ReadOnlySpan<float> weights = context.Parameters[..WeightCount];
        ReadOnlySpan<float> bias = context.Parameters[WeightCount..];
        for (int m = 0; m < _rows; m++)
        {
            bias.CopyTo(output.Slice(m * _cout, _cout));
        }

        fixed (float* pc = col)
        fixed (float* pw = weights)
        fixed (float* po = output)
        {
            Gemm.MultiplyAdd(pc, _depth, 1, pw, _cout, po, _cout, _rows, _cout, _depth);
        }

        if (_spec.Activation == Activation.Relu)
        {
            TensorPrimitives.Max(output, 0f, output);
        }
    }

    internal override void Backward(
        scoped in LayerContext context,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        Span<float> outputGradient,
        Span<float> inputGradient,
        bool computeInputGradient)
    {
        if (_spec.Activation == Activation.Relu)
        {
            Relu.MaskGradient(output, outputGradient);
        }

        Span<float> col = context.Scratch[..(_rows * _depth)];
        Span<float> weightGradient = context.Gradients[..WeightCount];
        Span<float> biasGradient = context.Gradients[WeightCount..];
        ColumnSums.AddTo(outputGradient, _rows, _cout, biasGradient);

        Span<float> panel = context.Scratch.Slice(_rows * _depth + _cout * _depth, 4 * _rows);
        fixed (float* pc = col)
        fixed (float* pd = outputGradient)
        fixed (float* pg = weightGradient)
        fixed (float* pp = panel)
        {
            // dW (K x N) += col^T (K x M) * dOut (M x N).
            Gemm.MultiplyAddTransposedA(pc, _depth, pd, _cout, pg, _cout, _depth, _cout, _rows, pp);
        }

        if (!computeInputGradient)
        {
            return;
        }

        Span<float> transposed = context.Scratch.Slice(_rows * _depth, _cout * _depth);
        ReadOnlySpan<float> weights = context.Parameters[..WeightCount];
        for (int k = 0; k < _depth; k++)
        {
            for (int n = 0; n < _cout; n++)
            {
                transposed[n * _depth + k] = weights[k * _cout + n];
            }
        }

        col.Clear(); // reused as dCol: the forward columns are no longer needed
        fixed (float* pd = outputGradient)
        fixed (float* pt = transposed)
        fixed (float* pc = col)
        {
            Gemm.MultiplyAdd(pd, _cout, 1, pt, _depth, pc, _depth, _rows, _depth, _cout);
        }

        Col2ImAdd(col, inputGradient);
    }

    private void Im2Col(ReadOnlySpan<float> input, Span<float> col)
    {
        int rowSpan = _kernel * _cin;
        for (int oy = 0; oy < _outH; oy++)
        {
            for (int ox = 0; ox < _outW; ox++)
            {
                Span<float> row = col.Slice((oy * _outW + ox) * _depth, _depth);
                for (int ky = 0; ky < _kernel; ky++)
                {
                    int iy = oy + ky - _pad;
                    Span<float> segment = row.Slice(ky * rowSpan, rowSpan);
                    if ((uint)iy >= (uint)_inH)
                    {
                        segment.Clear();
                        continue;
                    }

                    int ix0 = ox - _pad;
                    int first = Math.Max(0, -ix0);
                    int last = Math.Min(_kernel, _inW - ix0); // exclusive
                    segment[..(first * _cin)].Clear();
                    segment[(last * _cin)..].Clear();
                    input.Slice((iy * _inW + ix0 + first) * _cin, (last - first) * _cin).CopyTo(segment[(first * _cin)..]);
                }
            }
        }
    }

    private void Col2ImAdd(ReadOnlySpan<float> col, Span<float> inputGradient)
    {
        inputGradient.Clear();
        int rowSpan = _kernel * _cin;
        for (int oy = 0; oy < _outH; oy++)
        {
            for (int ox = 0; ox < _outW; ox++)
            {
                ReadOnlySpan<float> row = col.Slice((oy * _outW + ox) * _depth, _depth);
                for (int ky = 0; ky < _kernel; ky++)
                {
                    int iy = oy + ky - _pad;
                    if ((uint)iy >= (uint)_inH)
                    {
                        continue;
                    }

                    int ix0 = ox - _pad;
                    int first = Math.Max(0, -ix0);
                    int last = Math.Min(_kernel, _inW - ix0);
                    Span<float> target = inputGradient.Slice((iy * _inW + ix0 + first) * _cin, (last - first) * _cin);
                    TensorPrimitives.Add(target, row.Slice(ky * rowSpan + first * _cin, (last - first) * _cin), target);
                }
            }
        }
    }
}
