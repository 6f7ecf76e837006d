using System;
using Eclairs.Training.Networks;
using Xunit;

namespace Eclairs.Training.Tests;

public class AllocationTests
{
    [Fact]
    public void Forward_and_backward_allocate_nothing_after_setup()
    {
        var network = new TrainingNetwork(Architectures.CompactV1());
        network.Initialize(1);
        NetworkWorkspace workspace = network.CreateWorkspace();
        workspace.InputSpan.Fill(0.5f);
        float[] gradient = new float[network.ParameterCount];
        for (int i = 0; i < 20; i++)
        {
            network.ForwardBackward(workspace, i % 2, 1.0, gradient, (ulong)i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            network.ForwardBackward(workspace, i % 2, 1.0, gradient, (ulong)i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
