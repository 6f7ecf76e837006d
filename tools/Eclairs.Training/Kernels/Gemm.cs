using System.Numerics;

namespace Eclairs.Training.Kernels;

/// <summary>
/// C += A * B for row-major B and C and an A read through two strides, so that the same kernel serves
/// A (row stride K, column stride 1) and A transposed (row stride 1, column stride M). Every element of C
/// accumulates its products in ascending k, so results are deterministic for a given shape.
/// Register blocking: 4 rows of C by two SIMD vectors of columns, then narrower tails.
/// </summary>
internal static unsafe class Gemm
{
    /// <summary>c[i*ldc + j] += sum over p of a[i*aRow + p*aCol] * b[p*ldb + j], for i &lt; m, j &lt; n, p &lt; k.</summary>
    public static void MultiplyAdd(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int m, int n, int k)
    {
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            FourRows(a + (long)i * aRow, aRow, aCol, b, ldb, c + (long)i * ldc, ldc, n, k);
        }

        for (; i < m; i++)
        {
            OneRow(a + (long)i * aRow, aCol, b, ldb, c + (long)i * ldc, n, k);
        }
    }

    /// <summary>
    /// c[i*ldc + j] += sum over p of a[p*lda + i] * b[p*ldb + j] (C += A^T B), for i &lt; m, j &lt; n, p &lt; k.
    /// Four columns of A at a time are packed into <paramref name="panel"/> (4k floats) so the strided walk down A
    /// happens once per four rows of C instead of once per column block.
    /// </summary>
    public static void MultiplyAddTransposedA(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, float* panel)
    {
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            float* source = a + i;
            for (int p = 0; p < k; p++, source += lda)
            {
                float* target = panel + 4 * p;
                target[0] = source[0];
                target[1] = source[1];
                target[2] = source[2];
                target[3] = source[3];
            }

            FourRows(panel, 1, 4, b, ldb, c + (long)i * ldc, ldc, n, k);
        }

        for (; i < m; i++)
        {
            OneRow(a + i, lda, b, ldb, c + (long)i * ldc, n, k);
        }
    }

    private static void FourRows(float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc, int n, int k)
    {
        int w = Vector<float>.Count;
        float* a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow;
        int j = 0;
        for (; j + 2 * w <= n; j += 2 * w)
        {
            Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
            float* pb = b + j;
            long off = 0;
            for (int p = 0; p < k; p++, off += aCol, pb += ldb)
            {
                Vector<float> b0 = Vector.Load(pb);
                Vector<float> b1 = Vector.Load(pb + w);
                Vector<float> x = new(a[off]);
                c00 = Vector.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector.FusedMultiplyAdd(x, b1, c01);
                x = new Vector<float>(a1[off]);
                c10 = Vector.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector.FusedMultiplyAdd(x, b1, c11);
                x = new Vector<float>(a2[off]);
                c20 = Vector.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector.FusedMultiplyAdd(x, b1, c21);
                x = new Vector<float>(a3[off]);
                c30 = Vector.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector.FusedMultiplyAdd(x, b1, c31);
            }

            AddStore(c + j, c00, c01, w);
            AddStore(c + ldc + j, c10, c11, w);
            AddStore(c + 2 * ldc + j, c20, c21, w);
            AddStore(c + 3 * ldc + j, c30, c31, w);
        }

        for (; j + w <= n; j += w)
        {
            Vector<float> c0 = default, c1 = default, c2 = default, c3 = default;
            float* pb = b + j;
            long off = 0;
            for (int p = 0; p < k; p++, off += aCol, pb += ldb)
            {
                Vector<float> b0 = Vector.Load(pb);
                c0 = Vector.FusedMultiplyAdd(new Vector<float>(a[off]), b0, c0);
                c1 = Vector.FusedMultiplyAdd(new Vector<float>(a1[off]), b0, c1);
                c2 = Vector.FusedMultiplyAdd(new Vector<float>(a2[off]), b0, c2);
                c3 = Vector.FusedMultiplyAdd(new Vector<float>(a3[off]), b0, c3);
            }

            (Vector.Load(c + j) + c0).Store(c + j);
            (Vector.Load(c + ldc + j) + c1).Store(c + ldc + j);
            (Vector.Load(c + 2 * ldc + j) + c2).Store(c + 2 * ldc + j);
            (Vector.Load(c + 3 * ldc + j) + c3).Store(c + 3 * ldc + j);
        }

        for (; j < n; j++)
        {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            float* pb = b + j;
            long off = 0;
            for (int p = 0; p < k; p++, off += aCol, pb += ldb)
            {
                float bv = *pb;
                s0 += a[off] * bv;
                s1 += a1[off] * bv;
                s2 += a2[off] * bv;
                s3 += a3[off] * bv;
            }

            c[j] += s0;
            c[ldc + j] += s1;
            c[2 * ldc + j] += s2;
            c[3 * ldc + j] += s3;
        }
    }

    private static void OneRow(float* a, int aCol, float* b, int ldb, float* c, int n, int k)
    {
        int w = Vector<float>.Count;
        int j = 0;
        for (; j + 2 * w <= n; j += 2 * w)
        {
            Vector<float> c0 = default, c1 = default;
            float* pb = b + j;
            long off = 0;
            for (int p = 0; p < k; p++, off += aCol, pb += ldb)
            {
                Vector<float> x = new(a[off]);
                c0 = Vector.FusedMultiplyAdd(x, Vector.Load(pb), c0);
                c1 = Vector.FusedMultiplyAdd(x, Vector.Load(pb + w), c1);
            }

            AddStore(c + j, c0, c1, w);
        }

        for (; j + w <= n; j += w)
        {
            Vector<float> c0 = default;
            float* pb = b + j;
            long off = 0;
            for (int p = 0; p < k; p++, off += aCol, pb += ldb)
            {
                c0 = Vector.FusedMultiplyAdd(new Vector<float>(a[off]), Vector.Load(pb), c0);
            }

            (Vector.Load(c + j) + c0).Store(c + j);
        }

        for (; j < n; j++)
        {
            float s = 0;
            float* pb = b + j;
            long off = 0;
            for (int p = 0; p < k; p++, off += aCol, pb += ldb)
            {
                s += a[off] * *pb;
            }

            c[j] += s;
        }
    }

    private static void AddStore(float* c, Vector<float> v0, Vector<float> v1, int w)
    {
        (Vector.Load(c) + v0).Store(c);
        (Vector.Load(c + w) + v1).Store(c + w);
    }
}
