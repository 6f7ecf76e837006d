using System;
using System.CommandLine;
using System.Globalization;
using Eclairs.Onboard.Inference;
using Spectre.Console;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs describe</c>: the layer table of an architecture or a model file (shapes, parameters, MACs).</summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        Option<string> arch = ArchitectureOption.Create();
        var model = new Option<string?>("--model") { Description = "Describe this .eclw file instead of a named architecture." };
        var parametersOnly = new Option<bool>("--parameters-only") { Description = "Print only the parameter count (for scripts)." };
        var command = new Command("describe", "Layer table of a network: output shapes, parameters, MACs.") { arch, model, parametersOnly };
        command.SetAction(parse =>
        {
            string? path = parse.GetValue(model);
            NetworkDescription network;
            string title;
            if (path is null)
            {
                network = ArchitectureOption.Resolve(parse.GetValue(arch)!);
                title = parse.GetValue(arch)!;
            }
            else
            {
                AlertClassifier loaded = AlertClassifier.LoadFile(path);
                network = loaded.Network;
                title = $"{loaded.Name} ({path}, {loaded.NumberFormat}, CRC-32 {loaded.Checksum:X8})";
            }

            if (parse.GetValue(parametersOnly))
            {
                Console.WriteLine(network.ParameterCount.ToString(CultureInfo.InvariantCulture));
                return 0;
            }

            var table = new Table().Title(Markup.Escape(title));
            table.AddColumns("#", "layer", "input", "output", "parameters", "MACs");
            foreach (LayerInfo layer in network.LayerInfos)
            {
                table.AddRow(
                    layer.Index.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(layer.Spec.ToString()),
                    Shape(layer.InputShape),
                    Shape(layer.OutputShape),
                    layer.ParameterCount.ToString("N0", CultureInfo.InvariantCulture),
                    layer.Macs.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"total: {network.ParameterCount:N0} parameters, {network.Macs:N0} MACs per inference");
            return 0;
        });
        return command;
    }

    private static string Shape(TensorShape s) => $"{s.Height}x{s.Width}x{s.Channels}";
}
