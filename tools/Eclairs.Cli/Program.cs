using System;

namespace Eclairs.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.WriteLine("eclairs: no commands yet");
        return args.Length == 0 ? 0 : 2;
    }
}
