using System;
using System.Globalization;
using System.Text;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// One 80-character header card (keyword record) in the fixed format of the FITS standard 4.0, section 4:
/// keyword in columns 1-8, "= " in 9-10, logical/integer/real values right-justified to column 30,
/// strings quoted from column 11 (quotes doubled, at least 8 characters), then " / comment".
/// COMMENT, HISTORY and blank keywords carry free text in columns 9-80.
/// </summary>
public sealed class FitsCard
{
    public const int Length = 80;

    private FitsCard(string keyword, object? value, string? comment, bool isCommentary)
    {
        Keyword = keyword;
        Value = value;
        Comment = comment;
        IsCommentary = isCommentary;
    }

    public string Keyword { get; }

    /// <summary>bool, long, double or string; null for commentary cards and undefined values.</summary>
    public object? Value { get; }

    /// <summary>The comment after '/', or the text of a commentary card.</summary>
    public string? Comment { get; }

    /// <summary>True for COMMENT, HISTORY and blank-keyword cards, which have no value indicator.</summary>
    public bool IsCommentary { get; }

    public static FitsCard Logical(string keyword, bool value, string? comment = null) => new(CheckKeyword(keyword), value, comment, false);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "'integer' is the FITS standard's name for this value type")]
    public static FitsCard Integer(string keyword, long value, string? comment = null) => new(CheckKeyword(keyword), value, comment, false);

    public static FitsCard Real(string keyword, double value, string? comment = null)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{keyword}: FITS header values must be finite");
        }

        return new(CheckKeyword(keyword), value, comment, false);
    }

    /// <summary>A real value from a float, written with the float's shortest round-trip digits (7.1, not 7.099999904632568).</summary>
    public static FitsCard Real(string keyword, float value, string? comment = null)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{keyword}: FITS header values must be finite");
        }

        return new(CheckKeyword(keyword), double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), comment, false);
    }

    public static FitsCard Text(string keyword, string value, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckText(value, keyword);
        if (value.Replace("'", "''", StringComparison.Ordinal).Length > 68)
        {
            throw new ArgumentException($"{keyword}: string value longer than 68 characters (with quotes doubled) needs CONTINUE cards, which are not supported", nameof(value));
        }

        return new(CheckKeyword(keyword), value, comment, false);
    }

    /// <summary>A COMMENT card; text beyond 72 characters is cut (use <see cref="FitsHeader.AddComment"/> to wrap).</summary>
    public static FitsCard CommentCard(string text) => Commentary("COMMENT", text);

    public static FitsCard Commentary(string keyword, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckText(text, keyword);
        if (keyword is not ("COMMENT" or "HISTORY" or ""))
        {
            throw new ArgumentException($"'{keyword}' is not a commentary keyword (COMMENT, HISTORY or blank)", nameof(keyword));
        }

        return new(keyword, null, text.Length > 72 ? text[..72] : text, true);
    }

    /// <summary>The card image, exactly 80 ASCII characters. Comments that do not fit are cut.</summary>
    public string Format()
    {
        var sb = new StringBuilder(Length);
        sb.Append(Keyword.PadRight(8));
        if (IsCommentary)
        {
            sb.Append(Comment);
        }
        else
        {
            sb.Append("= ");
            sb.Append(FormatValue(Value));
            if (!string.IsNullOrEmpty(Comment) && sb.Length + 3 < Length)
            {
                sb.Append(" / ");
                sb.Append(Comment);
            }
        }

        string card = sb.ToString();
        return card.Length > Length ? card[..Length] : card.PadRight(Length);
    }

    public override string ToString() => Format().TrimEnd();

    /// <summary>The value field of columns 11-30 (strings may run further).</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => new string(' ', 20),
        bool b => (b ? "T" : "F").PadLeft(20),
        long l => l.ToString(CultureInfo.InvariantCulture).PadLeft(20),
        int i => i.ToString(CultureInfo.InvariantCulture).PadLeft(20),
        double d => FormatReal(d).PadLeft(20),
        string s => ("'" + s.Replace("'", "''", StringComparison.Ordinal).PadRight(8) + "'").PadRight(20),
        _ => throw new ArgumentException($"no FITS value type for {value.GetType().Name}", nameof(value)),
    };

    /// <summary>
    /// Shortest round-trip digits, always with a decimal point and an upper-case exponent (1.0E-05), at most 20
    /// characters: values that need more (e.g. -1.7976931348623157E+308) keep 13 significant digits.
    /// </summary>
    public static string FormatReal(double value)
    {
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        if (s.Length > 20)
        {
            s = value.ToString("E12", CultureInfo.InvariantCulture);
        }

        int e = s.IndexOf('E', StringComparison.Ordinal);
        string mantissa = e < 0 ? s : s[..e];
        string exponent = e < 0 ? "" : s[e..];
        if (!mantissa.Contains('.', StringComparison.Ordinal))
        {
            mantissa += ".0";
        }

        s = mantissa + exponent;
        return s.Length <= 20 ? s : value.ToString("E11", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses one card image (80 characters of printable ASCII).</summary>
    public static FitsCard Parse(string card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Length != Length)
        {
            throw new FormatException($"a card has {card.Length} characters, not 80");
        }

        foreach (char c in card)
        {
            if (c < ' ' || c > '~')
            {
                throw new FormatException($"card \"{card.TrimEnd()}\" holds a character outside printable ASCII (0x{(int)c:X2})");
            }
        }

        string keyword = card[..8].TrimEnd();
        foreach (char c in keyword)
        {
            if (!IsKeywordChar(c))
            {
                throw new FormatException($"keyword \"{keyword}\" has a character other than A-Z, 0-9, '-' and '_'");
            }
        }

        if (card[8..10] != "= " || keyword is "COMMENT" or "HISTORY" or "")
        {
            return new FitsCard(keyword, null, card[8..].TrimEnd(), true);
        }

        string field = card[10..];
        int pos = 0;
        while (pos < field.Length && field[pos] == ' ')
        {
            pos++;
        }

        object? value;
        string rest;
        if (pos < field.Length && field[pos] == '\'')
        {
            var sb = new StringBuilder();
            int i = pos + 1;
            while (true)
            {
                if (i >= field.Length)
                {
                    throw new FormatException($"{keyword}: unterminated string value");
                }

                if (field[i] == '\'')
                {
                    if (i + 1 < field.Length && field[i + 1] == '\'')
                    {
                        sb.Append('\'');
                        i += 2;
                        continue;
                    }

                    break;
                }

                sb.Append(field[i++]);
            }

            // Trailing spaces in a string value are not significant (standard 4.2.1.1).
            value = sb.ToString().TrimEnd(' ');
            rest = field[(i + 1)..];
        }
        else
        {
            int slash = field.IndexOf('/', StringComparison.Ordinal);
            string token = (slash < 0 ? field : field[..slash]).Trim();
            rest = slash < 0 ? "" : field[slash..];
            value = ParseScalar(token, keyword);
        }

        string trimmed = rest.TrimStart();
        string? comment = null;
        if (trimmed.Length > 0)
        {
            if (trimmed[0] != '/')
            {
                throw new FormatException($"{keyword}: unexpected text after the value: \"{trimmed.TrimEnd()}\"");
            }

            comment = trimmed[1..].Trim();
        }

        return new FitsCard(keyword, value, comment, false);
    }

    private static object? ParseScalar(string token, string keyword)
    {
        if (token.Length == 0)
        {
            return null;
        }

        if (token is "T" or "F")
        {
            return token == "T";
        }

        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return l;
        }

        if (double.TryParse(token.Replace('D', 'E').Replace('d', 'e'), NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && token.IndexOfAny(['n', 'N', 'i', 'I']) < 0)
        {
            return d;
        }

        throw new FormatException($"{keyword}: value \"{token}\" is not a logical, integer, real or string (complex values are not supported)");
    }

    private static string CheckKeyword(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (keyword.Length is 0 or > 8)
        {
            throw new ArgumentException($"keyword \"{keyword}\" must have 1 to 8 characters", nameof(keyword));
        }

        foreach (char c in keyword)
        {
            if (!IsKeywordChar(c))
            {
                throw new ArgumentException($"keyword \"{keyword}\" may hold only A-Z, 0-9, '-' and '_'", nameof(keyword));
            }
        }

        if (keyword is "COMMENT" or "HISTORY" or "END")
        {
            throw new ArgumentException($"\"{keyword}\" cannot take a value", nameof(keyword));
        }

        return keyword;
    }

    private static void CheckText(string text, string keyword)
    {
        foreach (char c in text)
        {
            if (c < ' ' || c > '~')
            {
                throw new ArgumentException($"{keyword}: FITS headers hold printable ASCII only (found U+{(int)c:X4})");
            }
        }
    }

    private static bool IsKeywordChar(char c) => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_';
}
