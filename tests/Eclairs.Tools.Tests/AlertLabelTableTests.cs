using System;
using System.IO;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

/// <summary>The labels CSV of <c>eclairs import-alerts</c>: RFC 4180 quoting, an optional header, the vocabulary of labels and causes.</summary>
public sealed class AlertLabelTableTests
{
    private static AlertLabelTable Parse(string text) => AlertLabelTable.Parse(new StringReader(text), "labels.csv");

    [Fact]
    public void Positional_rows_without_a_header_read_file_label_cause_comment()
    {
        AlertLabelTable t = Parse("a.fits,true,burst,first one\r\nsub/b.fits,0\n\nc.fits, Unclear ,, \n");
        Assert.Equal(3, t.Rows.Count);
        Assert.Equal(new AlertLabelRow(1, "a.fits", AlertLabel.TrueAlert, 1, "burst", "first one", null), t.Rows[0]);
        Assert.Equal((AlertLabel.FalseAlert, (byte?)null, 2), (t.Rows[1].Label!.Value, t.Rows[1].Cause, t.Rows[1].Line));
        Assert.Equal((AlertLabel.Unclear, 4), (t.Rows[2].Label!.Value, t.Rows[2].Line));
        Assert.True(t.TryFind("sub/b.fits", out _));
        Assert.True(t.TryFind("a.fits", out _));
        Assert.False(t.TryFind("b.fits", out _)); // the row names a folder: a bare name does not match it
    }

    [Fact]
    public void A_header_orders_the_columns_and_quotes_hold_commas_quotes_and_line_breaks()
    {
        AlertLabelTable t = Parse("comment,label,file,cause\n\"two\nlines, and \"\"quotes\"\"\",FALSE,x.fits,Bad_Subtraction\n");
        AlertLabelRow row = Assert.Single(t.Rows);
        Assert.Equal("x.fits", row.File);
        Assert.Equal("two\nlines, and \"quotes\"", row.Comment);
        Assert.Equal((byte?)12, row.Cause);
        Assert.Equal(2, row.Line);
    }

    [Fact]
    public void Bad_labels_and_twice_labelled_files_become_the_row_s_problem()
    {
        AlertLabelTable t = Parse("a.fits,maybe\nb.fits,true\nb.fits,false\n");
        Assert.True(t.TryFind("a.fits", out AlertLabelRow a));
        Assert.Contains("line 1: label 'maybe'", a.Problem, StringComparison.Ordinal);
        Assert.True(t.TryFind("b.fits", out AlertLabelRow b));
        Assert.Equal("labelled twice (labels.csv lines 2 and 3)", b.Problem);
    }

    [Theory]
    [InlineData("a.fits,\"true\n", "line 1: a quoted field is not closed")]
    [InlineData("a.fits\n", "line 1: 1 column(s)")]
    [InlineData(",true\n", "line 1: no file name")]
    [InlineData("name,label\nx,true\n", "the header has no 'file' column")]
    public void Rows_that_cannot_be_read_name_the_line(string text, string message)
    {
        Assert.Contains(message, Assert.Throws<FormatException>(() => Parse(text)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("saa", 11)]
    [InlineData("SAA", 11)]
    [InlineData("Earth in field", 16)]
    [InlineData("xrdpix_inhomogeneity", 15)]
    [InlineData("17", 17)]
    public void Cause_words_map_to_the_codes_of_the_list(string word, byte code)
    {
        Assert.True(AlertVocabulary.TryParseCause(word, out byte parsed));
        Assert.Equal(code, parsed);
    }

    [Fact]
    public void Unknown_cause_words_are_not_guessed()
    {
        Assert.False(AlertVocabulary.TryParseCause("ghost", out _));
        Assert.False(AlertVocabulary.TryParseCause("256", out _));
        Assert.False(AlertVocabulary.TryParseLabel("yes", out _));
    }
}
