using System;
using System.CommandLine;
using System.IO;
using Eclairs.Ground;
using Eclairs.Ground.Storage;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs verdicts</c>: the judged alerts as a data set (npz), labelled by their latest verdict, for train and evaluate.</summary>
internal static class VerdictsCommand
{
    public static Command Create()
    {
        var data = new GroundDataOptions();
        var output = new Option<string>("--out") { Description = "Data set to write (.npz).", Required = true };
        var command = new Command("verdicts", "Write the alerts the Burst Advocates judged as an npz data set (label 0 false, 1 true, 2 unclear).") { output };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            using Database db = data.Open(parse);
            string path = parse.GetValue(output)!;
            int count;
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                count = VerdictExport.Write(new AlertStore(db), new VerdictStore(db), file);
            }

            Console.WriteLine($"verdicts: {count} judged alerts written to {path}");
            return 0;
        });
        return command;
    }
}
