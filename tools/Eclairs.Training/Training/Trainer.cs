using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Eclairs.Training.Data;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Eclairs.Training.Optimization;
using Eclairs.Training.Randomness;

namespace Eclairs.Training;

/// <summary>
/// Mini-batch training with Adam, class weights, augmentation and early stopping, parallel over the samples of
/// a batch and bit-for-bit reproducible: every random draw comes from a seed derived from (run seed, purpose,
/// epoch, position), each batch is cut into a fixed number of chunks whose gradients are summed in a fixed
/// order, dense weight gradients are formed once per batch from per-sample slots, so the weights depend on the
/// seed and options but not on the number of threads.
/// One trainer runs one call at a time (it owns the per-chunk buffers); it is not thread-safe.
/// </summary>
public sealed class Trainer
{
    private const ulong InitStream = 1, SplitStream = 2, ShuffleStream = 3, SampleStream = 4, AugmentStream = 5;

    private readonly TrainingNetwork _network;
    private readonly TrainingOptions _options;
    private readonly Chunk[] _chunks;
    private readonly ParallelOptions _parallel;
    private readonly DeferredGradients _deferred;
    private readonly GradientReduction _reduction;
    private readonly float[][] _chunkGradients;
    private readonly int _firstTrainable;
    private readonly float[]? _master;
    private readonly float[]? _quantized;

    /// <summary>Prepares buffers for <paramref name="network"/>: one workspace and gradient vector per chunk.</summary>
    public Trainer(TrainingNetwork network, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (network.Spec.Input.Channels != 2)
        {
            throw new ArgumentException($"Alerts are encoded as two channels (SNR, mask); {network.Spec.Name} takes {network.Spec.Input.Channels}.", nameof(network));
        }

        _network = network;
        _options = options;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        _chunks = new Chunk[options.GradientChunks];
        for (int c = 0; c < _chunks.Length; c++)
        {
            _chunks[c] = new Chunk(network);
        }

        _chunkGradients = Array.ConvertAll(_chunks, c => c.Gradient);
        _deferred = new DeferredGradients(network, options.BatchSize);
        _firstTrainable = FirstTrainable(network, options.FrozenLayers);
        _reduction = new GradientReduction(network, _deferred, options.FrozenLayers);
        if (options.Quantization is not null)
        {
            _master = new float[network.ParameterCount];
            _quantized = new float[network.ParameterCount];
        }
    }

    /// <summary>The lowest layer with parameters that are not frozen (the backward pass needs nothing below it).</summary>
    private static int FirstTrainable(TrainingNetwork network, IReadOnlySet<int> frozen)
    {
        foreach (int i in frozen)
        {
            if (i < 0 || i >= network.Layers.Count || network.Layers[i].ParameterCount == 0)
            {
                throw new ArgumentException(i < 0 || i >= network.Layers.Count
                    ? $"Frozen layer {i} is not a layer of {network.Spec.Name} (0..{network.Layers.Count - 1})."
                    : $"Frozen layer {i} ({network.Layers[i].Spec}) has no parameters to freeze.");
            }
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i].ParameterCount > 0 && !frozen.Contains(i))
            {
                return i;
            }
        }

        throw new ArgumentException($"Every layer of {network.Spec.Name} with parameters is frozen: nothing would train.");
    }

    /// <summary>
    /// Trains on <paramref name="train"/>; validates on <paramref name="validation"/> or, when null, on a stratified
    /// split of <see cref="TrainingOptions.ValidationFraction"/>. On return the network holds the weights of the epoch
    /// with the lowest validation loss (the last epoch's without validation).
    /// </summary>
    public TrainingResult Fit(LabelledAlerts train, LabelledAlerts? validation = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckShape(train);
        if (validation is null && _options.ValidationFraction > 0)
        {
            (train, validation) = train.SplitStratified(_options.ValidationFraction, SplitMix64.Derive(_options.Seed, SplitStream));
        }

        if (validation is not null)
        {
            CheckShape(validation);
        }

        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        if (_options.Augmentation.Symmetries && train.Height != train.Width)
        {
            throw new ArgumentException($"Symmetry augmentation needs square images; got {train.Height}x{train.Width}.", nameof(train));
        }

        (double negativeWeight, double positiveWeight) = _options.ClassWeights ?? BalancedWeights(train);
        if (_options.InitializeWeights)
        {
            _network.Initialize(SplitMix64.Derive(_options.Seed, InitStream));
        }

        var adam = new AdamOptimizer(_network.ParameterCount, _options.Adam, _network.WeightRanges());
        float[] best = _network.Parameters.ToArray();
        var order = new int[train.Count];
        int batches = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        var total = Stopwatch.StartNew();

        _network.Quantization = _options.Quantization;
        try
        {
            return FitEpochs(train, validation, progress, negativeWeight, positiveWeight, adam, best, order, batches, total);
        }
        finally
        {
            _network.Quantization = null;
        }
    }

    private TrainingResult FitEpochs(
        LabelledAlerts train, LabelledAlerts? validation, IProgress<TrainingProgress>? progress, double negativeWeight, double positiveWeight,
        AdamOptimizer adam, float[] best, int[] order, int batches, Stopwatch total)
    {
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0;
        bool stoppedEarly = false;
        var history = new List<EpochReport>();
        long samples = 0;
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double trainLoss = RunEpoch(train, epoch, order, negativeWeight, positiveWeight, adam, progress);
            samples += train.Count;
            double validationLoss = double.NaN, validationAccuracy = double.NaN, validationAuc = double.NaN;
            bool improved = true; // without validation the last epoch is kept
            if (validation is not null && validation.Count > 0)
            {
                EvaluationResult evaluation = WithQuantizedWeights(() => Evaluate(validation));
                (validationLoss, validationAccuracy) = (evaluation.Loss, evaluation.Accuracy);
                validationAuc = Auc(evaluation.Probabilities, validation);
                improved = validationLoss < bestLoss;
            }

            if (improved)
            {
                bestLoss = validationLoss;
                bestEpoch = epoch;
                _network.Parameters.CopyTo(best);
            }

            var report = new EpochReport(epoch, trainLoss, validationLoss, validationAccuracy, clock.Elapsed, improved) { ValidationAuc = validationAuc };
            history.Add(report);
            progress?.Report(new TrainingProgress(epoch, _options.Epochs, batches, batches, trainLoss, report));
            if (_options.Patience > 0 && epoch - bestEpoch >= _options.Patience)
            {
                stoppedEarly = epoch < _options.Epochs;
                break;
            }
        }

        best.CopyTo(_network.Parameters);
        return new TrainingResult(history, bestEpoch, bestLoss, total.Elapsed, stoppedEarly)
        {
            SamplesPerSecond = samples / total.Elapsed.TotalSeconds,
        };
    }

    /// <summary>One pass over <paramref name="train"/> in this epoch's seeded order; returns the mean weighted loss.</summary>
    private double RunEpoch(
        LabelledAlerts train, int epoch, int[] order, double negativeWeight, double positiveWeight, AdamOptimizer adam, IProgress<TrainingProgress>? progress)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new Xoshiro256StarStar(SplitMix64.Derive(_options.Seed, ShuffleStream, (ulong)epoch)).Shuffle(order);
        int batches = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        double epochLoss = 0;
        for (int batch = 0; batch < batches; batch++)
        {
            int start = batch * _options.BatchSize;
            int size = Math.Min(_options.BatchSize, train.Count - start);
            var job = new BatchJob(train, order, start, size, epoch, negativeWeight, positiveWeight);
            QuantizeWeights();
            Parallel.For(0, _chunks.Length, _parallel, c => RunChunk(c, job));
            foreach (Chunk chunk in _chunks)
            {
                epochLoss += chunk.Loss;
            }

            _reduction.ReduceAndStep(_chunkGradients, adam, size, _parallel);
            UpdateMasterWeights();
            if (batch < batches - 1)
            {
                progress?.Report(new TrainingProgress(epoch, _options.Epochs, batch + 1, batches, epochLoss / (start + size), null));
            }
        }

        return epochLoss / train.Count;
    }

    /// <summary>QAT: keeps the float master weights and puts their quantized values where the passes read them.</summary>
    private void QuantizeWeights()
    {
        if (_options.Quantization is not { } quantization)
        {
            return;
        }

        Span<float> parameters = _network.Parameters;
        parameters.CopyTo(_master);
        quantization.Weights(_network, parameters);
        parameters.CopyTo(_quantized);
    }

    /// <summary>QAT: the step Adam took from the quantized weights, applied to the masters (straight through the rounding).</summary>
    private void UpdateMasterWeights()
    {
        if (_options.Quantization is null)
        {
            return;
        }

        Span<float> parameters = _network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            _master![i] += parameters[i] - _quantized![i];
        }

        _master.CopyTo(parameters);
    }

    private T WithQuantizedWeights<T>(Func<T> run)
    {
        if (_options.Quantization is null)
        {
            return run();
        }

        QuantizeWeights();
        try
        {
            return run();
        }
        finally
        {
            _master.CopyTo(_network.Parameters);
        }
    }

    /// <summary>Probabilities, mean loss and accuracy on <paramref name="data"/> (dropout off), using the trainer's threads.</summary>
    public EvaluationResult Evaluate(LabelledAlerts data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(data);
        var probabilities = new float[data.Count];
        var logits = new float[data.Count];
        Parallel.For(0, _chunks.Length, _parallel, c =>
        {
            NetworkWorkspace workspace = _chunks[c].Workspace;
            for (int i = c; i < data.Count; i += _chunks.Length)
            {
                _network.Encode(data.Snr(i), data.Mask(i), workspace.Input);
                logits[i] = _network.Forward(workspace, training: false, dropoutSeed: 0);
            }
        });

        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            probabilities[i] = (float)SigmoidCrossEntropy.Sigmoid(logits[i]);
            loss += SigmoidCrossEntropy.Loss(logits[i], data.Label(i));
            correct += (probabilities[i] >= 0.5f ? 1 : 0) == data.Label(i) ? 1 : 0;
        }

        return data.Count == 0
            ? new EvaluationResult(probabilities, double.NaN, double.NaN)
            : new EvaluationResult(probabilities, loss / data.Count, (double)correct / data.Count);
    }

    private static double Auc(IReadOnlyList<float> probabilities, LabelledAlerts data)
    {
        var scores = new double[data.Count];
        var labels = new byte[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            scores[i] = probabilities[i];
            labels[i] = (byte)data.Label(i);
        }

        return new Evaluation.BinaryMetrics(scores, labels, new bool[data.Count]).Auc;
    }

    /// <summary>n / (2 n_class) per class, so both classes weigh the same in the loss.</summary>
    public static (double Negative, double Positive) BalancedWeights(LabelledAlerts data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int positives = data.Positives, negatives = data.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"Balanced class weights need both classes; got {negatives} false and {positives} true alerts.", nameof(data));
        }

        return (data.Count / (2.0 * negatives), data.Count / (2.0 * positives));
    }

    private void CheckShape(LabelledAlerts data)
    {
        TensorShape input = _network.Spec.Input;
        if (data.Height != input.Height || data.Width != input.Width)
        {
            throw new ArgumentException($"{_network.Spec.Name} takes {input.Height}x{input.Width} images; the data set has {data.Height}x{data.Width}.", nameof(data));
        }
    }

    private void RunChunk(int c, BatchJob job)
    {
        Chunk chunk = _chunks[c];
        foreach (Range range in _reduction.AccumulatedRanges)
        {
            chunk.Gradient.AsSpan(range).Clear();
        }

        int from = (int)((long)c * job.Size / _chunks.Length);
        int to = (int)((long)(c + 1) * job.Size / _chunks.Length);
        double loss = 0;
        for (int s = from; s < to; s++)
        {
            int position = job.Start + s;
            int index = job.Order[position];
            ulong sampleSeed = SplitMix64.Derive(_options.Seed, SampleStream, (ulong)job.Epoch, (ulong)position);
            PrepareSample(job.Data, index, sampleSeed, chunk);
            int label = job.Data.Label(index);
            double weight = label == 1 ? job.PositiveWeight : job.NegativeWeight;
            loss += _network.ForwardBackward(chunk.Workspace, label, weight, chunk.Gradient, sampleSeed, _deferred, slot: s, _firstTrainable);
        }

        chunk.Loss = loss;
    }

    private void PrepareSample(LabelledAlerts data, int index, ulong sampleSeed, Chunk chunk)
    {
        Span<float> input = chunk.Workspace.InputSpan;
        AlertEncoding.Encode(data.Snr(index), data.Mask(index), input);
        AugmentationOptions augmentation = _options.Augmentation;
        if (augmentation.Symmetries || augmentation.SnrNoiseSigma != 0)
        {
            Augment(data, sampleSeed, chunk, input, augmentation);
        }

        if (!_network.Spec.UsesMask)
        {
            AlertEncoding.DropMask(input);
        }

        _network.Quantization?.Input(input);
    }

    private static void Augment(LabelledAlerts data, ulong sampleSeed, Chunk chunk, Span<float> input, AugmentationOptions augmentation)
    {

        var rng = new Xoshiro256StarStar(SplitMix64.Derive(sampleSeed, AugmentStream));
        if (augmentation.Symmetries)
        {
            var symmetry = (Symmetry)rng.NextInt(8);
            if (symmetry != Symmetry.Identity)
            {
                Augmentation.Apply(symmetry, data.Width, input, chunk.Augmented);
                chunk.Augmented.CopyTo(input);
            }
        }

        Augmentation.AddSnrNoise(input, augmentation.SnrNoiseSigma, ref rng);
    }

    private sealed class Chunk(TrainingNetwork network)
    {
        public NetworkWorkspace Workspace { get; } = network.CreateWorkspace();

        public float[] Gradient { get; } = new float[network.ParameterCount];

        public float[] Augmented { get; } = new float[network.Spec.Input.Size];

        public double Loss { get; set; }
    }

    private sealed record BatchJob(
        LabelledAlerts Data, int[] Order, int Start, int Size, int Epoch, double NegativeWeight, double PositiveWeight);
}
