using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Eclairs.Training.Optimization;

namespace Eclairs.Training;

/// <summary>
/// Turns the per-chunk gradient buffers and the deferred dense pairs of one batch into the batch gradient and
/// applies Adam, in parallel over disjoint blocks of the parameter vector. Accumulated blocks sum the chunk buffers
/// in chunk order; deferred blocks (dense weights) compute X^T dY over the batch's samples in sample order. Every
/// block is computed the same way whichever thread runs it, so the result does not depend on the thread count.
/// </summary>
internal sealed class GradientReduction
{
    private const int Block = 1 << 15;

    private readonly TrainingNetwork _network;
    private readonly DeferredGradients _deferred;
    private readonly Item[] _items;
    private readonly Range[] _accumulated;

    /// <param name="frozen">Layers whose parameters are neither reduced nor updated (they stay bit for bit).</param>
    public GradientReduction(TrainingNetwork network, DeferredGradients deferred, IReadOnlySet<int> frozen)
    {
        _network = network;
        _deferred = deferred;
        var items = new List<Item>();
        var accumulated = new List<Range>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            TrainingLayer layer = network.Layers[i];
            int offset = network.ParameterOffset(i);
            if (frozen.Contains(i))
            {
                // Still cleared before each batch (a frozen layer above a trainable one runs its backward pass), never applied.
                if (layer.ParameterCount > 0)
                {
                    accumulated.Add(new Range(offset, offset + layer.ParameterCount));
                }

                continue;
            }

            if (!deferred.Defers(i))
            {
                AddAccumulated(offset, layer.ParameterCount, items, accumulated);
                continue;
            }

            int rows = layer.InputShape.Size, units = layer.OutputShape.Size;
            int rowsPerItem = Math.Max(4, Block / units / 4 * 4);
            for (int row = 0; row < rows; row += rowsPerItem)
            {
                int count = Math.Min(rowsPerItem, rows - row);
                items.Add(new Item(offset + row * units, count * units, i, row, count));
            }

            AddAccumulated(offset + layer.WeightCount, layer.ParameterCount - layer.WeightCount, items, accumulated);
        }

        _items = items.ToArray();
        _accumulated = accumulated.ToArray();
    }

    /// <summary>Ranges of the parameter vector that chunks accumulate into (and must clear before a batch).</summary>
    public IReadOnlyList<Range> AccumulatedRanges => _accumulated;

    /// <summary>
    /// Writes the batch gradient (mean over <paramref name="batchSize"/> samples) into the first chunk buffer and
    /// applies Adam step by step over the blocks.
    /// </summary>
    public void ReduceAndStep(float[][] chunkGradients, AdamOptimizer adam, int batchSize, ParallelOptions parallel)
    {
        adam.BeginStep();
        float scale = 1f / batchSize;
        Parallel.For(0, _items.Length, parallel, b =>
        {
            Item item = _items[b];
            Span<float> sum = chunkGradients[0].AsSpan(item.Offset, item.Length);
            if (item.DeferredLayer < 0)
            {
                for (int c = 1; c < chunkGradients.Length; c++)
                {
                    TensorPrimitives.Add(sum, chunkGradients[c].AsSpan(item.Offset, item.Length), sum);
                }
            }
            else
            {
                var layer = (DenseLayer)_network.Layers[item.DeferredLayer];
                Span<float> panel = batchSize <= 1024 ? stackalloc float[4 * batchSize] : new float[4 * batchSize];
                sum.Clear();
                layer.AccumulateDeferred(
                    _deferred.Inputs[item.DeferredLayer], _deferred.OutputGradients[item.DeferredLayer], batchSize, item.FirstRow, item.RowCount, sum, panel);
            }

            TensorPrimitives.Multiply(sum, scale, sum);
            adam.Update(_network.Parameters.Slice(item.Offset, item.Length), sum, item.Offset);
        });
    }

    private static void AddAccumulated(int offset, int length, List<Item> items, List<Range> accumulated)
    {
        if (length == 0)
        {
            return;
        }

        accumulated.Add(new Range(offset, offset + length));
        for (int start = 0; start < length; start += Block)
        {
            items.Add(new Item(offset + start, Math.Min(Block, length - start), -1, 0, 0));
        }
    }

    /// <summary>A block of the parameter vector; <see cref="DeferredLayer"/> is -1 for accumulated blocks.</summary>
    private readonly record struct Item(int Offset, int Length, int DeferredLayer, int FirstRow, int RowCount);
}
