using System;
using System.Collections.Generic;
using Eclairs.Training.Data;
using Eclairs.Training.Networks;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Training.Tests;

public class TrainerTests(ITestOutputHelper output)
{
    private static TrainingOptions Options(int threads, ulong seed = 11) => new()
    {
        Epochs = 4,
        BatchSize = 16,
        Seed = seed,
        MaxDegreeOfParallelism = threads,
        Patience = 0,
        Augmentation = new AugmentationOptions { Symmetries = true, SnrNoiseSigma = 0.1 },
    };

    [Fact]
    public void Learns_a_separable_toy_problem()
    {
        LabelledAlerts data = ToyAlerts.Make(480, 16, seed: 3);
        LabelledAlerts test = ToyAlerts.Make(200, 16, seed: 4);
        var network = new TrainingNetwork(ToyAlerts.TinyNetwork(16));
        var trainer = new Trainer(network, Options(threads: 2) with { Adam = new() { LearningRate = 3e-3 }, Patience = 3 });
        var reports = new List<TrainingProgress>();
        TrainingResult result = trainer.Fit(data, progress: new Collector(reports));
        foreach (EpochReport e in result.History)
        {
            output.WriteLine($"epoch {e.Epoch}: train {e.TrainLoss:F4} val {e.ValidationLoss:F4} acc {e.ValidationAccuracy:P1}");
        }

        EvaluationResult evaluation = trainer.Evaluate(test);
        output.WriteLine($"test accuracy {evaluation.Accuracy:P1}, loss {evaluation.Loss:F4}");
        Assert.True(evaluation.Accuracy > 0.95, $"test accuracy {evaluation.Accuracy:P1}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
        Assert.Equal(result.History.Count * 24, reports.Count); // 384 training alerts / 16 per batch
        Assert.All(reports, r => Assert.True(double.IsFinite(r.RunningLoss)));
    }

    [Fact]
    public void Same_seed_gives_identical_weights_whatever_the_thread_count()
    {
        LabelledAlerts data = ToyAlerts.Make(120, 16, seed: 5);
        float[] one = Train(data, threads: 1, seed: 11);
        float[] two = Train(data, threads: 2, seed: 11);
        float[] three = Train(data, threads: 3, seed: 11);
        float[] again = Train(data, threads: 2, seed: 11);
        float[] other = Train(data, threads: 2, seed: 12);
        Assert.Equal(one, two);
        Assert.Equal(one, three);
        Assert.Equal(two, again);
        Assert.NotEqual(one, other);
    }

    [Fact]
    public void Deck_network_is_deterministic_across_thread_counts()
    {
        // One step of the real 1.6 M-parameter network on 56x56 alerts, with 1 and 2 threads.
        LabelledAlerts data = ToyAlerts.Make(8, 56, seed: 6);
        float[] Run(int threads)
        {
            var network = new TrainingNetwork(Architectures.CnnV1());
            new Trainer(network, Options(threads) with { Epochs = 1, BatchSize = 8, ValidationFraction = 0 }).Fit(data);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch()
    {
        // Validating on the toy problem with inverted labels: the better the network learns, the worse the
        // validation loss, so training must stop after `patience` epochs and roll back to an early epoch.
        LabelledAlerts train = ToyAlerts.Make(192, 16, seed: 7);
        LabelledAlerts inverted = Invert(ToyAlerts.Make(64, 16, seed: 8));
        var network = new TrainingNetwork(ToyAlerts.TinyNetwork(16));
        var trainer = new Trainer(network, Options(2) with { Epochs = 12, Patience = 2, Adam = new() { LearningRate = 3e-3 } });
        TrainingResult result = trainer.Fit(train, inverted);
        foreach (EpochReport e in result.History)
        {
            output.WriteLine($"epoch {e.Epoch}: train {e.TrainLoss:F4} val {e.ValidationLoss:F4} improved {e.Improved}");
        }

        double restored = trainer.Evaluate(inverted).Loss;
        Assert.True(result.StoppedEarly);
        Assert.Equal(result.History.Count - 2, result.BestEpoch);
        Assert.Equal(result.BestValidationLoss, restored, 12);
        Assert.True(result.History[^1].ValidationLoss > restored, "the weights were rolled back to the best epoch");
    }

    private static LabelledAlerts Invert(LabelledAlerts data)
    {
        var snr = new float[data.Count * data.Pixels];
        var mask = new byte[data.Count * data.Pixels];
        var labels = new byte[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            data.Snr(i).CopyTo(snr.AsSpan(i * data.Pixels));
            data.Mask(i).CopyTo(mask.AsSpan(i * data.Pixels));
            labels[i] = (byte)(1 - data.Label(i));
        }

        return new LabelledAlerts(snr, mask, labels, data.Height, data.Width);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_clear_errors()
    {
        var network = new TrainingNetwork(ToyAlerts.TinyNetwork(16));
        Assert.Throws<ArgumentException>(() => new Trainer(network, new TrainingOptions { BatchSize = 0 }));
        var trainer = new Trainer(network, new TrainingOptions());
        Assert.Throws<ArgumentException>(() => trainer.Fit(ToyAlerts.Make(10, 12, 1)));
        Assert.Throws<ArgumentException>(() => new LabelledAlerts(new float[4], new byte[4], [2], 2, 2));
        Assert.Throws<ArgumentException>(() => new LabelledAlerts(new float[4], [0, 1, 4, 1], [1], 2, 2));
        Assert.Throws<ArgumentException>(() => new LabelledAlerts(new float[5], new byte[4], [1], 2, 2));
        Assert.Throws<ArgumentException>(() => new LabelledAlerts([float.NaN, 0, 0, 0], [1, 1, 1, 1], [1], 2, 2));
        Assert.Throws<ArgumentException>(() => Trainer.BalancedWeights(new LabelledAlerts(new float[4], new byte[4], [1], 2, 2)));
    }

    [Fact]
    public void Stratified_split_keeps_the_class_balance()
    {
        LabelledAlerts data = ToyAlerts.Make(100, 8, seed: 1); // 50 / 50
        (LabelledAlerts train, LabelledAlerts validation) = data.SplitStratified(0.2, 9);
        Assert.Equal(80, train.Count);
        Assert.Equal(20, validation.Count);
        Assert.Equal(10, validation.Positives);
    }

    private static float[] Train(LabelledAlerts data, int threads, ulong seed)
    {
        var network = new TrainingNetwork(ToyAlerts.TinyNetwork(16));
        new Trainer(network, Options(threads, seed) with { Epochs = 2 }).Fit(data);
        return network.Parameters.ToArray();
    }

    private sealed class Collector(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
