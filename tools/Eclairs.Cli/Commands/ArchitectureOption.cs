using System.CommandLine;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using TrainingArchitectures = Eclairs.Training.Networks.Architectures;

namespace Eclairs.Cli.Commands;

/// <summary>The <c>--arch</c> option: a named architecture or an architecture file (.json, docs/training.md).</summary>
internal static class ArchitectureOption
{
    public static Option<string> Create() => new("--arch")
    {
        Description = $"Architecture: {string.Join(", ", TrainingArchitectures.Names)}, or a .json architecture file (describe --save-arch writes one).",
        DefaultValueFactory = _ => "cnn-v1",
    };

    /// <summary>True when the value names a file rather than an architecture.</summary>
    public static bool IsFile(string value) =>
        value.EndsWith(".json", System.StringComparison.OrdinalIgnoreCase) || File.Exists(value);

    /// <summary>The trainer's architecture.</summary>
    public static NetworkSpec ResolveSpec(string value) =>
        IsFile(value) ? ArchitectureFile.Read(value) : TrainingArchitectures.ByName(value);

    /// <summary>The engine's description of the same architecture.</summary>
    public static NetworkDescription Resolve(string value) => EngineModel.ToDescription(ResolveSpec(value));

    /// <summary>Whether the user gave --arch (rather than leaving the default).</summary>
    public static bool Given(ParseResult parse, Option<string> option) => parse.GetResult(option) is { Implicit: false };
}
