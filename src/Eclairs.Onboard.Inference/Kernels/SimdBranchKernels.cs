namespace Eclairs.Onboard.Inference;

/// <summary>
/// Vectorised residual-network kernels: the residual Add and 2x2 average pooling over contiguous channels (scalar
/// tail, the same operation order as <see cref="GeneralReferenceKernels"/>, so their results are identical), and the
/// 1x1 convolution of any stride as one dense product per output pixel (HWIO with k = 1 is the dense [in][out] layout).
/// </summary>
internal static unsafe class SimdBranchKernels<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    public static void Add(float* x, float* y, bool relu, float* output, int length)
    {
        int v = TOps.Count;
        int i = 0;
        for (; i + v <= length; i += v)
        {
            TVec s = TOps.Add(TOps.Load(x + i), TOps.Load(y + i));
            TOps.Store(output + i, relu ? TOps.Max(s, TOps.Zero) : s);
        }
        for (; i < length; i++)
        {
            float s = x[i] + y[i];
            output[i] = relu ? System.MathF.Max(s, 0f) : s;
        }
    }

    public static void AveragePool2D(float* input, TensorShape inShape, float* output, TensorShape outShape)
    {
        int v = TOps.Count;
        int c = inShape.Channels;
        long rowStride = (long)inShape.Width * c;
        TVec four = TOps.Broadcast(4f);
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                float* a = input + (2 * oy * rowStride) + (2 * ox * c);
                float* b = a + rowStride;
                float* o = output + ((((long)oy * outShape.Width) + ox) * c);
                int ch = 0;
                for (; ch + v <= c; ch += v)
                {
                    TVec top = TOps.Add(TOps.Load(a + ch), TOps.Load(a + c + ch));
                    TVec bottom = TOps.Add(TOps.Load(b + ch), TOps.Load(b + c + ch));
                    // Division by 4 rounds exactly as the reference's * 0.25 (a power of two), so both paths agree bit for bit.
                    TOps.Store(o + ch, TOps.Divide(TOps.Add(top, bottom), four));
                }
                for (; ch < c; ch++)
                {
                    o[ch] = (a[ch] + a[c + ch] + (b[ch] + b[c + ch])) * 0.25f;
                }
            }
        }
    }

    /// <summary>
    /// Any kernel side and stride, vectorised over output channels: per output pixel and block of channels the
    /// accumulators stay in registers while the valid taps and input channels stream by (border taps skipped, so no
    /// padded copy is needed). Scalar channel tail.
    /// </summary>
    public static void Strided(float* input, TensorShape inShape, float* weights, float* bias, int kernel, int stride, int pad, bool relu,
        float* output, TensorShape outShape)
    {
        int v = TOps.Count;
        int cin = inShape.Channels, cout = outShape.Channels;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            int y0 = (oy * stride) - pad;
            int khFirst = System.Math.Max(0, -y0), khEnd = System.Math.Min(kernel, inShape.Height - y0);
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                int x0 = (ox * stride) - pad;
                int kwFirst = System.Math.Max(0, -x0), kwEnd = System.Math.Min(kernel, inShape.Width - x0);
                float* o = output + ((((long)oy * outShape.Width) + ox) * cout);
                int co = 0;
                for (; co + (2 * v) <= cout; co += 2 * v)
                {
                    TVec a0 = TOps.Load(bias + co), a1 = TOps.Load(bias + co + v);
                    for (int kh = khFirst; kh < khEnd; kh++)
                    {
                        for (int kw = kwFirst; kw < kwEnd; kw++)
                        {
                            float* x = input + ((((long)(y0 + kh) * inShape.Width) + x0 + kw) * cin);
                            float* w = weights + ((((long)kh * kernel) + kw) * cin * cout) + co;
                            for (int ci = 0; ci < cin; ci++)
                            {
                                TVec xi = TOps.Broadcast(x[ci]);
                                a0 = TOps.MultiplyAdd(xi, TOps.Load(w), a0);
                                a1 = TOps.MultiplyAdd(xi, TOps.Load(w + v), a1);
                                w += cout;
                            }
                        }
                    }
                    TOps.Store(o + co, relu ? TOps.Max(a0, TOps.Zero) : a0);
                    TOps.Store(o + co + v, relu ? TOps.Max(a1, TOps.Zero) : a1);
                }
                for (; co + v <= cout; co += v)
                {
                    TVec a = TOps.Load(bias + co);
                    for (int kh = khFirst; kh < khEnd; kh++)
                    {
                        for (int kw = kwFirst; kw < kwEnd; kw++)
                        {
                            float* x = input + ((((long)(y0 + kh) * inShape.Width) + x0 + kw) * cin);
                            float* w = weights + ((((long)kh * kernel) + kw) * cin * cout) + co;
                            for (int ci = 0; ci < cin; ci++)
                            {
                                a = TOps.MultiplyAdd(TOps.Broadcast(x[ci]), TOps.Load(w), a);
                                w += cout;
                            }
                        }
                    }
                    TOps.Store(o + co, relu ? TOps.Max(a, TOps.Zero) : a);
                }
                for (; co < cout; co++)
                {
                    float a = bias[co];
                    for (int kh = khFirst; kh < khEnd; kh++)
                    {
                        for (int kw = kwFirst; kw < kwEnd; kw++)
                        {
                            float* x = input + ((((long)(y0 + kh) * inShape.Width) + x0 + kw) * cin);
                            float* w = weights + ((((long)kh * kernel) + kw) * cin * cout) + co;
                            for (int ci = 0; ci < cin; ci++)
                            {
                                a += x[ci] * *w;
                                w += cout;
                            }
                        }
                    }
                    o[co] = relu ? System.MathF.Max(a, 0f) : a;
                }
            }
        }
    }

    public static void Pointwise(float* input, TensorShape inShape, float* weights, float* bias, int stride, bool relu, float* output, TensorShape outShape)
    {
        int cin = inShape.Channels, cout = outShape.Channels;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                float* x = input + ((((long)oy * stride * inShape.Width) + ((long)ox * stride)) * cin);
                SimdDense<TOps, TVec>.Run(x, cin, weights, bias, relu, output + ((((long)oy * outShape.Width) + ox) * cout), cout);
            }
        }
    }
}
