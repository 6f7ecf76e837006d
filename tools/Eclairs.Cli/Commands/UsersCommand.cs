using System;
using System.CommandLine;
using Eclairs.Ground.Storage;

namespace Eclairs.Cli.Commands;

/// <summary><c>eclairs users add</c>: an account for a Burst Advocate (or a reader); the password is read from standard input.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var data = new GroundDataOptions();
        var name = new Option<string>("--name") { Description = "Login name.", Required = true };
        var role = new Option<string>("--role") { Description = "advocate (reads and records verdicts) or reader (reads only).", Required = true };
        var add = new Command("add", "Add an account; the password (at least 10 characters) is read from standard input.") { name, role };
        data.AddTo(add);
        add.SetAction(parse =>
        {
            using Database db = data.Open(parse);
            string password = GroundDataOptions.ReadPassword("password: ");
            try
            {
                new AccountStore(db).AddUser(parse.GetValue(name)!, parse.GetValue(role)!, password);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"users add: {e.Message}");
                return 2;
            }

            Console.WriteLine($"users add: {parse.GetValue(name)} ({parse.GetValue(role)}) added to {db.Description}");
            return 0;
        });
        return new Command("users", "Accounts of the people who use the ground service.") { add };
    }
}
