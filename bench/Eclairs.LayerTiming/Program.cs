using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.LayerTiming;

// eclairs-layer-timing <model.eclw> [rounds] [calls per round] [--variants 2,4,2w2] [--native <libeclairs_onboard.so> ...]
// Times each planned step alone (RunStep on the context's buffers, after a full classification filled them) and the
// whole classification, interleaved round by round; prints the minimum and median per call in microseconds. Run it
// under the JIT (dotnet run -c Release --project bench/Eclairs.LayerTiming -- ...) and as a NativeAOT executable
// (dotnet publish -c Release -r linux-x64 -p:IlcInstructionSet=x86-64-v3 ...) on the same machine to compare.
// With --native (under the JIT), the whole classification is also timed through the native library's ecl_classify,
// round by round interleaved with the managed engine in the same process: the fair AOT-vs-JIT ratio on a loaded machine.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: eclairs-layer-timing <model.eclw> [rounds=41] [calls=50]");
    return 2;
}
int native = Array.IndexOf(args, "--native");
string[]? nativeLibraries = native >= 0 ? args[(native + 1)..] : null;
if (native >= 0)
{
    args = args[..native];
}
// --variants 2,4,2w2: the model loaded once per variant, interleaved round by round: a float register tile width
// forced (the selector's choice otherwise), optionally with w<largest Winograd tile> (MaxWinogradTile); or p<n>, the
// kernel path n forced (KernelPath: 2 Vector128, 3 Vector256, 4 Vector512).
int variantsAt = Array.IndexOf(args, "--variants");
string[] tiles = ["default"];
if (variantsAt >= 0)
{
    tiles = args[variantsAt + 1].Split(',');
    args = [.. args[..variantsAt], .. args[(variantsAt + 2)..]];
}
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 41;
int calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
byte[] file = File.ReadAllBytes(args[0]);
AlertClassifier classifier = AlertClassifier.Load(file);
(float[] snr, byte[] mask) = Alert(classifier.Network.InputHeight, classifier.Network.InputWidth);
KernelAlgorithm[] algorithms = classifier.StepAlgorithms();
int steps = algorithms.Length;
var classifies = new Action[tiles.Length];
var plans = new KernelAlgorithm[tiles.Length][];
var stepRunners = new Action<int>[tiles.Length];
var kernelPaths = new KernelPath[tiles.Length];
for (int v = 0; v < tiles.Length; v++)
{
    string[] parts = tiles[v].Split('w');
    AlertClassifier loaded = tiles[v] switch
    {
        "default" => classifier,
        ['p', ..] => AlertClassifier.Load(file, new ModelOptions { KernelPath = (KernelPath)int.Parse(tiles[v][1..], CultureInfo.InvariantCulture) }),
        _ => AlertClassifier.Load(file, new ModelOptions
        {
            FloatTileVectors = int.Parse(parts[0], CultureInfo.InvariantCulture),
            MaxWinogradTile = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 4,
        }),
    };
    plans[v] = loaded.StepAlgorithms();
    kernelPaths[v] = loaded.KernelPath;
    if (loaded.QuantizedModel is Int8Model int8)
    {
        Int8Context context = int8.CreateContext();
        classifies[v] = () => context.Classify(snr, mask);
        stepRunners[v] = s =>
        {
            if (s == 0)
            {
                context.RunInput(snr, mask);
            }
            else
            {
                context.RunStep(s);
            }
        };
    }
    else
    {
        InferenceContext context = loaded.FloatModel!.CreateContext();
        classifies[v] = () => context.Classify(snr, mask);
        stepRunners[v] = s => context.RunStep(s, snr, mask);
    }
}
Action classify = classifies[0];
// Warm up long enough for tiered compilation to reach its optimised code (JIT; harmless under AOT).
var warm = Stopwatch.StartNew();
while (warm.ElapsedMilliseconds < 2000 * tiles.Length)
{
    for (int v = 0; v < tiles.Length; v++)
    {
        classifies[v]();
        for (int s = 0; s < steps; s++)
        {
            stepRunners[v](s);
        }
    }
}
var times = new double[tiles.Length, steps + 1, rounds];
for (int r = 0; r < rounds; r++)
{
    for (int s = 0; s <= steps; s++)
    {
        for (int v = 0; v < tiles.Length; v++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++)
            {
                if (s == steps)
                {
                    classifies[v]();
                }
                else
                {
                    stepRunners[v](s);
                }
            }
            times[v, s, r] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls;
        }
    }
}
// Not RuntimeFeature.IsDynamicCodeCompiled: nativeaot.props sets PublishAot, whose runtimeconfig switch makes it false
// under the JIT too. The JIT counts the methods it compiled; NativeAOT compiles none at run time.
string mode = JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "NativeAOT";
for (int v = 0; v < tiles.Length; v++)
{
    string tile = tiles[v] == "default" ? "" : tiles[v].StartsWith('p') ? $", variant {tiles[v]} (kernel path forced)"
        : $", variant {tiles[v]} (float tile vectors, w: largest Winograd tile)";
    Console.WriteLine($"{classifier.Name} ({classifier.NumberFormat}), {mode}, kernel path {kernelPaths[v]}{tile}, {rounds} rounds x {calls} calls");
    Console.WriteLine("| step | kernel | min us | median us |");
    Console.WriteLine("|---:|---|---:|---:|");
    double sum = 0;
    for (int s = 0; s <= steps; s++)
    {
        var row = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            row[r] = times[v, s, r];
        }
        Array.Sort(row);
        string what = s == steps ? "whole classification" : plans[v][s].ToString();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {(s == steps ? "all" : s.ToString(CultureInfo.InvariantCulture))} | {what} | {row[0]:F1} | {row[rounds / 2]:F1} |"));
        sum += s < steps ? row[rounds / 2] : 0;
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sum of step medians {sum:F1} us"));
}
if (nativeLibraries is { Length: > 0 })
{
    NativeComparison.Run(nativeLibraries, args[0], classify, snr, mask, rounds, calls);
}
return 0;

static (float[] Snr, byte[] Mask) Alert(int h, int w)
{
    var snr = new float[h * w];
    var mask = new byte[h * w];
    var random = new Random(7);
    for (int i = 0; i < snr.Length; i++)
    {
        int y = i / w, x = i % w;
        double dy = y - (h / 2), dx = x - (w / 2);
        snr[i] = (float)((random.NextDouble() * 2) - 1 + (7 * Math.Exp(-((dx * dx) + (dy * dy)) / 3)));
        mask[i] = (byte)(y < 3 ? 0 : 1);
    }
    mask[((h / 2) * w) + (w / 2)] = 3;
    return (snr, mask);
}
