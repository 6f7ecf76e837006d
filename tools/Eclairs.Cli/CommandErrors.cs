using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Reflection;
using Eclairs.Onboard.Inference;

namespace Eclairs.Cli;

/// <summary>
/// How every command reports failure: one line on stderr, "eclairs &lt;command&gt;: &lt;what is wrong&gt;", naming the
/// file when the failure is in one, and an exit code: <see cref="UsageExit"/> when the command line itself is wrong
/// (unknown option, a value that does not parse), <see cref="FailureExit"/> for everything else. The exception and its
/// stack trace follow only with <c>--verbose</c>.
/// </summary>
internal static class CommandErrors
{
    public const int FailureExit = 1;
    public const int UsageExit = 2;

    public static Option<bool> VerboseOption { get; } = new("--verbose")
    {
        Description = "On failure, print the exception and its stack trace after the one-line message.",
        Recursive = true,
    };

    public static int ReportUsage(ParseResult parse, TextWriter error)
    {
        // A word the parser did not know is the cause; "Required command was not provided" on a command with
        // sub-commands (tokens, users) is its consequence, so the unknown word is named first.
        string errors = string.Join("; ", parse.Errors
            .OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1)
            .Select(e => OneLine(e.Message)));
        error.WriteLine($"{Prefix(parse)}{errors} (--help lists the options)");
        return UsageExit;
    }

    public static int Report(ParseResult parse, Exception exception, TextWriter error)
    {
        Exception e = Unwrap(exception);
        error.WriteLine(Prefix(parse) + Describe(parse, e));
        if (parse.GetValue(VerboseOption))
        {
            error.WriteLine(exception.ToString());
        }

        return e is CommandUsageException ? UsageExit : FailureExit;
    }

    /// <summary>The message, with the model file named when the engine's loader (which sees only bytes) refused it.</summary>
    private static string Describe(ParseResult parse, Exception e)
    {
        string message = e switch
        {
            FileNotFoundException f when f.FileName is not null => $"{f.FileName}: no such file",
            DirectoryNotFoundException d => $"{OneLine(d.Message)}",
            _ => OneLine(e.Message),
        };
        if (e is ModelFormatException && ModelOption(parse) is { } path && !message.Contains(path, StringComparison.Ordinal))
        {
            message = $"{path}: {message}";
        }

        return message;
    }

    /// <summary>The value of the command's --model option, when it has one.</summary>
    private static string? ModelOption(ParseResult parse)
    {
        Option? option = parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--model");
        return option is not null && parse.GetResult(option) is { Tokens.Count: > 0 } result ? result.Tokens[0].Value : null;
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: > 0 } a:
                    e = a.InnerExceptions[0];
                    break;
                case TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    break;
                default:
                    return e;
            }
        }
    }

    private static string Prefix(ParseResult parse)
    {
        string name = parse.CommandResult.Command is RootCommand ? "" : " " + parse.CommandResult.Command.Name;
        return $"eclairs{name}: ";
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>A command-line value a command found wrong after parsing (exit code 2, like a parse error).</summary>
internal sealed class CommandUsageException : Exception
{
    public CommandUsageException()
    {
    }

    public CommandUsageException(string message)
        : base(message)
    {
    }

    public CommandUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
