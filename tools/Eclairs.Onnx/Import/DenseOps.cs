using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// Gemm and MatMul on a vector: the engine's Dense. The vector's element p is the engine's element Order[p] (a
/// Flatten of an NCHW image is in (c, h, w) order, the engine's in (h, w, c)), so the kernel's rows are permuted
/// here and the engine's Flatten stays free.
/// </summary>
internal static class DenseOps
{
    public static Sym Gemm(NodeContext c)
    {
        c.AllowAttributes("alpha", "beta", "transA", "transB", "broadcast");
        if (c.Int("transA", 0) != 0)
        {
            throw c.Refuse("transA = 1", "the activation as Gemm's first input, untransposed");
        }
        FeatureSym x = Vector(c);
        OnnxTensor b = c.RequireConst(1, "weights");
        bool transB = c.Int("transB", 0) != 0;
        float alpha = c.Float("alpha", 1f), beta = c.Float("beta", 1f);
        if (b.Rank != 2)
        {
            throw c.Refuse($"weights of shape {NodeContext.Join(b.Dims)}", "a 2-D weight matrix");
        }
        int k = (int)(transB ? b.Dims[1] : b.Dims[0]), n = (int)(transB ? b.Dims[0] : b.Dims[1]);
        float[] bias = new float[n];
        if (c.HasInput(2))
        {
            OnnxTensor? constant = c.ConstInput(2) ?? throw c.Refuse("its bias is computed at run time", "the bias as an initializer");
            float[] values = constant.ToSingles();
            if (values.Length != n && values.Length != 1)
            {
                throw c.Refuse($"a bias of shape {NodeContext.Join(constant.Dims)} for {n} outputs", "one bias per output (or one for all)");
            }
            for (int o = 0; o < n; o++)
            {
                bias[o] = beta * values[values.Length == 1 ? 0 : o];
            }
        }
        return Dense(c, x, b, k, n, transB, alpha, bias);
    }

    public static Sym MatMul(NodeContext c)
    {
        c.AllowAttributes();
        FeatureSym x = Vector(c);
        OnnxTensor b = c.RequireConst(1, "weights");
        if (b.Rank != 2)
        {
            throw c.Refuse($"weights of shape {NodeContext.Join(b.Dims)}", "a 2-D weight matrix");
        }
        return Dense(c, x, b, (int)b.Dims[0], (int)b.Dims[1], transposed: false, 1f, new float[b.Dims[1]]);
    }

    private static FeatureSym Dense(NodeContext c, FeatureSym x, OnnxTensor b, int k, int n, bool transposed, float alpha, float[] bias)
    {
        if (k != x.Shape.Size)
        {
            throw c.Refuse($"weights for {k} inputs on a vector of {x.Shape.Size}", null);
        }
        var weights = new float[(long)k * n];
        for (int p = 0; p < k; p++)
        {
            int e = x.Order?[p] ?? p;
            for (int o = 0; o < n; o++)
            {
                weights[((long)e * n) + o] = alpha * (float)b.Values[transposed ? ((long)o * k) + p : ((long)p * n) + o];
            }
        }
        var layer = new ImportedLayer(new DenseLayer(n, Activation.None), x.Shape, new TensorShape(1, 1, n), c.Name)
        {
            Weights = weights,
            Bias = bias,
            ExclusiveInput = x.Exclusive && c.InputIsExclusive(0),
        };
        return c.State.Append(c, x, layer, axes: null);
    }

    private static FeatureSym Vector(NodeContext c)
    {
        FeatureSym x = c.Feature(0, "input");
        if (x.IsImage)
        {
            throw c.Refuse("its input is a 4-D image", "a Flatten (or Reshape to [1, -1]) before it");
        }
        return x;
    }
}
