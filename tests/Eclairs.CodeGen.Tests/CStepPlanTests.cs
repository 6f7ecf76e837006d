using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.CodeGen.Tests;

public sealed class CStepPlanTests
{
    private static CStepPlan PlanOf(string relative)
    {
        ModelDocument document = EclwReader.Read(RepositoryFiles.Read(relative));
        return CStepPlan.Create(document.Network, Int8Parameters.FromDocument(document));
    }

    [Fact]
    public void CompactNetworkFusesEveryPoolIntoItsConvolution()
    {
        CStepPlan plan = PlanOf("weights/eclairs-compact-v1.int8.eclw");
        Assert.Equal(
            [COperation.Conv2DMaxPool, COperation.Conv2DMaxPool, COperation.Conv2DMaxPool, COperation.Conv2D,
             COperation.GlobalAveragePool, COperation.Dense, COperation.Dense],
            plan.Steps.Select(s => s.Operation));
        // By hand: the largest input + output is the first step's, 56x56x2 in and 28x28x16 out.
        Assert.Equal(56 * 56 * 2, plan.InputBytes);
        Assert.Equal((56 * 56 * 2) + (28 * 28 * 16), plan.ScratchBytes);
        Assert.Equal(new TensorShape(1, 1, 1), plan.Steps[^1].Out);
    }

    [Fact]
    public void DeckNetworkScratchIsItsLargestStep()
    {
        CStepPlan plan = PlanOf("weights/eclairs-cnn-v1.int8.eclw");
        // conv 32 + pool on 56x56x2, then conv 64 + pool on 28x28x32: 25,088 in + 12,544 out.
        Assert.Equal((28 * 28 * 32) + (14 * 14 * 64), plan.ScratchBytes);
        Assert.Equal(COperation.Dense, plan.Steps[^1].Operation);
    }

    [Theory]
    [InlineData("weights/eclairs-compact-v1.int8.eclw")]
    [InlineData("weights/eclairs-cnn-v1.int8.eclw")]
    [InlineData("tests/Eclairs.Onboard.Inference.Tests/Quantized/Golden/compact-random.int8.eclw")]
    public void EachStepReadsThePreviousOutputAndNeverOverlapsIt(string model)
    {
        CStepPlan plan = PlanOf(model);
        int source = 0;
        long previousSize = plan.InputBytes;
        foreach (CStep s in plan.Steps)
        {
            Assert.Equal(source, s.Source);
            Assert.Equal(previousSize, s.In.Size);
            Assert.InRange(s.Source + s.In.Size, 0, plan.ScratchBytes);
            Assert.InRange(s.Destination + s.Out.Size, 0, plan.ScratchBytes);
            bool apart = s.Source + s.In.Size <= s.Destination || s.Destination + s.Out.Size <= s.Source;
            Assert.True(apart, $"layer {s.LayerIndex}: input [{s.Source}, +{s.In.Size}) and output [{s.Destination}, +{s.Out.Size}) overlap");
            source = s.Destination;
            previousSize = s.Out.Size;
        }
        Assert.Equal(plan.OutputOffset, source);
        Assert.Equal(plan.Steps.Max(s => s.In.Size + s.Out.Size), plan.ScratchBytes);
    }
}
