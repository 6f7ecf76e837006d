using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Training;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Eclairs.Training.Optimization;

namespace Eclairs.Cli.Commands;

/// <summary>
/// The options <c>train</c> and <c>crossval</c> share (architecture or parent model, frozen layers, optimiser, epochs,
/// early stopping) and what they resolve to: a fresh network per run and the trainer's options.
/// </summary>
internal sealed class TrainingArguments
{
    private TrainingArguments(bool allowNoTraining)
    {
        Arch = ArchitectureOption.Create();
        Epochs = new Option<int>("--epochs")
        {
            Description = allowNoTraining ? "Most epochs (early stopping may end sooner); 0 scores the --init model as it is." : "Most epochs (early stopping may end sooner).",
            DefaultValueFactory = _ => 40,
        };
        AllowNoTraining = allowNoTraining;
    }

    public Option<string> Arch { get; }

    public Option<string?> Init { get; } = new("--init") { Description = "Start from this float32 model (transfer learning); its architecture is used." };

    public Option<string?> Freeze { get; } = new("--freeze") { Description = "Layers kept fixed, by name or index as `describe` prints them, e.g. conv1,conv2 (needs --init)." };

    public Option<string?> Qat { get; } = new("--qat") { Description = "Quantization-aware fine-tuning through the grids of this int8 model (quantized from --init)." };

    public Option<int> Epochs { get; }

    public Option<int> Batch { get; } = new("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 16 };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of initialisation, split, shuffles, dropout, augmentation.", DefaultValueFactory = _ => 1 };

    public Option<int> Patience { get; } = new("--patience") { Description = "Epochs without a better validation loss before stopping (0: never).", DefaultValueFactory = _ => 8 };

    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam step size.", DefaultValueFactory = _ => 1e-3 };

    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Decoupled (AdamW) weight decay on weights, not biases.", DefaultValueFactory = _ => 0 };

    private bool AllowNoTraining { get; }

    public static TrainingArguments AddTo(Command command, bool allowNoTraining = false)
    {
        var a = new TrainingArguments(allowNoTraining);
        foreach (Option option in new Option[] { a.Arch, a.Init, a.Freeze, a.Qat, a.Epochs, a.Batch, a.Seed, a.Patience, a.LearningRate, a.WeightDecay })
        {
            command.Options.Add(option);
        }

        return a;
    }

    public TrainingPlan Resolve(ParseResult parse)
    {
        int epochs = parse.GetValue(Epochs), batch = parse.GetValue(Batch), patience = parse.GetValue(Patience);
        double lr = parse.GetValue(LearningRate), decay = parse.GetValue(WeightDecay);
        Require(epochs >= (AllowNoTraining ? 0 : 1), $"--epochs {epochs} must be >= {(AllowNoTraining ? 0 : 1)}");
        Require(batch >= 1, $"--batch {batch} must be >= 1");
        Require(patience >= 0, $"--patience {patience} must be >= 0");
        Require(lr > 0 && double.IsFinite(lr), $"--lr {lr} must be a finite step size > 0");
        Require(decay >= 0 && double.IsFinite(decay), $"--weight-decay {decay} must be finite and >= 0");

        string? initPath = parse.GetValue(Init);
        string? freeze = parse.GetValue(Freeze);
        Require(freeze is null || initPath is not null, "--freeze needs --init: frozen layers of a network that starts from random weights would stay random");
        Require(epochs > 0 || initPath is not null, "--epochs 0 needs --init: it scores that model as it is");
        string? qatPath = parse.GetValue(Qat);
        Require(qatPath is null || initPath is not null, "--qat needs --init: the int8 model's grids belong to the float model it was quantized from");
        ModelDocument? parent = null;
        uint parentChecksum = 0;
        NetworkSpec spec;
        if (initPath is not null)
        {
            byte[] bytes = File.ReadAllBytes(initPath);
            try
            {
                parent = EclwReader.Read(bytes);
                spec = EngineModel.ToTrainingNetwork(parent).Spec;
            }
            catch (Exception e) when (e is ModelFormatException or ArgumentException)
            {
                throw new InvalidDataException($"{initPath}: {e.Message}", e);
            }

            parentChecksum = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
            if (ArchitectureOption.Given(parse, Arch))
            {
                NetworkDescription wanted = ArchitectureOption.Resolve(parse.GetValue(Arch)!);
                Require(wanted.Layers.SequenceEqual(parent.Network.Layers),
                    $"--arch {parse.GetValue(Arch)} is not the architecture of --init {initPath} ({parent.Name}); leave --arch out to fine-tune that model");
            }
        }
        else
        {
            spec = ArchitectureOption.ResolveSpec(parse.GetValue(Arch)!);
        }

        NetworkDescription description = EngineModel.ToDescription(spec);
        IReadOnlySet<int> frozenEngine = new HashSet<int>();
        if (freeze is not null)
        {
            try
            {
                frozenEngine = LayerText.Select(freeze, description);
            }
            catch (FormatException e)
            {
                throw new CommandUsageException($"--freeze {freeze}: {e.Message}", e);
            }
        }

        FakeQuantization? quantization = null;
        string qatLine = "";
        if (qatPath is not null)
        {
            byte[] qatBytes = File.ReadAllBytes(qatPath);
            try
            {
                ModelDocument int8 = EclwReader.Read(qatBytes);
                Require(int8.NumberFormat == NumberFormat.Int8, $"--qat {qatPath} is a {int8.NumberFormat} model; give the int8 model quantized from --init");
                Require(int8.Network.Layers.SequenceEqual(parent!.Network.Layers), $"--qat {qatPath} ({int8.Name}) has another architecture than --init {initPath}");
                quantization = FakeQuantization.FromInt8(int8, EngineModel.ToTrainingNetwork(parent));
            }
            catch (Exception e) when (e is ModelFormatException or ArgumentException)
            {
                throw new InvalidDataException($"{qatPath}: {e.Message}", e);
            }

            qatLine = string.Create(CultureInfo.InvariantCulture, $"; quantization-aware through {Path.GetFileName(qatPath)} CRC-32 {BinaryPrimitives.ReadUInt32LittleEndian(qatBytes.AsSpan(qatBytes.Length - 4)):X8}");
        }

        IReadOnlyList<string> names = LayerText.Names(description);
        var options = new TrainingOptions
        {
            Epochs = Math.Max(1, epochs),
            BatchSize = batch,
            Seed = parse.GetValue(Seed),
            Patience = patience,
            Adam = new AdamOptions { LearningRate = lr, WeightDecay = decay },
            InitializeWeights = parent is null,
            FrozenLayers = frozenEngine.Select(i => i - 2).ToHashSet(),
            Quantization = quantization,
        };
        string arguments = string.Create(CultureInfo.InvariantCulture,
            $"{(initPath is null ? $"--arch {parse.GetValue(Arch)}" : $"--init {Path.GetFileName(initPath)}")}{(freeze is null ? "" : $" --freeze {freeze}")}{(qatPath is null ? "" : $" --qat {Path.GetFileName(qatPath)}")} --epochs {epochs} --batch {batch} --seed {options.Seed} --patience {patience} --lr {lr} --weight-decay {decay}");
        string lineage = parent is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture,
                $"parent: {parent.Name} {Path.GetFileName(initPath)} CRC-32 {parentChecksum:X8}; frozen: {(frozenEngine.Count == 0 ? "none" : string.Join(", ", frozenEngine.Select(i => $"{names[i]} (layer {i})")))}{qatLine}");
        return new TrainingPlan(spec, parent, options, epochs == 0, arguments, lineage);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new CommandUsageException(message);
        }
    }
}

/// <summary>What a training run starts from and how it trains.</summary>
/// <param name="Arguments">The training options as a command line, for provenance.</param>
/// <param name="Lineage">"parent: ... CRC-32 ...; frozen: ..." for a fine-tuned model, else empty.</param>
internal sealed record TrainingPlan(NetworkSpec Spec, ModelDocument? Parent, TrainingOptions Options, bool NoTraining, string Arguments, string Lineage)
{
    /// <summary>A fresh network: the parent's parameters, or (left to the trainer) random ones.</summary>
    public TrainingNetwork NewNetwork() => Parent is null ? new TrainingNetwork(Spec) : EngineModel.ToTrainingNetwork(Parent);
}
