using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Eclairs.Simulation.Formats;

/// <summary>One row of a labels CSV. <see cref="Problem"/> says why the row cannot label its file (the file is then refused).</summary>
public sealed record AlertLabelRow(int Line, string File, AlertLabel? Label, byte? Cause, string? CauseText, string? Comment, string? Problem);

/// <summary>
/// A labelling team's verdicts: a CSV with columns file, label (true/false/unclear or 1/0/2), optional cause (a name
/// of docs/file-formats.md's list or a code) and optional comment, comma-separated with RFC 4180 quoting. A first
/// row whose second field is "label" is a header and may order the columns by name. Files are matched by their path
/// relative to the alert folder, or by file name alone when the row gives no folder.
/// </summary>
public sealed class AlertLabelTable
{
    private readonly Dictionary<string, AlertLabelRow> _byPath;

    private AlertLabelTable(string source, IReadOnlyList<AlertLabelRow> rows)
    {
        Source = source;
        Rows = rows;
        _byPath = new Dictionary<string, AlertLabelRow>(StringComparer.Ordinal);
        foreach (AlertLabelRow row in rows)
        {
            string key = Key(row.File);
            if (_byPath.TryGetValue(key, out AlertLabelRow? first))
            {
                string problem = $"labelled twice ({source} lines {first.Line} and {row.Line})";
                _byPath[key] = first with { Problem = problem };
            }
            else
            {
                _byPath[key] = row;
            }
        }
    }

    /// <summary>The file the rows came from.</summary>
    public string Source { get; }

    public IReadOnlyList<AlertLabelRow> Rows { get; }

    /// <exception cref="FormatException">A row that cannot be read at all (unterminated quote, no file name, too few columns), naming the line.</exception>
    public static AlertLabelTable Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader, path);
    }

    public static AlertLabelTable Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = ReadRecords(reader, source);
        int file = 0, label = 1, cause = 2, comment = 3;
        int first = 0;
        if (records.Count > 0 && records[0].Fields.Count >= 2 && records[0].Fields[1].Trim().Equals("label", StringComparison.OrdinalIgnoreCase))
        {
            List<string> names = records[0].Fields.Select(f => f.Trim().ToUpperInvariant()).ToList();
            file = Column(names, "FILE", "FILENAME", "PATH");
            label = names.IndexOf("LABEL");
            cause = Column(names, "CAUSE");
            comment = Column(names, "COMMENT", "NOTE", "NOTES");
            if (file < 0)
            {
                throw new FormatException($"{source} line {records[0].Line}: the header has no 'file' column");
            }

            first = 1;
        }

        var rows = new List<AlertLabelRow>();
        foreach ((int line, List<string> fields) in records.Skip(first))
        {
            string? Field(int i) => i >= 0 && i < fields.Count && fields[i].Trim().Length > 0 ? fields[i].Trim() : null;
            string name = Field(file) ?? throw new FormatException($"{source} line {line}: no file name");
            if (Math.Max(file, label) >= fields.Count)
            {
                throw new FormatException($"{source} line {line}: {fields.Count} column(s); a row is file,label[,cause[,comment]]");
            }

            string? labelText = Field(label), causeText = Field(cause);
            string? problem = null;
            AlertLabel? parsed = null;
            if (AlertVocabulary.TryParseLabel(labelText, out AlertLabel l))
            {
                parsed = l;
            }
            else
            {
                problem = $"{source} line {line}: label '{labelText}' is not true, false or unclear";
            }

            byte? code = causeText is not null && AlertVocabulary.TryParseCause(causeText, out byte c) ? c : null;
            rows.Add(new AlertLabelRow(line, name, parsed, code, causeText, Field(comment), problem));
        }

        return new AlertLabelTable(source, rows);
    }

    /// <summary>The row for a file at <paramref name="relativePath"/> (folder separators '/' or '\'), by path or by name.</summary>
    public bool TryFind(string relativePath, out AlertLabelRow row)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        string key = Key(relativePath);
        if (_byPath.TryGetValue(key, out row!))
        {
            return true;
        }

        string name = key[(key.LastIndexOf('/') + 1)..];
        return _byPath.TryGetValue(name, out row!);
    }

    /// <summary>Rows whose file is not among <paramref name="relativePaths"/> (labels without an alert).</summary>
    public IEnumerable<AlertLabelRow> Unmatched(IEnumerable<string> relativePaths)
    {
        var used = new HashSet<AlertLabelRow>();
        foreach (string path in relativePaths)
        {
            if (TryFind(path, out AlertLabelRow row))
            {
                used.Add(row);
            }
        }

        return _byPath.Values.Where(r => !used.Contains(r)).OrderBy(r => r.Line);
    }

    private static string Key(string path)
    {
        string key = path.Trim().Replace('\\', '/');
        return key.StartsWith("./", StringComparison.Ordinal) ? key[2..] : key;
    }

    private static int Column(List<string> names, params string[] accepted) =>
        names.FindIndex(n => accepted.Contains(n));

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; blank lines are skipped.</summary>
    private static List<(int Line, List<string> Fields)> ReadRecords(TextReader reader, string source)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        int line = 1, start = 1;
        int ch;
        while ((ch = reader.Read()) >= 0)
        {
            char c = (char)ch;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        field.Append('"');
                        reader.Read();
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0:
                    field.Clear();
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    any |= !char.IsWhiteSpace(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"{source} line {start}: a quoted field is not closed");
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (any)
            {
                records.Add((start, new List<string>(fields)));
            }

            fields.Clear();
            any = false;
        }
    }
}
