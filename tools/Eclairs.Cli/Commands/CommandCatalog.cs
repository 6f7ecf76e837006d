using System.Collections.Generic;
using System.CommandLine;

namespace Eclairs.Cli.Commands;

/// <summary>Every subcommand of <c>eclairs</c>; each lives in its own file and is listed here once.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return DescribeCommand.Create();
        yield return MakeTestModelCommand.Create();
        yield return QuantizeCommand.Create();
    }
}
