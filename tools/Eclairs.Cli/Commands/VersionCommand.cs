using System;
using System.CommandLine;
using System.Reflection;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs version</c>: the tool's and the runtime's versions.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the tool's version and the .NET runtime it runs on.");
        command.SetAction(_ =>
        {
            string version = typeof(VersionCommand).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"eclairs {version} on .NET {Environment.Version}");
            return 0;
        });
        return command;
    }
}
