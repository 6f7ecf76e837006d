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

    [Fact]
    public void FastPlansTakeWinogradForEveryThreeByThreeLayerAndPairsForDense()
    {
        ModelDocument compact = EclwReader.Read(RepositoryFiles.Read("weights/eclairs-compact-v1.int8.eclw"));
        CStepPlan plan = CStepPlan.Create(compact.Network, Int8Parameters.FromDocument(compact), CTarget.Fast);
        Assert.Equal(
            [CKernel.Winograd4, CKernel.Winograd4, CKernel.Winograd4, CKernel.Winograd4, CKernel.GlobalAveragePool, CKernel.DensePairs, CKernel.DensePairs],
            plan.Steps.Select(s => s.Kernel));
        // The shipped layers have no left shift and small biases: the pooled steps requantize the max of the sums.
        Assert.Equal([CPool.MaxOfSums, CPool.MaxOfSums, CPool.MaxOfSums, CPool.None], plan.Steps.Take(4).Select(s => s.Pool));
        // F(4x4) tiles: 56x56 pooled to 28x28 is 14x14 tiles of 4x4; 7x7 unpooled 2x2 tiles (overhanging).
        Assert.Equal((14, 14), (plan.Steps[0].TilesY, plan.Steps[0].TilesX));
        Assert.Equal((2, 2), (plan.Steps[3].TilesY, plan.Steps[3].TilesX));
        // Working memory, by hand: the band of conv3 (32 channels, 6 rows of 4 * 4 + 2 columns) is the largest (conv2:
        // 16 x 6 x 30, conv4: 48 x 6 x 10), v = 36 positions x 48 channels (conv4) x 2 tiles, m = 36 x 2 x 8.
        Assert.Equal(new CWorkspace(6 * 18 * 32, 36 * 48 * 2, 36 * 2 * 8), plan.Workspace);
        Assert.Equal(CWorkspace.None, CStepPlan.Create(compact.Network, Int8Parameters.FromDocument(compact), CTarget.Small).Workspace);
    }
}
