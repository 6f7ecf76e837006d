using Xunit;

namespace Eclairs.Tools.Tests;

public class SkeletonTests
{
    [Fact]
    public void SimulationAssemblyLoads() =>
        Assert.Equal("Eclairs.Simulation", typeof(Eclairs.Simulation.AssemblyMarker).Assembly.GetName().Name);
}
