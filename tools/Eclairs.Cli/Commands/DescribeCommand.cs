using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Training.Networks;
using Spectre.Console;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs describe</c>: the layers of an architecture (named or a .json file) or of a model file, each as a person
/// reads it (<c>conv2d 3x3 16 same relu</c>) with the index and name <c>train --freeze</c> takes, its output shape,
/// parameters and MACs.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        Option<string> arch = ArchitectureOption.Create();
        var model = new Option<string?>("--model") { Description = "Describe this .eclw file instead of an architecture." };
        var parametersOnly = new Option<bool>("--parameters-only") { Description = "Print only the parameter count (for scripts)." };
        var saveArch = new Option<string?>("--save-arch") { Description = "Also write the architecture as a .json file to edit and train with --arch." };
        var command = new Command("describe", "Layers of a network as a person reads them, with the names --freeze takes: output shapes, parameters, MACs.")
        {
            arch, model, parametersOnly, saveArch,
        };
        command.SetAction(parse =>
        {
            string? path = parse.GetValue(model);
            NetworkDescription network;
            string title, name;
            if (path is null)
            {
                string value = parse.GetValue(arch)!;
                NetworkSpec spec = ArchitectureOption.ResolveSpec(value);
                network = Eclairs.Training.Export.EngineModel.ToDescription(spec);
                name = spec.Name;
                title = ArchitectureOption.IsFile(value) ? $"{spec.Name} ({value})" : spec.Name;
            }
            else
            {
                AlertClassifier loaded = AlertClassifier.LoadFile(path);
                network = loaded.Network;
                name = loaded.Name;
                title = $"{loaded.Name} ({path}, {loaded.NumberFormat}, CRC-32 {loaded.Checksum:X8})";
            }

            if (parse.GetValue(saveArch) is { } archPath)
            {
                File.WriteAllText(archPath, ArchitectureFile.Format(name, network));
            }

            if (parse.GetValue(parametersOnly))
            {
                Console.WriteLine(network.ParameterCount.ToString(CultureInfo.InvariantCulture));
                return 0;
            }

            IReadOnlyList<string> names = LayerText.Names(network);
            var table = new Table().Title(Markup.Escape(title));
            table.AddColumns("#", "name", "layer", "output", "parameters", "MACs");
            table.Columns[2].NoWrap();
            foreach (LayerInfo layer in network.LayerInfos)
            {
                table.AddRow(
                    layer.Index.ToString(CultureInfo.InvariantCulture),
                    names[layer.Index],
                    Markup.Escape(LayerText.Format(layer.Spec)),
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

    private static string Shape(Eclairs.Onboard.Inference.TensorShape s) => $"{s.Height}x{s.Width}x{s.Channels}";
}
