using System.CommandLine;
using Eclairs.Cli.Commands;

namespace Eclairs.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("eclairs: ECLAIRs alert classification — simulate, train, quantize, classify.");
        foreach (Command command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }
}
