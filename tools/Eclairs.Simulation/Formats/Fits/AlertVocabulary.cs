using System;
using System.Globalization;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// The words a labelling team writes for a label and a cause (a CSV column, a LABEL or CAUSENAM keyword), read
/// into the data set's codes. Case and the separators ' ', '_', '-' do not matter: "Bad subtraction",
/// "bad_subtraction" and "bad-subtraction" are cause 12.
/// </summary>
public static class AlertVocabulary
{
    /// <summary>true / false / unclear, or their codes 1 / 0 / 2.</summary>
    public static bool TryParseLabel(string? text, out AlertLabel label)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "TRUE" or "1":
                label = AlertLabel.TrueAlert;
                return true;
            case "FALSE" or "0":
                label = AlertLabel.FalseAlert;
                return true;
            case "UNCLEAR" or "2":
                label = AlertLabel.Unclear;
                return true;
            default:
                label = default;
                return false;
        }
    }

    /// <summary>A cause name of docs/file-formats.md's list (any case and separator), or a code 0..255.</summary>
    public static bool TryParseCause(string? text, out byte code)
    {
        code = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string t = text.Trim();
        if (byte.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out code))
        {
            return true;
        }

        string wanted = Normalise(t);
        foreach (AlertCause cause in Enum.GetValues<AlertCause>())
        {
            if (Normalise(CauseNames.Of((byte)cause)) == wanted)
            {
                code = (byte)cause;
                return true;
            }
        }

        return false;
    }

    private static string Normalise(string name) =>
        string.Join('-', name.ToUpperInvariant().Split([' ', '_', '-'], StringSplitOptions.RemoveEmptyEntries));
}
