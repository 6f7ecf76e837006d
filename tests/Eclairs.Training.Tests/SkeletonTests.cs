using Xunit;

namespace Eclairs.Training.Tests;

public class SkeletonTests
{
    [Fact]
    public void TrainingAssemblyLoads() =>
        Assert.Equal("Eclairs.Training", typeof(Eclairs.Training.AssemblyMarker).Assembly.GetName().Name);
}
