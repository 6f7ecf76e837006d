using System;
using System.CommandLine;
using Eclairs.Cli.Commands;

namespace Eclairs.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("eclairs: ECLAIRs alert classification — simulate, train, quantize, classify.");
        root.Options.Add(CommandErrors.VerboseOption);
        foreach (Command command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        // Errors are reported here, once, for every command (CommandErrors): one line on stderr naming what is wrong,
        // a non-zero exit code, the stack trace only with --verbose.
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return CommandErrors.ReportUsage(parse, Console.Error);
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return CommandErrors.Report(parse, e, Console.Error);
        }
    }
}
