using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Eclairs.Budget;

/// <summary>One line of tools/budget/count-instructions.sh's file: instructions per inference, two runs.</summary>
public sealed record InstructionCount(string Target, string Build, string Kernels, string Model, int Calls,
    double Run1, double Run2, long LibraryBytes, string Counter)
{
    /// <summary>|run 1 - run 2|: 0 for callgrind, a few instructions for qemu.</summary>
    public double Spread => Math.Abs(Run1 - Run2);

    /// <summary>Mean of the two runs.</summary>
    public double PerInference => (Run1 + Run2) / 2;
}

/// <summary>Reads the tab-separated instruction-count file (header line first, columns by name).</summary>
public static class InstructionCounts
{
    private static readonly string[] Columns =
    [
        "target", "build", "kernels", "model", "calls", "instructions_per_inference_run1",
        "instructions_per_inference_run2", "library_bytes", "counter",
    ];

    /// <exception cref="InvalidDataException">A missing column, a short line or a value that is not a number.</exception>
    public static IReadOnlyList<InstructionCount> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Tsv table = Tsv.Parse(text, Columns, "instruction-count file");
        var rows = new List<InstructionCount>();
        foreach (string[] r in table.Rows)
        {
            rows.Add(new InstructionCount(r[table["target"]], r[table["build"]], r[table["kernels"]], r[table["model"]],
                (int)Tsv.Number(r[table["calls"]], "calls"),
                Tsv.Number(r[table["instructions_per_inference_run1"]], "instructions_per_inference_run1"),
                Tsv.Number(r[table["instructions_per_inference_run2"]], "instructions_per_inference_run2"),
                (long)Tsv.Number(r[table["library_bytes"]], "library_bytes"), r[table["counter"]]));
        }
        return rows;
    }
}

/// <summary>
/// A measurement of the generated C on an embedded target (docs/leon3-measured.tsv, written by tools/leon3/budget.sh):
/// instructions per inference (the same for each of <paramref name="Inputs"/> inputs) and the worst case (LEON3:
/// every register window full at the call), the classifier's text, rodata and bss, and the worst-case stack bound.
/// </summary>
public sealed record LeonMeasurement(string Target, string Model, string Kernels, double InstructionsPerInference, double WorstCaseInstructions,
    int Inputs, long TextBytes, long RodataBytes, long BssBytes, long StackBytes, string Fits64K);

/// <summary>Reads docs/leon3-measured.tsv.</summary>
public static class LeonMeasurements
{
    private static readonly string[] Columns =
    [
        "target", "model", "kernels", "instructions_per_inference", "worst_case_instructions", "inputs", "text_bytes", "rodata_bytes",
        "bss_bytes", "stack_bytes", "fits_64k",
    ];

    /// <exception cref="InvalidDataException">A missing column, a short line or a value that is not a number.</exception>
    public static IReadOnlyList<LeonMeasurement> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Tsv table = Tsv.Parse(text, Columns, "embedded measurement file");
        var rows = new List<LeonMeasurement>();
        foreach (string[] r in table.Rows)
        {
            rows.Add(new LeonMeasurement(r[table["target"]], r[table["model"]], r[table["kernels"]],
                Tsv.Number(r[table["instructions_per_inference"]], "instructions_per_inference"),
                Tsv.Number(r[table["worst_case_instructions"]], "worst_case_instructions"),
                (int)Tsv.Number(r[table["inputs"]], "inputs"),
                (long)Tsv.Number(r[table["text_bytes"]], "text_bytes"), (long)Tsv.Number(r[table["rodata_bytes"]], "rodata_bytes"),
                (long)Tsv.Number(r[table["bss_bytes"]], "bss_bytes"), (long)Tsv.Number(r[table["stack_bytes"]], "stack_bytes"), r[table["fits_64k"]]));
        }
        return rows;
    }
}

/// <summary>A tab-separated table with a header line; blank lines and lines starting with '#' are skipped.</summary>
internal sealed class Tsv
{
    private readonly Dictionary<string, int> _columns;

    private Tsv(Dictionary<string, int> columns, List<string[]> rows)
    {
        _columns = columns;
        Rows = rows;
    }

    public List<string[]> Rows { get; }

    public int this[string column] => _columns[column];

    public static Tsv Parse(string text, IReadOnlyList<string> required, string what)
    {
        Dictionary<string, int>? columns = null;
        var rows = new List<string[]>();
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] cells = line.Split('\t');
            if (columns is null)
            {
                columns = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < cells.Length; i++)
                {
                    columns[cells[i].Trim()] = i;
                }
                foreach (string c in required)
                {
                    if (!columns.ContainsKey(c))
                    {
                        throw new InvalidDataException($"{what}: the header has no column '{c}'");
                    }
                }
                continue;
            }
            if (cells.Length < columns.Count)
            {
                throw new InvalidDataException($"{what}, line {lineNumber}: {cells.Length} cells, the header has {columns.Count}");
            }
            rows.Add(cells);
        }
        if (columns is null)
        {
            throw new InvalidDataException($"{what}: no header line");
        }
        return new Tsv(columns, rows);
    }

    public static double Number(string cell, string column)
    {
        if (!double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new InvalidDataException($"column {column}: '{cell}' is not a number");
        }
        return value;
    }
}
