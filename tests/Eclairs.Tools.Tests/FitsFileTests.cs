using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

/// <summary>File structure rules of the FITS standard 4.0 (sections 3, 4.4, 7.1) checked on the bytes written.</summary>
public class FitsFileTests
{
    private const int Block = 2880;

    private static byte[] WriteTwoImages()
    {
        // 3 columns x 2 rows: NAXIS1 = 3, NAXIS2 = 2; pixel (row 1, column 0) is data index 3.
        FitsHdu primary = FitsHdu.Image(new[] { 1.0f, -2.5f, 0.1f, 3f, 4f, 5f }, 3, 2);
        primary.Header.Add("PEAKSNR", 7.1f, "peak").AddComment("hello");
        FitsHdu mask = FitsHdu.Image(new byte[] { 0, 1, 2, 3, 255, 7 }, 3, 2);
        mask.Header.Add("EXTNAME", "MASK");
        using var ms = new MemoryStream();
        FitsWriter.Write(ms, new[] { primary, mask });
        return ms.ToArray();
    }

    private static List<string> Cards(byte[] file, int offset)
    {
        var cards = new List<string>();
        for (int i = offset; ; i += 80)
        {
            string card = Encoding.ASCII.GetString(file, i, 80);
            cards.Add(card);
            if (card.StartsWith("END ", StringComparison.Ordinal))
            {
                return cards;
            }
        }
    }

    [Fact]
    public void File_IsWholeBlocks_PrimaryThenExtension()
    {
        byte[] file = WriteTwoImages();
        // primary header 1 block + data 1 block + extension header 1 block + data 1 block
        Assert.Equal(4 * Block, file.Length);

        List<string> primary = Cards(file, 0);
        Assert.Equal(new[] { "SIMPLE", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "EXTEND", "PEAKSNR", "COMMENT", "END" },
            primary.Select(c => c[..8].TrimEnd()));
        Assert.Equal('T', primary[0][29]);
        Assert.Equal("-32", primary[1][27..30]);
        Assert.Equal("2", primary[2][29..30]);
        Assert.Equal("3", primary[3][29..30]);
        Assert.Equal("2", primary[4][29..30]);
        Assert.Equal("END" + new string(' ', 77), primary[^1]);
        // the rest of the header block is spaces
        Assert.All(file[(primary.Count * 80)..Block], b => Assert.Equal((byte)' ', b));

        List<string> ext = Cards(file, 2 * Block);
        Assert.Equal(new[] { "XTENSION", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "PCOUNT", "GCOUNT", "EXTNAME", "END" },
            ext.Select(c => c[..8].TrimEnd()));
        Assert.Equal("'IMAGE   '", ext[0][10..20]);
        Assert.Equal("8", ext[1][29..30]);
        Assert.Equal("0", ext[5][29..30]);
        Assert.Equal("1", ext[6][29..30]);
    }

    [Fact]
    public void Data_IsBigEndianIeee_PaddedWithZeros()
    {
        byte[] file = WriteTwoImages();
        // 1.0f = 0x3F800000, -2.5f = 0xC0200000, 0.1f = 0x3DCCCCCD: most significant byte first.
        Assert.Equal(new byte[] { 0x3F, 0x80, 0, 0, 0xC0, 0x20, 0, 0, 0x3D, 0xCC, 0xCC, 0xCD }, file[Block..(Block + 12)]);
        Assert.All(file[(Block + 24)..(2 * Block)], b => Assert.Equal(0, b));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 255, 7 }, file[(3 * Block)..(3 * Block + 6)]);
        Assert.All(file[(3 * Block + 6)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Int16AndFloat64_AreBigEndianToo()
    {
        using var ms = new MemoryStream();
        FitsWriter.Write(ms, new[] { FitsHdu.Image(new short[] { 0x0102, -2 }, 2), FitsHdu.Image(new[] { 1.0 }, 1) });
        byte[] file = ms.ToArray();
        Assert.Equal(new byte[] { 0x01, 0x02, 0xFF, 0xFE }, file[Block..(Block + 4)]);
        Assert.Equal(new byte[] { 0x3F, 0xF0, 0, 0, 0, 0, 0, 0 }, file[(3 * Block)..(3 * Block + 8)]);
    }

    [Fact]
    public void LongHeader_SpillsIntoASecondBlock()
    {
        FitsHdu hdu = FitsHdu.Image(new byte[] { 1 }, 1);
        for (int i = 0; i < 40; i++)
        {
            hdu.Header.Add($"KEY{i}", (long)i);
        }

        using var ms = new MemoryStream();
        FitsWriter.Write(ms, new[] { hdu });
        Assert.Equal(3 * Block, ms.Length);
        IReadOnlyList<FitsHdu> back = FitsReader.Read(new MemoryStream(ms.ToArray()));
        Assert.Equal(39L, back[0].Header.GetInteger("KEY39"));
        Assert.Equal(new byte[] { 1 }, back[0].GetUInt8());
    }

    [Fact]
    public void RoundTrip_KeepsPixelsAxesAndKeywords()
    {
        IReadOnlyList<FitsHdu> hdus = FitsReader.Read(new MemoryStream(WriteTwoImages()), "two.fits");
        Assert.Equal(2, hdus.Count);
        Assert.Null(hdus[0].ExtensionType);
        Assert.Equal(new[] { 3, 2 }, hdus[0].Axes);
        Assert.Equal(3, hdus[0].Width);
        Assert.Equal(2, hdus[0].Height);
        Assert.Equal(new[] { 1.0f, -2.5f, 0.1f, 3f, 4f, 5f }, hdus[0].GetFloat32());
        Assert.Equal(7.1, hdus[0].Header.GetReal("PEAKSNR"));
        Assert.Equal("IMAGE", hdus[1].ExtensionType);
        Assert.Equal("MASK", hdus[1].Header.GetText("EXTNAME"));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 255, 7 }, hdus[1].GetUInt8());
        Assert.Throws<FitsFormatException>(() => hdus[1].GetFloat32());
    }

    [Fact]
    public void Reader_ReadsAstropysFile()
    {
        IReadOnlyList<FitsHdu> hdus = FitsReader.Read(new MemoryStream(AstropyReferenceFiles.TwoImages), "astropy.fits");
        Assert.Equal(new[] { 4, 3 }, hdus[0].Axes);
        Assert.Equal(new[] { 1.0f, -2.5f, 0.1f, 3e38f, 0, 1, 2, 3, 4, 5, 6, 7 }, hdus[0].GetFloat32());
        Assert.Equal("O'Brien", hdus[0].Header.GetText("OBJECT"));
        Assert.Equal(1.5, hdus[0].Header.GetReal("EXPOSURE"));
        Assert.Equal(42L, hdus[0].Header.GetInteger("COUNT"));
        Assert.False(hdus[0].Header.GetLogical("FLAG"));
        Assert.Equal("MASK", hdus[1].Header.GetText("EXTNAME"));
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, hdus[1].GetUInt8());
    }

    private static FitsFormatException ReadFails(byte[] file) =>
        Assert.Throws<FitsFormatException>(() => FitsReader.Read(new MemoryStream(file), "bad.fits"));

    private static void PutCard(byte[] file, int index, string card) =>
        Encoding.ASCII.GetBytes(card.PadRight(80)).CopyTo(file, index * 80);

    [Fact]
    public void Truncation_IsReported()
    {
        byte[] file = WriteTwoImages();
        Assert.Contains("truncated", ReadFails(file[..^1]).Message);
        Assert.Contains("truncated", ReadFails(file[..(3 * Block)]).Message);
        Assert.Contains("truncated", ReadFails(file[..1000]).Message);
        Assert.Contains("HDU 1", ReadFails(file[..(3 * Block)]).Message);
    }

    [Fact]
    public void MandatoryKeywordsOutOfOrder_AreRejected()
    {
        byte[] file = WriteTwoImages();
        string bitpix = Encoding.ASCII.GetString(file, 80, 80);
        string naxis = Encoding.ASCII.GetString(file, 160, 80);
        PutCard(file, 1, naxis);
        PutCard(file, 2, bitpix);
        FitsFormatException e = ReadFails(file);
        Assert.Contains("mandatory keyword BITPIX expected as card 2, found NAXIS", e.Message);
        Assert.Equal(0, e.HduIndex);
        Assert.Equal("bad.fits", e.FileName);
    }

    [Fact]
    public void RepeatedMandatoryKeyword_IsRejected()
    {
        byte[] file = WriteTwoImages();
        PutCard(file, 6, "NAXIS1  =                    3");
        Assert.Contains("repeated or out of order", ReadFails(file).Message);
    }

    [Fact]
    public void UnsupportedBitpix_IsRejected()
    {
        byte[] file = WriteTwoImages();
        PutCard(file, 1, "BITPIX  =                   12");
        Assert.Contains("BITPIX 12", ReadFails(file).Message);
    }

    [Fact]
    public void SimpleMustBeTrue()
    {
        byte[] file = WriteTwoImages();
        PutCard(file, 0, "SIMPLE  =                    F");
        Assert.Contains("SIMPLE must be T", ReadFails(file).Message);
    }

    [Fact]
    public void NonAsciiCard_IsRejected()
    {
        byte[] file = WriteTwoImages();
        file[7 * 80 + 20] = 0xE9;
        Assert.Contains("printable ASCII", ReadFails(file).Message);
    }

    [Fact]
    public void TextAfterEnd_IsRejected()
    {
        byte[] file = WriteTwoImages();
        file[Block - 1] = (byte)'x';
        Assert.Contains("after END", ReadFails(file).Message);
    }

    [Fact]
    public void ImageExtensionWithParameters_IsRejected()
    {
        byte[] file = WriteTwoImages();
        Encoding.ASCII.GetBytes("PCOUNT  =                    1").CopyTo(file, 2 * Block + 5 * 80);
        Assert.Contains("PCOUNT = 0", ReadFails(file).Message);
    }

    [Fact]
    public void NotFits_IsRejected()
    {
        Assert.Contains("card 1: ", ReadFails(new byte[Block]).Message);
        Assert.Contains("empty", ReadFails(Array.Empty<byte>()).Message);
    }
}
