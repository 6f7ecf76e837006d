using System.Collections.Generic;
using System.CommandLine;

namespace Eclairs.Cli.Commands;

/// <summary>Every subcommand of <c>eclairs</c>; each lives in its own file and is listed here once.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return VersionCommand.Create();
        yield return ExportOnnxCommand.Create();
        yield return ImportCommand.Create();
        yield return DescribeCommand.Create();
        yield return MakeTestModelCommand.Create();
        yield return VectorsCommand.Create();
        yield return CountsCommand.Create();
        yield return DatasetCommand.Create();
        yield return ShowCommand.Create();
        yield return TrainCommand.Create();
        yield return EvaluateCommand.Create();
        yield return QuantizeCommand.Create();
        yield return BudgetCommand.Create();
        yield return ThresholdCommand.Create();
        yield return BaselineCommand.Create();
        yield return CodegenCommand.Create();
        yield return ServeCommand.Create();
        yield return UsersCommand.Create();
        yield return TokensCommand.Create();
        yield return VerdictsCommand.Create();
        yield return VhfCommand.Create();
        yield return ImportAlertsCommand.Create();
        yield return CrossvalCommand.Create();
        yield return CalibrateCommand.Create();
    }
}
