using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Eclairs.CodeGen;

/// <summary>A target the worst-case stack is bounded for: the compiler and the flags the flight build uses.</summary>
/// <param name="Name">As on the command line (leon3, cortex-m4).</param>
/// <param name="Macro">Upper-case name in the generated macro.</param>
/// <param name="Compiler">The cross compiler.</param>
/// <param name="Flags">Code-generation flags (the ones that change the stack); tools/leon3/build.sh and tools/cortex-m4/build.sh use the same.</param>
public sealed record CStackTarget(string Name, string Macro, string Compiler, IReadOnlyList<string> Flags)
{
    /// <summary>LEON3 (SPARC V8) with Debian's gcc-sparc64-linux-gnu, as tools/leon3/build.sh builds it.</summary>
    public static CStackTarget Leon3 { get; } = new("leon3", "LEON3", "sparc64-linux-gnu-gcc",
        ["-m32", "-mcpu=leon3", "-ffreestanding", "-fno-pie", "-std=c99", "-Os", "-ffp-contract=off"]);

    /// <summary>Cortex-M4 (Thumb-2, FPv4-SP) with Debian's gcc-arm-none-eabi, as tools/cortex-m4/build.sh builds it.</summary>
    public static CStackTarget CortexM4 { get; } = new("cortex-m4", "CORTEX_M4", "arm-none-eabi-gcc",
        ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-ffreestanding", "-std=c99", "-Os", "-ffp-contract=off"]);

    /// <summary>The targets by name.</summary>
    public static IReadOnlyList<CStackTarget> All { get; } = [Leon3, CortexM4];

    /// <summary>The target called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such target.</exception>
    public static CStackTarget Named(string name) => All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"no stack target \"{name}\" (known: {string.Join(", ", All.Select(t => t.Name))})", nameof(name));
}

/// <summary>The worst-case stack of the entry points on a target, in bytes.</summary>
/// <param name="Target">The target.</param>
/// <param name="Bytes">The worst case over the entry points (<c>_classify</c> and <c>_classify_quantized</c>).</param>
/// <param name="Path">The deepest call chain, caller first, with each function's frame.</param>
public sealed record CStackBound(CStackTarget Target, long Bytes, string Path);

/// <summary>
/// Worst-case stack from GCC's own figures: every file compiled with the target's flags plus <c>-fstack-usage
/// -fcallgraph-info=su</c>, which writes each function's frame (all static: no VLA, no alloca) and its calls; the
/// bound of an entry point is the largest sum of frames along a call chain from it. Refuses what it cannot bound: a
/// dynamic frame, a call to a function it has no frame for (an indirect call or a library call), recursion.
/// </summary>
public static partial class CStackAnalysis
{
    /// <summary>Compiles <paramref name="files"/> (the generated model and its kernel files) for <paramref name="target"/> and bounds the stack of <paramref name="entries"/>.</summary>
    /// <exception cref="InvalidOperationException">The compiler is missing or failed, or the call graph cannot be bounded.</exception>
    public static CStackBound Measure(CStackTarget target, IReadOnlyList<CFile> files, IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(entries);
        string dir = Path.Combine(Path.GetTempPath(), "eclairs-stack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (CFile f in files)
            {
                File.WriteAllText(Path.Combine(dir, f.Name), f.Text, new UTF8Encoding(false));
            }
            var graphs = new List<string>();
            foreach (CFile f in files.Where(f => f.Name.EndsWith(".c", StringComparison.Ordinal)))
            {
                string stem = Path.GetFileNameWithoutExtension(f.Name);
                var arguments = new List<string>(target.Flags) { "-fstack-usage", "-fcallgraph-info=su", "-c", f.Name, "-o", stem + ".o" };
                Compile(target, dir, arguments);
                graphs.Add(File.ReadAllText(Path.Combine(dir, stem + ".ci")));
            }
            return Bound(target, graphs, entries);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The bound from GCC call-graph files (VCG, <c>-fcallgraph-info=su</c>).</summary>
    public static CStackBound Bound(CStackTarget target, IEnumerable<string> callGraphs, IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(callGraphs);
        ArgumentNullException.ThrowIfNull(entries);
        var frames = new Dictionary<string, long>();
        var names = new Dictionary<string, string>();
        var calls = new Dictionary<string, List<string>>();
        foreach (string graph in callGraphs)
        {
            foreach (Match node in NodePattern().Matches(graph))
            {
                string title = node.Groups["title"].Value;
                names[title] = node.Groups["name"].Value;
                if (node.Groups["bytes"].Success)
                {
                    if (node.Groups["kind"].Value != "static")
                    {
                        throw new InvalidOperationException($"stack: {names[title]} has a {node.Groups["kind"].Value} frame: no static bound");
                    }
                    frames[title] = long.Parse(node.Groups["bytes"].Value, CultureInfo.InvariantCulture);
                }
            }
            foreach (Match edge in EdgePattern().Matches(graph))
            {
                string from = edge.Groups["from"].Value;
                if (!calls.TryGetValue(from, out List<string>? list))
                {
                    calls[from] = list = [];
                }
                list.Add(edge.Groups["to"].Value);
            }
        }
        var memo = new Dictionary<string, (long Bytes, string Path)>();
        (long Bytes, string Path) worst = (-1, "");
        foreach (string entry in entries)
        {
            (long Bytes, string Path) b = Deepest(entry, frames, names, calls, memo, []);
            if (b.Bytes > worst.Bytes)
            {
                worst = b;
            }
        }
        return new CStackBound(target, worst.Bytes, worst.Path);
    }

    private static (long Bytes, string Path) Deepest(string function, Dictionary<string, long> frames, Dictionary<string, string> names,
        Dictionary<string, List<string>> calls, Dictionary<string, (long, string)> memo, HashSet<string> onPath)
    {
        if (memo.TryGetValue(function, out (long, string) known))
        {
            return known;
        }
        string name = names.GetValueOrDefault(function, function);
        if (!frames.TryGetValue(function, out long frame))
        {
            throw new InvalidOperationException($"stack: no frame size for {name} (a library or indirect call): no static bound");
        }
        if (!onPath.Add(function))
        {
            throw new InvalidOperationException($"stack: {name} is recursive: no static bound");
        }
        (long Bytes, string Path) deepest = (0, "");
        foreach (string callee in calls.GetValueOrDefault(function, []))
        {
            (long Bytes, string Path) c = Deepest(callee, frames, names, calls, memo, onPath);
            if (c.Bytes > deepest.Bytes)
            {
                deepest = c;
            }
        }
        onPath.Remove(function);
        string here = string.Create(CultureInfo.InvariantCulture, $"{name} {frame}");
        (long, string) result = (frame + deepest.Bytes, deepest.Path.Length == 0 ? here : here + " > " + deepest.Path);
        memo[function] = result;
        return result;
    }

    private static void Compile(CStackTarget target, string dir, List<string> arguments)
    {
        var info = new ProcessStartInfo(target.Compiler) { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        Process p;
        try
        {
            p = Process.Start(info) ?? throw new InvalidOperationException($"stack: cannot start {target.Compiler}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"stack: {target.Compiler} is not installed ({e.Message}); the {target.Name} bound needs it", e);
        }
        using (p)
        {
            string errors = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"stack: {target.Compiler} failed ({p.ExitCode}): {errors}");
            }
        }
    }

    [GeneratedRegex("""node: \{ title: "(?<title>[^"]+)" label: "(?<name>[^\\"]+)\\n[^"]*?(?:\\n(?<bytes>\d+) bytes \((?<kind>[a-z,]+)\))?" """)]
    private static partial Regex NodePattern();

    [GeneratedRegex("""edge: \{ sourcename: "(?<from>[^"]+)" targetname: "(?<to>[^"]+)" """)]
    private static partial Regex EdgePattern();
}
