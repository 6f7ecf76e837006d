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

    private static CStepPlan PlanOf(NetworkDescription network)
    {
        ModelDocument document = ExtremeModels.Random(network, 1, tame: true);
        return CStepPlan.Create(document.Network, Int8Parameters.FromDocument(document));
    }

    [Fact]
    public void KeptOutputsOfTheResidualNetworkHaveTheirOwnSlotsAfterThePingPongArea()
    {
        CStepPlan plan = PlanOf(ExtremeModels.Network("Residual"));
        // Steps: conv+pool (kept: block 1's input), conv, conv, Add (kept: read by the Branch), conv stride 2, conv
        // (kept: the second Add's input 2), 1x1 stride 2 (reads block 1's output), Add, average pool, 1x1, GAP, dense.
        Assert.Equal(12, plan.Steps.Count);
        // By hand: the ping-pong area is the largest step between two unkept 28x28x16 outputs; the kept region holds
        // the two 28x28x16 outputs alive together (layers 3 and 6 at the first Add); layer 8's 14x14x32 reuses layer 3's slot.
        int area = 2 * 28 * 28 * 16;
        Assert.Equal(2 * 28 * 28 * 16, plan.KeptBytes);
        Assert.Equal(area + plan.KeptBytes, plan.ScratchBytes);
        Assert.Equal(0, plan.InputOffset);
        CStep first = plan.Steps[0], add1 = plan.Steps[3], projection = plan.Steps[6], add2 = plan.Steps[7];
        Assert.Equal(area, first.Destination);                 // layer 3 in the first slot
        Assert.Equal(first.Destination, add1.Residual);         // the first Add reads it
        Assert.Equal(area + (28 * 28 * 16), add1.Destination);  // layer 6 in the second slot
        Assert.Equal(add1.Destination, projection.Source);      // the Branch: the projection reads layer 6's slot
        Assert.Equal(area, plan.Steps[5].Destination);          // layer 8 reuses the first slot (layer 3 is dead)
        Assert.Equal(plan.Steps[5].Destination, add2.Residual);
        Assert.True(add2.Source < area && add2.Destination < area);
    }

    [Fact]
    public void AnAddThatReadsTheInputKeepsTheInputInItsOwnSlot()
    {
        CStepPlan plan = PlanOf(ExtremeModels.Network("ResidualSmall"));
        // By hand: the largest ping-pong step is the first Add, 9x9x2 in and out; the kept region is the input's 162
        // bytes, reused later by the 4x4x2 average pool output and the 2x2x8 output of layer 6 (32 bytes each).
        Assert.Equal(2 * 162, plan.InputOffset);
        Assert.Equal(162, plan.KeptBytes);
        Assert.Equal((2 * 162) + 162, plan.ScratchBytes);
        Assert.Equal(plan.InputOffset, plan.Steps[0].Source);
        Assert.Equal(plan.InputOffset, plan.Steps[1].Residual);
        Assert.Equal(plan.InputOffset, plan.Steps[2].Destination);      // the average pool reuses the input's slot
        Assert.Equal(plan.InputOffset + 32, plan.Steps[4].Destination); // layer 6, alive with it
        Assert.Equal(plan.InputOffset, plan.Steps[7].Source);           // the Branch back to the average pool
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
