using System;
using System.Text;

namespace Eclairs.Simulation;

/// <summary>Readable names of cause codes ("bad-subtraction" for 12), for pictures, files and reports.</summary>
public static class CauseNames
{
    public static string Of(byte code)
    {
        if (!Enum.IsDefined((AlertCause)code))
        {
            return $"cause-{code}";
        }

        string name = ((AlertCause)code).ToString();
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
