using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Eclairs.CodeGen;
using Eclairs.Onboard.Inference;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs codegen</c>: an int8 model as freestanding C99 for LEON-class targets (docs/leon3.md).</summary>
internal static class CodegenCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "int8 model file (.eclw).", Required = true };
        var output = new Option<string>("--out") { Description = "Directory for the generated and kernel C files.", Required = true };
        var prefix = new Option<string?>("--prefix") { Description = "C symbol prefix (default: from the model name)." };
        var kernels = new Option<string>("--kernels")
        {
            Description = "fast: Winograd F(2x2) and paired dense where they apply (fewest instructions); small: the plain direct kernels (smallest code and parameters).",
            DefaultValueFactory = _ => "fast",
        };
        kernels.AcceptOnlyFromAmong("fast", "small");
        var stack = new Option<string[]>("--stack")
        {
            Description = "Also write the worst-case stack of the entry points on this target (leon3, cortex-m4; repeatable): compiles the C with the target's cross compiler and -fstack-usage.",
            AllowMultipleArgumentsPerToken = false,
        };
        stack.AcceptOnlyFromAmong([.. CStackTarget.All.Select(t => t.Name)]);
        var command = new Command("codegen", "Generate portable C99 (parameters, plan, entry points) from an int8 model.")
        {
            model, output, prefix, kernels, stack,
        };
        command.SetAction(parse =>
        {
            byte[] file = File.ReadAllBytes(parse.GetValue(model)!);
            try
            {
                foreach (string path in CodeGenerator.WriteTo(parse.GetValue(output)!, file, parse.GetValue(prefix),
                    parse.GetValue(kernels) == "small" ? CTarget.Small : CTarget.Fast,
                    [.. (parse.GetValue(stack) ?? []).Select(CStackTarget.Named)]))
                {
                    Console.WriteLine(path);
                }
            }
            catch (Exception e) when (e is ModelFormatException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                Console.Error.WriteLine($"codegen: {e.Message}");
                return 1;
            }
            return 0;
        });
        return command;
    }
}
