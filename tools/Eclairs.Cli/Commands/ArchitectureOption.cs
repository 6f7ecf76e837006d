using System;
using System.CommandLine;
using Eclairs.Onboard.Inference;

namespace Eclairs.Cli.Commands;

/// <summary>The <c>--arch</c> option shared by the commands that build a network by name.</summary>
internal static class ArchitectureOption
{
    public static Option<string> Create() => new("--arch")
    {
        Description = $"Architecture: {string.Join(", ", Architectures.Names)}.",
        DefaultValueFactory = _ => "cnn-v1",
    };

    public static NetworkDescription Resolve(string name) =>
        Architectures.FromName(name) ?? throw new ArgumentException(
            $"unknown architecture '{name}'; known: {string.Join(", ", Architectures.Names)}");
}
