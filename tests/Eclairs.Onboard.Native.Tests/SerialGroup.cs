using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>
/// Tests that read process-wide GC counters run alone: another test allocating on a parallel thread could start a
/// collection that is not theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialGroup
{
    public const string Name = "serial: process-wide GC counters";
}
