using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// Writes a FITS file: the first HDU as the primary array, the others as IMAGE extensions. Each header starts with
/// the mandatory keywords in the standard's order, ends with END and is padded with spaces to a 2880-byte block;
/// each data unit is big-endian and padded with zeros to a 2880-byte block.
/// </summary>
public static class FitsWriter
{
    public const int BlockSize = 2880;

    public static void Write(string path, IReadOnlyList<FitsHdu> hdus)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(file, hdus);
    }

    public static void Write(Stream stream, IReadOnlyList<FitsHdu> hdus)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(hdus);
        if (hdus.Count == 0)
        {
            throw new ArgumentException("a FITS file needs at least the primary HDU", nameof(hdus));
        }

        for (int i = 0; i < hdus.Count; i++)
        {
            WriteHeader(stream, hdus[i], primary: i == 0);
            ReadOnlySpan<byte> data = hdus[i].BigEndianData;
            stream.Write(data);
            stream.Write(new byte[Padding(data.Length)]);
        }
    }

    /// <summary>The mandatory cards of an HDU, in the order the standard requires (sections 4.4.1.1 and 7.1.1).</summary>
    public static IReadOnlyList<FitsCard> MandatoryCards(FitsHdu hdu, bool primary)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        var cards = new List<FitsCard>();
        if (primary)
        {
            cards.Add(FitsCard.Logical("SIMPLE", true, "conforms to FITS standard 4.0"));
        }
        else
        {
            cards.Add(FitsCard.Text("XTENSION", "IMAGE", "image extension"));
        }

        cards.Add(FitsCard.Integer("BITPIX", hdu.Bitpix, BitpixComment(hdu.Bitpix)));
        cards.Add(FitsCard.Integer("NAXIS", hdu.Axes.Count, "number of data axes"));
        for (int i = 0; i < hdu.Axes.Count; i++)
        {
            string comment = i switch
            {
                0 => "length of axis 1 (columns, fastest)",
                1 => "length of axis 2 (rows)",
                _ => $"length of axis {i + 1}",
            };
            cards.Add(FitsCard.Integer($"NAXIS{i + 1}", hdu.Axes[i], comment));
        }

        if (primary)
        {
            cards.Add(FitsCard.Logical("EXTEND", true, "extensions may follow"));
        }
        else
        {
            cards.Add(FitsCard.Integer("PCOUNT", 0, "no parameters"));
            cards.Add(FitsCard.Integer("GCOUNT", 1, "one group"));
        }

        return cards;
    }

    private static void WriteHeader(Stream stream, FitsHdu hdu, bool primary)
    {
        var text = new StringBuilder();
        foreach (FitsCard card in MandatoryCards(hdu, primary))
        {
            text.Append(card.Format());
        }

        foreach (FitsCard card in hdu.Header)
        {
            text.Append(card.Format());
        }

        text.Append("END".PadRight(FitsCard.Length));
        text.Append(' ', Padding(text.Length));
        stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
    }

    private static int Padding(int length) => (BlockSize - (length % BlockSize)) % BlockSize;

    private static string BitpixComment(int bitpix) => bitpix switch
    {
        8 => "8-bit unsigned integers",
        16 => "16-bit signed integers",
        32 => "32-bit signed integers",
        64 => "64-bit signed integers",
        -32 => "IEEE 754 single precision",
        -64 => "IEEE 754 double precision",
        _ => "",
    };
}
