using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace Eclairs.Fuzz;

/// <summary>
///   eclairs-fuzz                      the AFL++ target (SharpFuzz, out of process): one input per run on stdin/file
///   eclairs-fuzz seed DIR [FILES...]  writes the seed corpus (tiny models, FILES, damaged variants) into DIR
///   eclairs-fuzz replay FILES...      runs the harness on each file (regression replay of crashes, corpus check)
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "seed")
        {
            Console.WriteLine($"seed corpus: {SeedCorpus.Write(args[1], args.Skip(2))} files in {args[1]}");
            return 0;
        }
        if (args.Length >= 1 && args[0] == "replay")
        {
            int failed = 0;
            foreach (string file in args.Skip(1))
            {
                try
                {
                    LoaderHarness.Run(File.ReadAllBytes(file));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Console.Error.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
                    failed++;
                }
            }
            Console.WriteLine($"fuzz replay: {args.Length - 1 - failed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            LoaderHarness.Run(buffer.ToArray());
        });
        return 0;
    }
}
