using System;
using System.CommandLine;
using System.IO;
using Eclairs.Ground.Storage;

namespace Eclairs.Cli.Commands;

/// <summary>The options every ground-service command shares: where the data are (SQLite in --data-dir, or --postgres).</summary>
internal sealed class GroundDataOptions
{
    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Folder of the embedded SQLite database (created on first start).", DefaultValueFactory = _ => "eclairs-data" };

    public Option<string?> Postgres { get; } = new("--postgres")
    {
        Description = "Npgsql connection string of a PostgreSQL database to use instead of SQLite (default: $ECLAIRS_POSTGRES).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ECLAIRS_POSTGRES"),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Postgres);
    }

    public Database Open(ParseResult parse) => Database.Open(parse.GetValue(DataDir)!, parse.GetValue(Postgres));

    /// <summary>A password from standard input: one line, not echoed when typed at a terminal.</summary>
    public static string ReadPassword(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? "";
        }

        Console.Error.Write(prompt);
        var password = new System.Text.StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }

    /// <summary>The repository's weights/ folder, looked for upwards from the working directory and from the tool.</summary>
    public static string FindWeightsFolder()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "weights");
                if (File.Exists(Path.Combine(dir.FullName, "Eclairs.Onboard.sln")) && Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "weights");
    }
}
