using System;
using System.Collections.Generic;

namespace Eclairs.Simulation.Pictures;

/// <summary>
/// A built-in 5 x 7 pixel font (ASCII letters, digits and common symbols, plus the degree sign), drawn at an
/// integer scale. Glyphs are in the style of the classic 5 x 7 LCD character sets; lower case sits in rows 2-6.
/// Characters without a glyph are drawn as a hollow box.
/// </summary>
public static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Horizontal advance per character at scale 1 (glyph plus one column of space).</summary>
    public const int Advance = GlyphWidth + 1;

    // One glyph per line: the character, then its 7 rows top to bottom ('#' = ink).
    private const string GlyphTable = """
        0 .###. #...# #..## #.#.# ##..# #...# .###.
        1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
        2 .###. #...# ....# ...#. ..#.. .#... #####
        3 ##### ...#. ..#.. ...#. ....# #...# .###.
        4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
        5 ##### #.... ####. ....# ....# #...# .###.
        6 ..##. .#... #.... ####. #...# #...# .###.
        7 ##### ....# ...#. ..#.. .#... .#... .#...
        8 .###. #...# #...# .###. #...# #...# .###.
        9 .###. #...# #...# .#### ....# ...#. .##..
        A .###. #...# #...# ##### #...# #...# #...#
        B ####. #...# #...# ####. #...# #...# ####.
        C .###. #...# #.... #.... #.... #...# .###.
        D ###.. #..#. #...# #...# #...# #..#. ###..
        E ##### #.... #.... ####. #.... #.... #####
        F ##### #.... #.... ####. #.... #.... #....
        G .###. #...# #.... #.### #...# #...# .####
        H #...# #...# #...# ##### #...# #...# #...#
        I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
        J ..### ...#. ...#. ...#. ...#. #..#. .##..
        K #...# #..#. #.#.. ##... #.#.. #..#. #...#
        L #.... #.... #.... #.... #.... #.... #####
        M #...# ##.## #.#.# #.#.# #...# #...# #...#
        N #...# #...# ##..# #.#.# #..## #...# #...#
        O .###. #...# #...# #...# #...# #...# .###.
        P ####. #...# #...# ####. #.... #.... #....
        Q .###. #...# #...# #...# #.#.# #..#. .##.#
        R ####. #...# #...# ####. #.#.. #..#. #...#
        S .#### #.... #.... .###. ....# ....# ####.
        T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
        U #...# #...# #...# #...# #...# #...# .###.
        V #...# #...# #...# #...# #...# .#.#. ..#..
        W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
        X #...# #...# .#.#. ..#.. .#.#. #...# #...#
        Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
        Z ##### ....# ...#. ..#.. .#... #.... #####
        a ..... ..... .###. ....# .#### #...# .####
        b #.... #.... #.##. ##..# #...# #...# ####.
        c ..... ..... .###. #.... #.... #...# .###.
        d ....# ....# .##.# #..## #...# #...# .####
        e ..... ..... .###. #...# ##### #.... .###.
        f ..##. .#..# .#... ###.. .#... .#... .#...
        g ..... ..... .#### #...# .#### ....# .###.
        h #.... #.... #.##. ##..# #...# #...# #...#
        i ..#.. ..... .##.. ..#.. ..#.. ..#.. .###.
        j ...#. ..... ..##. ...#. ...#. #..#. .##..
        k #.... #.... #..#. #.#.. ##... #.#.. #..#.
        l .##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
        m ..... ..... ##.#. #.#.# #.#.# #...# #...#
        n ..... ..... #.##. ##..# #...# #...# #...#
        o ..... ..... .###. #...# #...# #...# .###.
        p ..... ..... ####. #...# ####. #.... #....
        q ..... ..... .##.# #..## .#### ....# ....#
        r ..... ..... #.##. ##..# #.... #.... #....
        s ..... ..... .###. #.... .###. ....# ####.
        t .#... .#... ###.. .#... .#... .#..# ..##.
        u ..... ..... #...# #...# #...# #..## .##.#
        v ..... ..... #...# #...# #...# .#.#. ..#..
        w ..... ..... #...# #...# #.#.# #.#.# .#.#.
        x ..... ..... #...# .#.#. ..#.. .#.#. #...#
        y ..... ..... #...# #...# .#### ....# .###.
        z ..... ..... ##### ...#. ..#.. .#... #####
        . ..... ..... ..... ..... ..... .##.. .##..
        , ..... ..... ..... ..... .##.. ..#.. .#...
        : ..... .##.. .##.. ..... .##.. .##.. .....
        ; ..... .##.. .##.. ..... .##.. ..#.. .#...
        - ..... ..... ..... ##### ..... ..... .....
        + ..... ..#.. ..#.. ##### ..#.. ..#.. .....
        = ..... ..... ##### ..... ##### ..... .....
        _ ..... ..... ..... ..... ..... ..... #####
        / ..... ....# ...#. ..#.. .#... #.... .....
        ( ...#. ..#.. .#... .#... .#... ..#.. ...#.
        ) .#... ..#.. ...#. ...#. ...#. ..#.. .#...
        [ .###. .#... .#... .#... .#... .#... .###.
        ] .###. ...#. ...#. ...#. ...#. ...#. .###.
        < ...#. ..#.. .#... #.... .#... ..#.. ...#.
        > .#... ..#.. ...#. ....# ...#. ..#.. .#...
        % ##... ##..# ...#. ..#.. .#... #..## ...##
        # .#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.
        ' ..#.. ..#.. .#... ..... ..... ..... .....
        " .#.#. .#.#. ..... ..... ..... ..... .....
        ! ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..
        ? .###. #...# ....# ...#. ..#.. ..... ..#..
        * ..... ..#.. #.#.# .###. #.#.# ..#.. .....
        | ..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
        & .##.. #..#. #.#.. .#... #.#.# #..#. .##.#
        ° .##.. #..#. #..#. .##.. ..... ..... .....
        """;

    private static readonly Dictionary<char, byte[]> Glyphs = Parse();
    private static readonly byte[] Blank = new byte[GlyphHeight];
    private static readonly byte[] Missing = [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F];

    /// <summary>True when <paramref name="c"/> has its own glyph (space counts).</summary>
    public static bool HasGlyph(char c) => c == ' ' || Glyphs.ContainsKey(c);

    /// <summary>Width in pixels of a line of text (no trailing space column).</summary>
    public static int MeasureWidth(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : ((text.Length * Advance) - 1) * scale;
    }

    public static int MeasureHeight(int scale = 1) => GlyphHeight * scale;

    /// <summary>Draws text with its top-left corner at (x, y).</summary>
    public static void DrawText(RgbImage image, int x, int y, string text, Rgb color, int scale = 1)
    {
        Draw(image, x, y, text, color, scale, vertical: false);
    }

    /// <summary>Draws text reading bottom to top (turned a quarter left), its first column on row <paramref name="y"/> and its top at column <paramref name="x"/> (vertical axis labels).</summary>
    public static void DrawTextVertical(RgbImage image, int x, int y, string text, Rgb color, int scale = 1)
    {
        Draw(image, x, y, text, color, scale, vertical: true);
    }

    /// <summary>Draws text centred horizontally on <paramref name="centerX"/>.</summary>
    public static void DrawTextCentered(RgbImage image, int centerX, int y, string text, Rgb color, int scale = 1) =>
        DrawText(image, centerX - MeasureWidth(text, scale) / 2, y, text, color, scale);

    private static void Draw(RgbImage image, int x, int y, string text, Rgb color, int scale, bool vertical)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        for (int k = 0; k < text.Length; k++)
        {
            byte[] rows = text[k] == ' ' ? Blank : Glyphs.GetValueOrDefault(text[k], Missing);
            for (int gy = 0; gy < GlyphHeight; gy++)
            {
                for (int gx = 0; gx < GlyphWidth; gx++)
                {
                    if ((rows[gy] & (0x10 >> gx)) == 0)
                    {
                        continue;
                    }

                    int u = ((k * Advance) + gx) * scale; // along the text
                    int v = gy * scale;                   // across the text, from its top
                    if (vertical)
                    {
                        image.FillRect(x + v, y - u - scale + 1, scale, scale, color);
                    }
                    else
                    {
                        image.FillRect(x + u, y + v, scale, scale, color);
                    }
                }
            }
        }
    }

    private static Dictionary<char, byte[]> Parse()
    {
        var glyphs = new Dictionary<char, byte[]>();
        foreach (string raw in GlyphTable.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            string[] rows = line[2..].Split(' ');
            if (line[1] != ' ' || rows.Length != GlyphHeight)
            {
                throw new InvalidOperationException($"bad glyph line \"{line}\"");
            }

            var bits = new byte[GlyphHeight];
            for (int r = 0; r < GlyphHeight; r++)
            {
                if (rows[r].Length != GlyphWidth)
                {
                    throw new InvalidOperationException($"bad glyph row in \"{line}\"");
                }

                for (int c = 0; c < GlyphWidth; c++)
                {
                    if (rows[r][c] == '#')
                    {
                        bits[r] |= (byte)(0x10 >> c);
                    }
                }
            }

            glyphs.Add(line[0], bits);
        }

        return glyphs;
    }
}
