using System;
using System.Globalization;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

/// <summary>Fixed-format card rules of the FITS standard 4.0, section 4 (columns are 1-based there, 0-based here).</summary>
public class FitsCardTests
{
    [Fact]
    public void LogicalValue_IsInColumn30()
    {
        string card = FitsCard.Logical("SIMPLE", true).Format();
        Assert.Equal(80, card.Length);
        Assert.Equal("SIMPLE  = ", card[..10]);
        Assert.Equal('T', card[29]);
        Assert.Equal(new string(' ', 19), card[10..29]);
        Assert.Equal('F', FitsCard.Logical("EXTEND", false).Format()[29]);
    }

    [Theory]
    [InlineData(-32L)]
    [InlineData(8L)]
    [InlineData(long.MinValue)]
    public void IntegerValue_IsRightJustifiedInColumns11To30(long value)
    {
        string card = FitsCard.Integer("BITPIX", value, "a comment").Format();
        string expected = value.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(expected, card[(30 - expected.Length)..30]);
        Assert.Equal(new string(' ', 20 - expected.Length), card[10..(30 - expected.Length)]);
        Assert.Equal(" / a comment", card[30..42]);
        Assert.Equal(80, card.Length);
    }

    [Theory]
    [InlineData(7.1, "7.1")]
    [InlineData(12.0, "12.0")]
    [InlineData(1e-5, "1.0E-05")]
    [InlineData(-2.5e20, "-2.5E+20")]
    [InlineData(-1.7976931348623157e308, "-1.797693134862E+308")]
    public void RealValue_HasADecimalPointAndFitsTheField(double value, string expected)
    {
        string card = FitsCard.Real("PEAKSNR", value).Format();
        Assert.Equal(expected.PadLeft(20), card[10..30]);
        double back = double.Parse(card[10..30], CultureInfo.InvariantCulture);
        Assert.Equal(value, back, Math.Abs(value) * 1e-12);
    }

    [Fact]
    public void FloatValue_UsesTheFloatsShortestDigits()
    {
        Assert.Equal("7.1", FitsCard.Real("PEAKSNR", 7.1f).Format()[10..30].Trim());
    }

    [Fact]
    public void StringValue_StartsInColumn11_PaddedTo8_WithQuotesDoubled()
    {
        string card = FitsCard.Text("EXTNAME", "MASK", "name").Format();
        Assert.Equal("EXTNAME = 'MASK    '", card[..20]);
        Assert.Equal(" / name", card[30..37]);

        card = FitsCard.Text("OBJECT", "O'Brien's").Format();
        Assert.Equal("'O''Brien''s'", card[10..23]);
        Assert.Equal("O'Brien's", FitsCard.Parse(card).Value);
    }

    [Fact]
    public void StringValue_RejectsNonAsciiAndOverlongText()
    {
        Assert.Throws<ArgumentException>(() => FitsCard.Text("OBJECT", "Caf\u00e9"));
        Assert.Throws<ArgumentException>(() => FitsCard.Text("OBJECT", new string('x', 69)));
        Assert.Equal(80, FitsCard.Text("OBJECT", new string('x', 68)).Format().Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("TOOLONGKEY")]
    [InlineData("lower")]
    [InlineData("END")]
    [InlineData("COMMENT")]
    public void InvalidKeywords_AreRejected(string keyword) =>
        Assert.Throws<ArgumentException>(() => FitsCard.Integer(keyword, 1));

    [Fact]
    public void NonFiniteReal_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FitsCard.Real("X", double.NaN));

    [Fact]
    public void CommentCard_HasTextFromColumn9()
    {
        string card = FitsCard.CommentCard("mask values").Format();
        Assert.Equal("COMMENT mask values", card.TrimEnd());
        Assert.Equal(80, card.Length);
    }

    [Theory]
    [InlineData("X       =                    T", true)]
    [InlineData("X       = F / free format", false)]
    [InlineData("X       =                   42 / c", 42L)]
    [InlineData("X       =  -1.5D+02", -150.0)]
    [InlineData("X       = 'ab   '   / trailing spaces are not significant", "ab")]
    [InlineData("X       = '  lead'", "  lead")]
    public void Parse_ReadsFixedAndFreeFormatValues(string text, object expected)
    {
        FitsCard card = FitsCard.Parse(text.PadRight(80));
        Assert.Equal(expected, card.Value);
    }

    [Fact]
    public void Parse_UndefinedValueAndComment()
    {
        FitsCard card = FitsCard.Parse("X       =                      / undefined".PadRight(80));
        Assert.Null(card.Value);
        Assert.Equal("undefined", card.Comment);
    }

    [Theory]
    [InlineData("X       = 'open")]
    [InlineData("X       = (1, 2)")]
    [InlineData("X       = 12 junk")]
    [InlineData("x       = 1")]
    public void Parse_RejectsMalformedCards(string text) =>
        Assert.Throws<FormatException>(() => FitsCard.Parse(text.PadRight(80)));

    [Fact]
    public void Parse_RejectsWrongLengthAndControlCharacters()
    {
        Assert.Throws<FormatException>(() => FitsCard.Parse("SIMPLE  =                    T"));
        Assert.Throws<FormatException>(() => FitsCard.Parse("X       = 'a\tb'".PadRight(80)));
    }

    [Fact]
    public void Header_RefusesStructuralAndDuplicateKeywords()
    {
        var h = new FitsHeader();
        Assert.Throws<ArgumentException>(() => h.Add("NAXIS2", 3L));
        Assert.Throws<ArgumentException>(() => h.Add("BITPIX", 8L));
        h.Add("LABEL", 1L);
        Assert.Throws<ArgumentException>(() => h.Add("LABEL", 2L));
        h.AddComment("a").AddComment("b");
        Assert.Equal(3, h.Count);
    }
}
