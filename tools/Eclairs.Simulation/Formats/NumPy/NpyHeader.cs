using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// The header of a .npy file, format version 1.0 (version 2.0 and 3.0 headers are read too):
/// magic "\x93NUMPY", version bytes, a little-endian header length, then an ASCII Python dict literal
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c> padded with spaces and ended by '\n'
/// so that the data starts at a multiple of 64 bytes.
/// </summary>
public sealed class NpyHeader
{
    /// <summary>The data offset NumPy aligns to (numpy.lib.format.ARRAY_ALIGN).</summary>
    public const int Alignment = 64;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private readonly int[] _shape;

    public NpyHeader(NpyDType dtype, ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"dimension {d} is negative");
            }

            count = checked(count * d);
        }

        DType = dtype;
        _shape = shape.ToArray();
        ElementCount = count;
    }

    public NpyDType DType { get; }

    public IReadOnlyList<int> Shape => _shape;

    public long ElementCount { get; }

    public long DataBytes => ElementCount * DType.Size;

    /// <summary>Bytes before the data (magic, version, length field, dict, padding, newline).</summary>
    public int Length { get; private set; }

    /// <summary>The dict literal exactly as NumPy 1.x/2.x writes it, without padding.</summary>
    public string DictText
    {
        get
        {
            string shape = _shape.Length switch
            {
                0 => "()",
                1 => $"({_shape[0]},)",
                _ => "(" + string.Join(", ", _shape) + ")",
            };
            return $"{{'descr': '{DType.Descr}', 'fortran_order': False, 'shape': {shape}, }}";
        }
    }

    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>Writes a version 1.0 header; the data must follow immediately.</summary>
    public void Write(Stream stream)
    {
        string dict = DictText;
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int total = (unpadded + Alignment - 1) / Alignment * Alignment;
        int headerLength = total - Magic.Length - 4;
        if (headerLength > ushort.MaxValue)
        {
            throw new ArgumentException($"the .npy header for shape {dict} does not fit format version 1.0");
        }

        var bytes = new byte[total];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        bytes[8] = (byte)(headerLength & 0xFF);
        bytes[9] = (byte)(headerLength >> 8);
        int n = Encoding.ASCII.GetBytes(dict, 0, dict.Length, bytes, 10);
        bytes.AsSpan(10 + n, total - 10 - n - 1).Fill((byte)' ');
        bytes[total - 1] = (byte)'\n';
        stream.Write(bytes);
        Length = total;
    }

    /// <summary>Reads and validates a header; <paramref name="fail"/> builds the exception naming the file and array.</summary>
    public static NpyHeader Read(Stream stream, Func<string, NumPyFormatException> fail)
    {
        Span<byte> prefix = stackalloc byte[10];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got < 8 || !prefix[..6].SequenceEqual(Magic))
        {
            throw fail(got < 6 ? "truncated: shorter than the .npy magic string" : "bad magic: not a .npy file (expected \\x93NUMPY)");
        }

        byte major = prefix[6];
        int fixedLength;
        int dictLength;
        if (major == 1)
        {
            if (got < 10)
            {
                throw fail("truncated .npy header");
            }

            fixedLength = 10;
            dictLength = prefix[8] | (prefix[9] << 8);
        }
        else if (major is 2 or 3)
        {
            Span<byte> more = stackalloc byte[2];
            if (got < 10 || stream.ReadAtLeast(more, 2, throwOnEndOfStream: false) < 2)
            {
                throw fail("truncated .npy header");
            }

            fixedLength = 12;
            long len = (long)prefix[8] | ((long)prefix[9] << 8) | ((long)more[0] << 16) | ((long)more[1] << 24);
            if (len > 1 << 24)
            {
                throw fail($"implausible .npy header length {len}");
            }

            dictLength = (int)len;
        }
        else
        {
            throw fail($"unsupported .npy format version {major}.{prefix[7]}");
        }

        var dictBytes = new byte[dictLength];
        if (stream.ReadAtLeast(dictBytes, dictLength, throwOnEndOfStream: false) < dictLength)
        {
            throw fail("truncated .npy header");
        }

        foreach (byte b in dictBytes)
        {
            if (b > 0x7E || (b < 0x20 && b != '\n'))
            {
                throw fail("the .npy header is not printable ASCII");
            }
        }

        string text = Encoding.ASCII.GetString(dictBytes);
        Dictionary<string, object> dict;
        try
        {
            dict = new PythonLiteralParser(text).ParseDict();
        }
        catch (FormatException e)
        {
            throw fail($"malformed .npy header {text.TrimEnd()}: {e.Message}");
        }

        if (dict.Count != 3
            || !dict.TryGetValue("descr", out object? descrValue)
            || !dict.TryGetValue("fortran_order", out object? fortranValue)
            || !dict.TryGetValue("shape", out object? shapeValue))
        {
            throw fail($"the .npy header must have exactly the keys 'descr', 'fortran_order', 'shape': {text.TrimEnd()}");
        }

        if (descrValue is not string descr || !NpyDType.TryParse(descr, out NpyDType dtype))
        {
            throw fail($"unsupported dtype {Describe(descrValue)} (supported: little- or big-endian f4, f8, i1..i8, u1..u8)");
        }

        if (fortranValue is not bool fortran)
        {
            throw fail("'fortran_order' must be True or False");
        }

        if (fortran)
        {
            throw fail("Fortran-ordered arrays are not supported (write them with fortran_order False)");
        }

        if (shapeValue is not List<long> dims)
        {
            throw fail("'shape' must be a tuple of integers");
        }

        var shape = new int[dims.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue)
            {
                throw fail($"dimension {dims[i]} of 'shape' is out of range");
            }

            shape[i] = (int)dims[i];
        }

        NpyHeader header;
        try
        {
            header = new NpyHeader(dtype, shape) { Length = fixedLength + dictLength };
        }
        catch (OverflowException)
        {
            throw fail("the shape's element count overflows");
        }

        return header;
    }

    private static string Describe(object value) => value switch
    {
        string s => $"'{s}'",
        _ => "(a non-string descr: structured arrays are not supported)",
    };

    /// <summary>Just enough of Python's literal syntax for .npy headers: dicts, strings, booleans, integers and tuples.</summary>
    private ref struct PythonLiteralParser(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public Dictionary<string, object> ParseDict()
        {
            Expect('{');
            var dict = new Dictionary<string, object>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (Peek() == '}')
                {
                    _pos++;
                    break;
                }

                string key = ParseString();
                Expect(':');
                object value = ParseValue();
                if (!dict.TryAdd(key, value))
                {
                    throw new FormatException($"key '{key}' appears twice");
                }

                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                }
                else if (Peek() != '}')
                {
                    throw new FormatException($"expected ',' or '}}' at offset {_pos}");
                }
            }

            SkipSpace();
            if (_pos != _text.Length)
            {
                throw new FormatException($"unexpected text after the dict at offset {_pos}");
            }

            return dict;
        }

        private object ParseValue()
        {
            SkipSpace();
            char c = Peek();
            if (c is '\'' or '"')
            {
                return ParseString();
            }

            if (c == '(')
            {
                return ParseTuple();
            }

            if (c == '[')
            {
                throw new FormatException("list values (structured dtypes) are not supported");
            }

            string word = ParseWord();
            return word switch
            {
                "True" => true,
                "False" => false,
                _ => throw new FormatException($"unexpected value '{word}'"),
            };
        }

        private List<long> ParseTuple()
        {
            Expect('(');
            var items = new List<long>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')')
                {
                    _pos++;
                    return items;
                }

                string word = ParseWord();
                if (word.EndsWith('L'))
                {
                    word = word[..^1]; // Python 2 long literal in old files
                }

                if (!long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    throw new FormatException($"'{word}' is not a non-negative integer");
                }

                items.Add(value);
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                }
                else if (Peek() != ')')
                {
                    throw new FormatException($"expected ',' or ')' at offset {_pos}");
                }
                else if (items.Count == 1)
                {
                    // "(5)" is an int in Python, not a tuple; NumPy never writes it.
                    throw new FormatException("a one-element shape needs a trailing comma");
                }
            }
        }

        private string ParseString()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw new FormatException($"expected a string at offset {_pos}");
            }

            int start = ++_pos;
            while (_pos < _text.Length && _text[_pos] != quote)
            {
                if (_text[_pos] == '\\')
                {
                    throw new FormatException("escapes in strings are not supported");
                }

                _pos++;
            }

            if (_pos >= _text.Length)
            {
                throw new FormatException("unterminated string");
            }

            return _text[start.._pos++];
        }

        private string ParseWord()
        {
            SkipSpace();
            int start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }

            if (start == _pos)
            {
                throw new FormatException($"unexpected character at offset {_pos}");
            }

            return _text[start.._pos];
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c)
            {
                throw new FormatException($"expected '{c}' at offset {_pos}");
            }

            _pos++;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < _text.Length && _text[_pos] is ' ' or '\n' or '\t' or '\r')
            {
                _pos++;
            }
        }
    }
}
