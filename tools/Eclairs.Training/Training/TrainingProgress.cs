using System;
using System.Collections.Generic;

namespace Eclairs.Training;

/// <summary>Reported after every batch; <see cref="EpochEnd"/> is set on the last batch of an epoch.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double RunningLoss, EpochReport? EpochEnd);

/// <summary>Figures of one epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean class-weighted loss over the epoch's training batches (dropout and augmentation on).</param>
/// <param name="ValidationLoss">Mean unweighted loss on the validation set (NaN without validation).</param>
/// <param name="ValidationAccuracy">Accuracy at probability 0.5 on the validation set (NaN without validation).</param>
/// <param name="Elapsed">Wall time of the epoch including validation.</param>
/// <param name="Improved">Whether this epoch's weights became the best so far.</param>
public sealed record EpochReport(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy, TimeSpan Elapsed, bool Improved)
{
    /// <summary>AUC on the validation set (NaN without validation or without both classes in it).</summary>
    public double ValidationAuc { get; init; } = double.NaN;
}

/// <summary>Outcome of <see cref="Trainer.Fit"/>; the network holds the best weights.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochReport> History, int BestEpoch, double BestValidationLoss, TimeSpan Elapsed, bool StoppedEarly)
{
    /// <summary>Training samples processed per second of wall time, over the whole run (validation included in the time).</summary>
    public double SamplesPerSecond { get; init; }
}

/// <summary>Predictions on a data set.</summary>
/// <param name="Probabilities">P(true burst) per alert, in data set order.</param>
/// <param name="Loss">Mean unweighted binary cross-entropy.</param>
/// <param name="Accuracy">Fraction classified correctly at probability 0.5.</param>
public sealed record EvaluationResult(IReadOnlyList<float> Probabilities, double Loss, double Accuracy);
