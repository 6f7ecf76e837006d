using System;
using System.Collections;
using System.Collections.Generic;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// The optional keywords of one HDU, in order. The structural keywords (SIMPLE, XTENSION, BITPIX, NAXIS, NAXISn,
/// EXTEND, PCOUNT, GCOUNT, END) are not stored here: the writer derives them from the image and the reader checks them.
/// </summary>
public sealed class FitsHeader : IReadOnlyList<FitsCard>
{
    private readonly List<FitsCard> _cards = [];

    public int Count => _cards.Count;

    public FitsCard this[int index] => _cards[index];

    public static bool IsStructural(string keyword) =>
        keyword is "SIMPLE" or "XTENSION" or "BITPIX" or "NAXIS" or "EXTEND" or "PCOUNT" or "GCOUNT" or "END"
        || (keyword.StartsWith("NAXIS", StringComparison.Ordinal) && keyword.Length > 5 && int.TryParse(keyword.AsSpan(5), out _));

    public FitsHeader Add(FitsCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (IsStructural(card.Keyword))
        {
            throw new ArgumentException($"{card.Keyword} is a structural keyword; the FITS writer writes it from the image itself", nameof(card));
        }

        if (!card.IsCommentary && TryGet(card.Keyword, out _))
        {
            throw new ArgumentException($"keyword {card.Keyword} is already in this header", nameof(card));
        }

        _cards.Add(card);
        return this;
    }

    public FitsHeader Add(string keyword, bool value, string? comment = null) => Add(FitsCard.Logical(keyword, value, comment));

    public FitsHeader Add(string keyword, long value, string? comment = null) => Add(FitsCard.Integer(keyword, value, comment));

    public FitsHeader Add(string keyword, double value, string? comment = null) => Add(FitsCard.Real(keyword, value, comment));

    public FitsHeader Add(string keyword, float value, string? comment = null) => Add(FitsCard.Real(keyword, value, comment));

    public FitsHeader Add(string keyword, string value, string? comment = null) => Add(FitsCard.Text(keyword, value, comment));

    /// <summary>Adds COMMENT cards, wrapping the text at word boundaries into 72-character lines.</summary>
    public FitsHeader AddComment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string rest = text;
        do
        {
            int cut = rest.Length;
            if (cut > 72)
            {
                cut = rest.LastIndexOf(' ', 72);
                cut = cut <= 0 ? 72 : cut;
            }

            _cards.Add(FitsCard.CommentCard(rest[..cut]));
            rest = rest[cut..].TrimStart();
        }
        while (rest.Length > 0);
        return this;
    }

    /// <summary>Adds a card read from a file, where duplicates are the file's business.</summary>
    internal void AddParsed(FitsCard card) => _cards.Add(card);

    public bool TryGet(string keyword, out FitsCard card)
    {
        foreach (FitsCard c in _cards)
        {
            if (!c.IsCommentary && c.Keyword == keyword)
            {
                card = c;
                return true;
            }
        }

        card = null!;
        return false;
    }

    public bool Contains(string keyword) => TryGet(keyword, out _);

    public double GetReal(string keyword) => Get(keyword) switch
    {
        double d => d,
        long l => l,
        var v => throw WrongType(keyword, "a number", v),
    };

    public long GetInteger(string keyword) => Get(keyword) is long l ? l : throw WrongType(keyword, "an integer", Get(keyword));

    public bool GetLogical(string keyword) => Get(keyword) is bool b ? b : throw WrongType(keyword, "T or F", Get(keyword));

    public string GetText(string keyword) => Get(keyword) is string s ? s : throw WrongType(keyword, "a string", Get(keyword));

    public IEnumerator<FitsCard> GetEnumerator() => _cards.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private object? Get(string keyword) =>
        TryGet(keyword, out FitsCard card) ? card.Value : throw new KeyNotFoundException($"keyword {keyword} is not in the header");

    private static FitsFormatException WrongType(string keyword, string expected, object? value) =>
        new($"keyword {keyword} holds {value ?? "no value"}, expected {expected}");
}
