using System;
using System.CommandLine;
using Eclairs.Ground;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Storage;
using Microsoft.AspNetCore.Builder;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs serve</c>: the Burst Advocates' ground service (docs/ground.md) in one process: ingest over HTTP, the VHF
/// TCP listener and the notices folder, classification with every model, the database, the pages and the API.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new GroundDataOptions();
        var urls = new Option<string>("--urls") { Description = "Where to listen (ASP.NET Core's --urls).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var models = new Option<string?>("--models") { Description = "Folder of .eclw models, each classifying every alert (default: the repository's weights/)." };
        var vhf = new Option<string?>("--vhf-listen") { Description = "Also take VHF packets on this TCP port of the loopback (or ADDRESS:PORT)." };
        var notices = new Option<string?>("--notices-dir") { Description = "Also take the VOEvent notices (*.xml) dropped in this folder." };
        var timeout = new Option<double>("--vhf-timeout") { Description = "Seconds after its last packet that a sequence missing parts is stored as incomplete.", DefaultValueFactory = _ => 60 };
        var command = new Command("serve", "Run the ground service: alert sequences and notices in, classification, alert pages, verdicts.")
        {
            urls, models, vhf, notices, timeout,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            string modelsDir = parse.GetValue(models) ?? GroundDataOptions.FindWeightsFolder();
            var options = new GroundOptions
            {
                DataDir = parse.GetValue(data.DataDir)!,
                Postgres = parse.GetValue(data.Postgres),
                ModelsDir = modelsDir,
                Urls = parse.GetValue(urls)!,
                VhfListen = parse.GetValue(vhf),
                NoticesDir = parse.GetValue(notices),
                VhfTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            };
            using Database db = data.Open(parse);
            ClassifierBank bank = ClassifierBank.LoadFolder(modelsDir);
            WebApplication app = GroundServer.Build(options, db, bank);
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                Console.WriteLine($"eclairs serve: {db.Description}; {bank.Count} models from {modelsDir}");
                foreach ((string name, string format, uint checksum, float threshold) in bank.Models)
                {
                    Console.WriteLine($"  model {name} {format} checksum 0x{checksum:X8} threshold {threshold}");
                }

                Console.WriteLine($"eclairs serve: listening on {GroundServer.Address(app)}");
                if (new AccountStore(db).UserCount() == 0)
                {
                    Console.WriteLine("eclairs serve: no account yet; add one with: eclairs users add --data-dir DIR --name NAME --role advocate");
                }
            });
            app.Run();
            return 0;
        });
        return command;
    }
}
