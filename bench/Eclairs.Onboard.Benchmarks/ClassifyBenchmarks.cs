using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>End-to-end classification (validation, all layers, sigmoid), one thread, batch 1, per kernel path.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ClassifyBenchmarks
{
    private InferenceContext _context = null!;
    private float[] _snr = null!;
    private byte[] _mask = null!;

    [Params("CnnV1", "CompactV1")]
    public string Network { get; set; } = "CnnV1";

    [Params(KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512)]
    public KernelPath Path { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        NetworkDescription network = BenchModels.Network(Network);
        Model model = Model.FromDocument(BenchModels.RandomDocument(network, 1), new ModelOptions { KernelPath = Path });
        _context = model.CreateContext();
        (_snr, _mask) = BenchModels.Input(network.InputHeight, 2);
    }

    [Benchmark]
    public float Classify() => _context.Classify(_snr, _mask).Probability;
}
