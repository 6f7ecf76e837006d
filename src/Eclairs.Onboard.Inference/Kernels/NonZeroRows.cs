using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// The indices of a dense layer's input values that are not zero, in ascending order. A zero input contributes
/// nothing to any output (0 · w adds +0 or −0, which leaves every finite sum as it was; integer: exactly 0), so the
/// dense kernels walk only these weight rows. After ReLU and pooling most inputs are zero: 93.5-99.1 % of cnn-v1's
/// 12,544 on simulated alerts (docs/engine.md), which is what makes the skip worth its pass over the input. Four
/// values per compare at every vector width: the pass is not where the time goes, the weight rows are.
/// </summary>
internal static unsafe class NonZeroRows
{
    /// <summary>
    /// Writes the indices i &lt; <paramref name="count"/> with <paramref name="input"/>[i] != 0 (float: −0 is zero, NaN is
    /// not); returns how many. <paramref name="rows"/> has room for <see cref="WorkspaceElements"/>(count) indices.
    /// </summary>
    public static int Find<T>(T* input, int count, int* rows)
        where T : unmanaged, System.IEquatable<T> => Find(input, count, rows, default(T));

    /// <summary>
    /// As <see cref="Find{T}(T*, int, int*)"/> with <paramref name="zero"/> as the value that contributes nothing (the
    /// SDOT dense's input quads at the zero point).
    /// </summary>
    public static int Find<T>(T* input, int count, int* rows, T zero)
        where T : unmanaged, System.IEquatable<T>
    {
        int n = 0;
        int i = 0;
        Vector128<T> zeros = Vector128.Create(zero);
        for (; i + Vector128<T>.Count <= count; i += Vector128<T>.Count)
        {
            uint same = Vector128.Equals(Vector128.Load(input + i), zeros).ExtractMostSignificantBits();
            n = Append(~same & ((1u << Vector128<T>.Count) - 1), i, rows, n);
        }
        for (; i < count; i++)
        {
            rows[n] = i;
            n += input[i].Equals(zero) ? 0 : 1;
        }
        return n;
    }

    /// <summary>4-byte words of row list a dense layer of <paramref name="rowCount"/> weight rows needs (float: inputs; int8: input pairs).</summary>
    public static int WorkspaceElements(int rowCount) => rowCount;

    /// <summary>Whether walking <paramref name="count"/> listed rows of <paramref name="inputs"/> beats walking them all: a quarter or more are zero.</summary>
    public static bool WorthListing(int count, int inputs) => (long)count * 4 <= (long)inputs * 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Append(uint bits, int first, int* rows, int n)
    {
        while (bits != 0)
        {
            rows[n++] = first + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
        }
        return n;
    }
}

/// <summary>Which weight rows a dense walk visits (a struct the JIT folds, as <see cref="IBlockWidth"/>).</summary>
internal interface IRows
{
    int Row(int r);
}

internal readonly struct AllRows : IRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(int r) => r;
}

internal readonly unsafe struct ListedRows(int* rows) : IRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(int r) => rows[r];
}
