using System;
using System.Numerics;
using System.Numerics.Tensors;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Layers;

/// <summary>
/// y = x W + b with W stored [in][out]. Each input contributes one row of W scaled by its value, so inputs that are
/// exactly zero (frequent after ReLU and dropout) are skipped in the forward pass and in the weight gradient.
/// In training the trainer defers the weight gradient: each sample leaves its input and output gradient, and the
/// batch's dW = X^T dY is formed once per batch, so the large weight-gradient matrix is not swept once per sample.
/// </summary>
internal sealed class DenseLayer : TrainingLayer
{
    private readonly DenseSpec _spec;
    private readonly int _in, _out;

    public DenseLayer(DenseSpec spec, TensorShape input)
        : base(input, OutputShapeOf(spec, input))
    {
        _spec = spec;
        _in = input.Channels;
        _out = spec.Units;
    }

    public override LayerSpec Spec => _spec;

    public override int WeightCount => _in * _out;

    public override int ParameterCount => _in * _out + _out;

    private static TensorShape OutputShapeOf(DenseSpec spec, TensorShape input)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (input.Height != 1 || input.Width != 1)
        {
            throw new ArgumentException($"Dense needs a vector input; got {input}: add Flatten or GlobalAveragePool first.", nameof(input));
        }

        if (spec.Units < 1)
        {
            throw new ArgumentException($"Dense needs at least one unit; got {spec.Units}.", nameof(spec));
        }

        return TensorShape.Vector(spec.Units);
    }

    internal override bool CanDeferWeightGradient => true;

    internal override void Initialize(Span<float> parameters, ref Xoshiro256StarStar rng)
    {
        Initializers.Fill(parameters[..WeightCount], _in, _out, _spec.Activation, ref rng);
        parameters[WeightCount..].Clear();
    }

    internal override void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> weights = context.Parameters[..WeightCount];
        context.Parameters[WeightCount..].CopyTo(output);
        for (int i = 0; i < _in; i++)
        {
            float x = input[i];
            if (x != 0f)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(i * _out, _out), x, output, output);
            }
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

        Span<float> biasGradient = context.Gradients[WeightCount..];
        TensorPrimitives.Add(biasGradient, outputGradient, biasGradient);
        if (!context.DeferredInput.IsEmpty)
        {
            input.CopyTo(context.DeferredInput);
            outputGradient.CopyTo(context.DeferredOutputGradient);
        }
        else
        {
            Span<float> weightGradient = context.Gradients[..WeightCount];
            for (int i = 0; i < _in; i++)
            {
                float x = input[i];
                if (x != 0f)
                {
                    Span<float> row = weightGradient.Slice(i * _out, _out);
                    TensorPrimitives.MultiplyAdd(outputGradient, x, row, row);
                }
            }
        }

        if (computeInputGradient)
        {
            RowDots(context.Parameters[..WeightCount], outputGradient, inputGradient[.._in]);
        }
    }

    /// <summary>
    /// Weight gradient of a batch from its deferred pairs, for weight rows [firstRow, firstRow + rowCount):
    /// dW[i][o] += sum over samples s (in order) of x_s[i] * dy_s[o]. <paramref name="panel"/> holds 4 * samples floats.
    /// </summary>
    internal unsafe void AccumulateDeferred(
        ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int samples, int firstRow, int rowCount, Span<float> weightGradient, Span<float> panel)
    {
        if (inputs.Length < samples * _in || outputGradients.Length < samples * _out || weightGradient.Length != rowCount * _out || panel.Length < 4 * samples)
        {
            throw new ArgumentException("Deferred gradient buffers do not match the layer and batch.");
        }

        fixed (float* px = inputs)
        fixed (float* pd = outputGradients)
        fixed (float* pg = weightGradient)
        fixed (float* pp = panel)
        {
            Kernels.Gemm.MultiplyAddTransposedA(px + firstRow, _in, pd, _out, pg, _out, rowCount, _out, samples, pp);
        }
    }

    /// <summary>result[i] = W_i . v for every row of W (in x out): four rows per pass, one load of v for four rows.</summary>
    private unsafe void RowDots(ReadOnlySpan<float> weights, ReadOnlySpan<float> v, Span<float> result)
    {
        int w = Vector<float>.Count, cols = _out;
        fixed (float* pw = weights)
        fixed (float* pv = v)
        {
            int i = 0;
            for (; i + 4 <= _in; i += 4)
            {
                float* r0 = pw + (long)i * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
                int j = 0;
                for (; j + w <= cols; j += w)
                {
                    Vector<float> x = Vector.Load(pv + j);
                    s0 = Vector.FusedMultiplyAdd(Vector.Load(r0 + j), x, s0);
                    s1 = Vector.FusedMultiplyAdd(Vector.Load(r1 + j), x, s1);
                    s2 = Vector.FusedMultiplyAdd(Vector.Load(r2 + j), x, s2);
                    s3 = Vector.FusedMultiplyAdd(Vector.Load(r3 + j), x, s3);
                }

                float t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
                for (; j < cols; j++)
                {
                    t0 += r0[j] * pv[j];
                    t1 += r1[j] * pv[j];
                    t2 += r2[j] * pv[j];
                    t3 += r3[j] * pv[j];
                }

                result[i] = t0;
                result[i + 1] = t1;
                result[i + 2] = t2;
                result[i + 3] = t3;
            }

            for (; i < _in; i++)
            {
                result[i] = TensorPrimitives.Dot(weights.Slice(i * cols, cols), v);
            }
        }
    }
}
