using System;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// A NumPy scalar type as written in a .npy header's 'descr' (array-interface type string):
/// byte order ('&lt;' little, '&gt;' big, '|' not applicable), kind ('f' float, 'i' signed, 'u' unsigned) and size in bytes.
/// </summary>
public readonly record struct NpyDType(char Kind, int Size, bool BigEndian)
{
    // Named after NumPy's type codes: F4 = float32, U1 = uint8, I8 = int64 ...
    public static readonly NpyDType F4 = new('f', 4, false);
    public static readonly NpyDType F8 = new('f', 8, false);
    public static readonly NpyDType I1 = new('i', 1, false);
    public static readonly NpyDType U1 = new('u', 1, false);
    public static readonly NpyDType I2 = new('i', 2, false);
    public static readonly NpyDType U2 = new('u', 2, false);
    public static readonly NpyDType I4 = new('i', 4, false);
    public static readonly NpyDType U4 = new('u', 4, false);
    public static readonly NpyDType I8 = new('i', 8, false);
    public static readonly NpyDType U8 = new('u', 8, false);

    /// <summary>The 'descr' string as NumPy writes it, e.g. "&lt;f4" or "|u1".</summary>
    public string Descr => Size == 1 ? $"|{Kind}1" : $"{(BigEndian ? '>' : '<')}{Kind}{Size}";

    /// <summary>Same kind and size, whatever the byte order (the order only changes how bytes are read).</summary>
    public bool SameType(NpyDType other) => Kind == other.Kind && Size == other.Size;

    public override string ToString() => Descr;

    /// <summary>The little-endian dtype this library writes for a CLR element type.</summary>
    public static NpyDType Of<T>() where T : unmanaged => TryOf(typeof(T)) ??
        throw new NotSupportedException($"no NumPy dtype is defined here for {typeof(T).Name}; use float, double, sbyte, byte, short, ushort, int, uint, long or ulong");

    private static NpyDType? TryOf(Type t) =>
        t == typeof(float) ? F4 :
        t == typeof(double) ? F8 :
        t == typeof(sbyte) ? I1 :
        t == typeof(byte) ? U1 :
        t == typeof(short) ? I2 :
        t == typeof(ushort) ? U2 :
        t == typeof(int) ? I4 :
        t == typeof(uint) ? U4 :
        t == typeof(long) ? I8 :
        t == typeof(ulong) ? U8 :
        null;

    /// <summary>Parses a simple 'descr' string; returns false for structured, string, object or unknown types.</summary>
    public static bool TryParse(string descr, out NpyDType dtype)
    {
        dtype = default;
        if (descr is null || descr.Length < 3)
        {
            return false;
        }

        char order = descr[0];
        char kind = descr[1];
        if (order is not ('<' or '>' or '|' or '=') || kind is not ('f' or 'i' or 'u'))
        {
            return false;
        }

        if (!int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, null, out int size))
        {
            return false;
        }

        bool valid = kind == 'f' ? size is 4 or 8 : size is 1 or 2 or 4 or 8;
        if (!valid || (order == '|' && size != 1))
        {
            return false;
        }

        // '=' is the writer's native order; files written by NumPy on little-endian machines say '<'.
        bool bigEndian = size > 1 && (order == '>' || (order == '=' && !BitConverter.IsLittleEndian));
        dtype = new NpyDType(kind, size, bigEndian);
        return true;
    }
}
