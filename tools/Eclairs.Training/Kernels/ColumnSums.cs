using System;
using System.Numerics;

namespace Eclairs.Training.Kernels;

/// <summary>Column sums of a row-major matrix (e.g. a convolution's bias gradient over its output pixels).</summary>
internal static class ColumnSums
{
    /// <summary>sums[j] += sum over rows r (in order) of matrix[r * columns + j].</summary>
    public static void AddTo(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> sums)
    {
        if (matrix.Length < rows * columns || sums.Length != columns)
        {
            throw new ArgumentException($"A {rows}x{columns} matrix needs {rows * columns} values and {columns} sums.");
        }

        int w = Vector<float>.Count, j = 0;
        for (; j + w <= columns; j += w)
        {
            Vector<float> sum = new(sums[j..]);
            for (int r = 0; r < rows; r++)
            {
                sum += new Vector<float>(matrix.Slice(r * columns + j, w));
            }

            sum.CopyTo(sums[j..]);
        }

        for (; j < columns; j++)
        {
            float sum = sums[j];
            for (int r = 0; r < rows; r++)
            {
                sum += matrix[r * columns + j];
            }

            sums[j] = sum;
        }
    }
}
