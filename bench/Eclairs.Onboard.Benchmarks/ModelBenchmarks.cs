using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>Loading the deck network's file (parse, validate, CRC, plan, Winograd transform) and re-checking its parameters.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ModelBenchmarks
{
    private byte[] _file = null!;
    private Model _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = EclwWriter.ToBytes(BenchModels.RandomDocument(Architectures.CnnV1(), 1));
        _model = Model.Load(_file);
    }

    [Benchmark]
    public Model Load() => Model.Load(_file);

    [Benchmark]
    public bool Verify() => _model.Verify();
}
