using BenchmarkDotNet.Running;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>Runs the benchmark classes chosen on the command line (BenchmarkDotNet's --filter).</summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
