#:project ../Eclairs.Training.csproj
#:package BenchmarkDotNet
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
// BenchmarkDotNet measurement of training speed, in process (a file-based app cannot be rebuilt by BDN's toolchain):
//   dotnet run tools/Eclairs.Training/scripts/bench.cs -c Release
// Each benchmark trains one epoch of 64 random 56x56 alerts (batch 16, symmetries + noise, no validation, no
// re-initialisation): samples/s = 64 / mean time. Forward measures one alert's probability.
using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Eclairs.Training;
using Eclairs.Training.Data;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

BenchmarkRunner.Run<TrainingBenchmarks>(
    DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance)).WithOptions(ConfigOptions.DisableOptimizationsValidator),
    args);

[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private const int Alerts = 64;
    private Trainer _trainer = null!;
    private LabelledAlerts _data = null!;
    private TrainingNetwork _network = null!;
    private NetworkWorkspace _workspace = null!;
    private float[] _snr = null!;
    private byte[] _mask = null!;

    [Params("cnn-v1", "compact-v1")]
    public string Architecture { get; set; } = "cnn-v1";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256StarStar(1);
        int pixels = 56 * 56;
        var snr = new float[Alerts * pixels];
        var mask = new byte[Alerts * pixels];
        var labels = new byte[Alerts];
        for (int i = 0; i < snr.Length; i++)
        {
            snr[i] = (float)rng.NextGaussian();
            mask[i] = (byte)(i % pixels == 28 * 56 + 28 ? 3 : 1);
        }

        for (int i = 0; i < Alerts; i++)
        {
            labels[i] = (byte)(i % 2);
        }

        _data = new LabelledAlerts(snr, mask, labels);
        _snr = snr[..pixels];
        _mask = mask[..pixels];
        _network = new TrainingNetwork(Architectures.ByName(Architecture));
        _network.Initialize(1);
        _workspace = _network.CreateWorkspace();
        _trainer = new Trainer(_network, new TrainingOptions
        {
            Epochs = 1, BatchSize = 16, ValidationFraction = 0, Patience = 0, InitializeWeights = false, MaxDegreeOfParallelism = Threads,
            Augmentation = new AugmentationOptions { Symmetries = true, SnrNoiseSigma = 0.1 },
        });
    }

    [Benchmark]
    public TrainingResult TrainEpochOf64() => _trainer.Fit(_data);

    [Benchmark]
    public float Forward() => _network.PredictProbability(_snr, _mask, _workspace);
}
