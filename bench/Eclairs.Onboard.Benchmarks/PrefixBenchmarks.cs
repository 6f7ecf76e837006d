using BenchmarkDotNet.Attributes;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>
/// The deck network cut after 2, 4, 6, 8 and 11 layers (input stage; + conv1 and pool fused; + conv2 (Winograd) and
/// pool fused; + dense 128; whole network), on the path Auto picks, as planned for real (fusion, padding, Winograd):
/// successive differences give each stage's cost inside a classification.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PrefixBenchmarks
{
    private InferenceContext _context = null!;
    private float[] _snr = null!;
    private byte[] _mask = null!;
    private float[] _output = null!;

    [Params(2, 4, 6, 8, 11)]
    public int Layers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        NetworkDescription network = Architectures.CnnV1();
        _context = Model.FromDocument(BenchModels.RandomDocument(network, 1).Prefix(Layers)).CreateContext();
        (_snr, _mask) = BenchModels.Input(network.InputHeight, 2);
        _output = new float[_context.OutputLength];
    }

    [Benchmark]
    public int Evaluate() => _context.Evaluate(_snr, _mask, _output);
}
