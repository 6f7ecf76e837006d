using System;
using System.IO;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Pictures;

/// <summary>
/// An RGB canvas (rows top to bottom, 3 bytes per pixel) with the few drawing operations the pictures need.
/// Every drawing call clips to the canvas, so callers may draw partly outside it.
/// </summary>
public sealed class RgbImage
{
    private readonly byte[] _pixels;

    public RgbImage(int width, int height)
        : this(width, height, Rgb.White)
    {
    }

    public RgbImage(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        _pixels = new byte[checked(width * height * 3)];
        Fill(background);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The raw RGB bytes, row-major.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    public Rgb this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            {
                throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width} x {Height} image");
            }

            int i = (y * Width + x) * 3;
            return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        }

        set => SetPixel(x, y, value);
    }

    /// <summary>Sets one pixel; does nothing outside the canvas.</summary>
    public void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int i = (y * Width + x) * 3;
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
    }

    public void Fill(Rgb color) => FillRect(0, 0, Width, Height, color);

    public void FillRect(int x, int y, int width, int height, Rgb color)
    {
        int x0 = Math.Max(x, 0);
        int y0 = Math.Max(y, 0);
        int x1 = Math.Min(x + width, Width);
        int y1 = Math.Min(y + height, Height);
        for (int yy = y0; yy < y1; yy++)
        {
            for (int xx = x0; xx < x1; xx++)
            {
                SetPixel(xx, yy, color);
            }
        }
    }

    /// <summary>A rectangle outline of the given thickness drawn inside (x, y, width, height).</summary>
    public void DrawRect(int x, int y, int width, int height, Rgb color, int thickness = 1)
    {
        FillRect(x, y, width, thickness, color);
        FillRect(x, y + height - thickness, width, thickness, color);
        FillRect(x, y, thickness, height, color);
        FillRect(x + width - thickness, y, thickness, height, color);
    }

    /// <summary>
    /// Bresenham line between two points, both included; thickness draws a square brush centred on the line;
    /// a positive <paramref name="dash"/> alternates that many drawn and skipped steps.
    /// </summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1, int dash = 0)
    {
        int phase = 0;
        DrawLine(x0, y0, x1, y1, color, thickness, dash, ref phase);
    }

    /// <summary>Joins consecutive points; a dash pattern runs on across the joints.</summary>
    public void DrawPolyline(ReadOnlySpan<(int X, int Y)> points, Rgb color, int thickness = 1, int dash = 0)
    {
        int phase = 0;
        for (int i = 1; i < points.Length; i++)
        {
            DrawLine(points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, color, thickness, dash, ref phase);
        }
    }

    private void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness, int dash, ref int phase)
    {
        int dx = Math.Abs(x1 - x0);
        int dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        int half = (thickness - 1) / 2;
        while (true)
        {
            if (dash <= 0 || (phase / dash) % 2 == 0)
            {
                FillRect(x0 - half, y0 - half, thickness, thickness, color);
            }

            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            phase++;
            int e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> with its top-left corner at (x, y), clipped.</summary>
    public void Blit(RgbImage source, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (int sy = 0; sy < source.Height; sy++)
        {
            int ty = y + sy;
            if ((uint)ty >= (uint)Height)
            {
                continue;
            }

            for (int sx = 0; sx < source.Width; sx++)
            {
                SetPixel(x + sx, ty, source[sx, sy]);
            }
        }
    }

    /// <summary>Nearest-neighbour enlargement: each pixel becomes a factor x factor square.</summary>
    public RgbImage Upscale(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var result = new RgbImage(Width * factor, Height * factor);
        for (int y = 0; y < result.Height; y++)
        {
            for (int x = 0; x < result.Width; x++)
            {
                int s = ((y / factor) * Width + x / factor) * 3;
                int t = (y * result.Width + x) * 3;
                result._pixels[t] = _pixels[s];
                result._pixels[t + 1] = _pixels[s + 1];
                result._pixels[t + 2] = _pixels[s + 2];
            }
        }

        return result;
    }

    public void WritePng(Stream stream) => PngWriter.Write(stream, Width, Height, _pixels, PngColorType.Rgb);

    public void SavePng(string path) => PngWriter.Write(path, Width, Height, _pixels, PngColorType.Rgb);

    public byte[] ToPng()
    {
        using var ms = new MemoryStream();
        WritePng(ms);
        return ms.ToArray();
    }
}
