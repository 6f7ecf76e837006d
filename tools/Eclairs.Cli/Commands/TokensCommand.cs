using System;
using System.CommandLine;
using Eclairs.Ground.Storage;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs tokens add</c>: an API token for an ingest client (or a script), printed once, alone on the last line.</summary>
internal static class TokensCommand
{
    public static Command Create()
    {
        var data = new GroundDataOptions();
        var name = new Option<string>("--name") { Description = "What the token is for (shown as token:NAME).", Required = true };
        var role = new Option<string>("--role") { Description = "ingest (sends alerts and notices only), reader or advocate.", Required = true };
        var add = new Command("add", "Create a token; only its SHA-256 is stored, so it is shown this once.") { name, role };
        data.AddTo(add);
        add.SetAction(parse =>
        {
            using Database db = data.Open(parse);
            string token;
            try
            {
                token = new AccountStore(db).AddToken(parse.GetValue(name)!, parse.GetValue(role)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"tokens add: {e.Message}");
                return 2;
            }

            Console.WriteLine($"tokens add: token '{parse.GetValue(name)}' ({parse.GetValue(role)}) for {db.Description}; send it as 'Authorization: Bearer <token>'. It is shown once:");
            Console.WriteLine(token);
            return 0;
        });
        return new Command("tokens", "API tokens of the ground service's clients.") { add };
    }
}
