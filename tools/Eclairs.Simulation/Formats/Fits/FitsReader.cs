using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// Reads a FITS file into its HDUs, checking the rules the standard makes about structure: 2880-byte blocks,
/// printable 80-character cards, the mandatory keywords and their order, a supported BITPIX, an END card followed
/// only by blank cards, and data that are all there.
/// </summary>
public static class FitsReader
{
    private const int CardsPerBlock = FitsWriter.BlockSize / FitsCard.Length;

    public static IReadOnlyList<FitsHdu> Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, path);
    }

    public static IReadOnlyList<FitsHdu> Read(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hdus = new List<FitsHdu>();
        var block = new byte[FitsWriter.BlockSize];
        while (true)
        {
            int got = stream.ReadAtLeast(block, block.Length, throwOnEndOfStream: false);
            if (got == 0)
            {
                if (hdus.Count == 0)
                {
                    throw new FitsFormatException(sourceName, 0, "the file is empty");
                }

                return hdus;
            }

            int index = hdus.Count;
            if (got < block.Length)
            {
                throw new FitsFormatException(sourceName, index, $"truncated: the file ends {got} bytes into a 2880-byte block (FITS files are whole blocks)");
            }

            hdus.Add(ReadHdu(stream, block, index, sourceName));
        }
    }

    private static FitsHdu ReadHdu(Stream stream, byte[] firstBlock, int index, string? sourceName)
    {
        FitsFormatException Fail(string detail) => new(sourceName, index, detail);

        List<FitsCard> cards = ReadHeaderCards(stream, firstBlock, Fail);
        bool primary = index == 0;
        int next = 0;
        FitsCard Mandatory(string keyword)
        {
            if (next >= cards.Count || cards[next].Keyword != keyword)
            {
                string found = next < cards.Count ? cards[next].Keyword : "END";
                throw Fail($"mandatory keyword {keyword} expected as card {next + 1}, found {(found.Length == 0 ? "a blank keyword" : found)}");
            }

            return cards[next++];
        }

        long IntegerValue(FitsCard card, long min, long max)
        {
            if (card.Value is not long v || v < min || v > max)
            {
                throw Fail($"{card.Keyword} = {card.Value ?? "(none)"} is not an integer in {min}..{max}");
            }

            return v;
        }

        string? extension = null;
        if (primary)
        {
            FitsCard simple = Mandatory("SIMPLE");
            if (simple.Value is not true)
            {
                throw Fail("SIMPLE must be T for a file that conforms to the standard");
            }
        }
        else
        {
            FitsCard xtension = Mandatory("XTENSION");
            extension = xtension.Value as string ?? throw Fail("XTENSION must be a string");
        }

        int bitpix = (int)IntegerValue(Mandatory("BITPIX"), -64, 64);
        if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
        {
            throw Fail($"BITPIX {bitpix} is not one of 8, 16, 32, 64, -32, -64");
        }

        int naxis = (int)IntegerValue(Mandatory("NAXIS"), 0, 999);
        var axes = new int[naxis];
        long pixels = naxis == 0 ? 0 : 1;
        for (int i = 0; i < naxis; i++)
        {
            axes[i] = (int)IntegerValue(Mandatory($"NAXIS{i + 1}"), 0, int.MaxValue);
            pixels = Math.BigMul(pixels, axes[i], out long low) != 0 || low < 0 ? long.MaxValue : low;
        }

        long pcount = 0;
        long gcount = 1;
        if (!primary)
        {
            pcount = IntegerValue(Mandatory("PCOUNT"), 0, int.MaxValue);
            gcount = IntegerValue(Mandatory("GCOUNT"), 1, int.MaxValue);
            if (extension == "IMAGE" && (pcount != 0 || gcount != 1))
            {
                throw Fail($"an IMAGE extension must have PCOUNT = 0 and GCOUNT = 1 (found {pcount}, {gcount})");
            }
        }

        var header = new FitsHeader();
        for (int i = next; i < cards.Count; i++)
        {
            FitsCard card = cards[i];
            bool misplaced = card.Keyword is "SIMPLE" or "XTENSION" or "BITPIX" or "NAXIS" or "PCOUNT" or "GCOUNT"
                || (card.Keyword.StartsWith("NAXIS", StringComparison.Ordinal) && FitsHeader.IsStructural(card.Keyword));
            if (misplaced)
            {
                throw Fail($"mandatory keyword {card.Keyword} repeated or out of order at card {i + 1}");
            }

            if (card.Keyword == "EXTEND")
            {
                continue; // optional in the primary header; the writer always adds it
            }

            header.AddParsed(card);
        }

        double announced = (double)(Math.Abs(bitpix) / 8) * gcount * ((double)pcount + pixels);
        if (announced > Array.MaxLength)
        {
            throw Fail($"data unit of {announced:G4} bytes is too large for this reader");
        }

        long dataBytes = (long)announced;
        if (stream.CanSeek && dataBytes > stream.Length - stream.Position)
        {
            throw Fail($"truncated: the header announces {dataBytes} data bytes, the file has {stream.Length - stream.Position} left");
        }

        var data = new byte[dataBytes];
        long padded = (dataBytes + FitsWriter.BlockSize - 1) / FitsWriter.BlockSize * FitsWriter.BlockSize;
        if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
        {
            throw Fail($"truncated: the header announces {dataBytes} data bytes");
        }

        var padding = new byte[padded - dataBytes];
        if (stream.ReadAtLeast(padding, padding.Length, throwOnEndOfStream: false) < padding.Length)
        {
            throw Fail("truncated: the data unit's last 2880-byte block is incomplete");
        }

        return new FitsHdu(bitpix, axes, data, extension, header);
    }

    private static List<FitsCard> ReadHeaderCards(Stream stream, byte[] firstBlock, Func<string, FitsFormatException> fail)
    {
        var cards = new List<FitsCard>();
        byte[] block = firstBlock;
        while (true)
        {
            for (int c = 0; c < CardsPerBlock; c++)
            {
                string image = Encoding.Latin1.GetString(block, c * FitsCard.Length, FitsCard.Length);
                if (image.StartsWith("END     ", StringComparison.Ordinal))
                {
                    if (image.AsSpan(3).IndexOfAnyExcept(' ') >= 0)
                    {
                        throw fail("the END card must be blank after the keyword");
                    }

                    for (int rest = c + 1; rest < CardsPerBlock; rest++)
                    {
                        if (block.AsSpan(rest * FitsCard.Length, FitsCard.Length).IndexOfAnyExcept((byte)' ') >= 0)
                        {
                            throw fail("the header after END must be filled with spaces");
                        }
                    }

                    return cards;
                }

                try
                {
                    cards.Add(FitsCard.Parse(image));
                }
                catch (FormatException e)
                {
                    throw fail($"card {cards.Count + 1}: {e.Message}");
                }
            }

            block = new byte[FitsWriter.BlockSize];
            if (stream.ReadAtLeast(block, block.Length, throwOnEndOfStream: false) < block.Length)
            {
                throw fail("truncated: the header ends before its END card or mid-block");
            }
        }
    }
}
