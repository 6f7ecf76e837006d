using System.IO;
using Eclairs.Budget;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Budget.Tests;

public class MeasurementTests
{
    private static (float[], byte[]) Alert() =>
        VectorFileAlert.ReadFirst(File.ReadAllBytes(Path.Combine(Repository.Root, "tests", "native", "vectors", "eclairs-compact-v1.f32.eclv")));

    [Fact]
    public void FloatModelFiguresComeFromTheEngineAndEveryLayerIsAccountedFor()
    {
        string path = Repository.Weights("eclairs-compact-v1.f32.eclw");
        ModelFigures m = BudgetMeasurement.Measure(path, 5, Alert());
        Model model = Model.Load(File.ReadAllBytes(path));
        Assert.Equal("eclairs-compact-v1.f32", m.File);
        Assert.Equal(model.Macs, m.Macs);
        Assert.Equal(model.ModelBytes, m.ModelBytes);
        Assert.Equal(model.CreateContext().ContextBytes, m.ContextBytes);
        Assert.Equal(model.KernelPath.ToString(), m.BestPath);
        Assert.True(m.BestNanoseconds > 0 && m.ScalarNanoseconds > 0);
        StageTimes stages = Assert.IsType<StageTimes>(m.LayerNanoseconds);
        // Every layer's time is somewhere: the last prefix is the whole network, so no layer is left without an owner.
        Assert.All(stages.Owner, o => Assert.InRange(o, 0, m.Layers.Count - 1));
        // Pooling fused into the convolution before it: its time is the convolution's row.
        Assert.Equal(2, stages.Owner[3]);
        Assert.True(double.IsNaN(stages.Times[3]));
        Assert.False(double.IsNaN(stages.Times[2]));
    }

    [Fact]
    public void Int8ModelFiguresComeFromTheInt8Engine()
    {
        string path = Repository.Weights("eclairs-compact-v1.int8.eclw");
        ModelFigures m = BudgetMeasurement.Measure(path, 5, Alert());
        Int8Model model = Int8Model.Load(File.ReadAllBytes(path));
        Assert.Equal(NumberFormat.Int8, m.Format);
        Assert.Equal(model.ParameterBytes, m.ParameterBytes);
        Assert.Equal(model.ContextBytes, m.ContextBytes);
        Assert.Equal(model.ModelBytes, m.ModelBytes);
        Assert.Null(m.LayerNanoseconds);
    }
}
