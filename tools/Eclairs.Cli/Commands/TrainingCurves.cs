using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Eclairs.Simulation.Pictures;
using Eclairs.Training;

namespace Eclairs.Cli.Commands;

/// <summary>What <c>train</c> writes beside the model: the per-epoch history as CSV and as a chart.</summary>
internal static class TrainingCurves
{
    public static void WriteCsv(string path, TrainingResult result)
    {
        var text = new StringBuilder("epoch,train_loss,validation_loss,validation_accuracy,validation_auc,seconds,kept\n");
        foreach (EpochReport e in result.History)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{e.Epoch},{e.TrainLoss:R},{e.ValidationLoss:R},{e.ValidationAccuracy:R},{e.ValidationAuc:R},{e.Elapsed.TotalSeconds:F2},{(e.Epoch == result.BestEpoch ? 1 : 0)}\n"));
        }

        File.WriteAllText(path, text.ToString());
    }

    public static void WritePng(string path, TrainingResult result, string title) =>
        Charts.TrainingCurves(title,
            result.History.Select(e => e.TrainLoss).ToArray(),
            result.History.Select(e => e.ValidationLoss).ToArray(),
            result.History.Select(e => e.ValidationAuc).ToArray(),
            result.BestEpoch, path);
}
