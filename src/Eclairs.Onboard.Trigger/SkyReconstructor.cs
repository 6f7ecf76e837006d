using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// Balanced cross-correlation of a shadowgram with the mask's decoding arrays (Goldwurm &amp; Gros 2023),
/// FFT-based, into intensity, variance, SNR and partial-coding sky images.
/// </summary>
/// <remarks>
/// <para>M is the mask rebinned to the detector pitch (values in [0, 1]), 1 its support, W the active-pixel
/// map, D the counts. G+ = M, G- = 1 - M, and every correlation is (X ⋆ D)[u] = Σ_i D[i] X[i + u - (nd - 1)]
/// over detector pixels i, so sky pixel u = (nd - 1) + (mask cell - detector pixel): a full correlation of
/// nm + nd - 1 pixels a side.</para>
/// <para>B = (G+ ⋆ W) / (G- ⋆ W), N = (G+ M) ⋆ W - B (G- M) ⋆ W, S = (G+ ⋆ D - B G- ⋆ D) / N and
/// Var = Σ_i D[i] (G+ - B G-)² / N². With G+ = M and G- = 1 - M these need only three correlations of the
/// counts: M ⋆ D and M² ⋆ D (one complex FFT pair: the kernel M + i M² gives both at once) and 1 ⋆ D
/// (a box sum, from an integral image). The variance keeps the cross term -2B G+G- that the binary-mask
/// formula drops, because the rebinned M is fractional.</para>
/// <para>Everything that does not depend on the counts (kernel spectrum, B, N, partial coding, per-pixel
/// coefficients) is computed once here in double precision. One instance serves one call at a time.</para>
/// </remarks>
public sealed class SkyReconstructor
{
    /// <summary>Sky pixels whose normalisation N is below this fraction of the pixels coding them are not reconstructed.</summary>
    public const double MinNormalisationPerPixel = 0.01;

    private readonly int _nd;
    private readonly int _nm;
    private readonly int _sky;
    private readonly int _n;
    private readonly Fft2D _fft;
    private readonly float[] _rebinned;
    private readonly float[] _active;
    private readonly float[] _kernelRe;
    private readonly float[] _kernelIm;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly double[] _integral;
    private readonly float[] _countsScratch;
    private readonly int[] _boxLow;
    private readonly int[] _boxHigh;
    private readonly float[] _intensityFromCorrelation;
    private readonly float[] _intensityFromBox;
    private readonly float[] _boxRow;
    private readonly float[] _partialCoding;
    private readonly double[] _balance;
    private readonly double[] _normalisation;
    private readonly bool[] _reconstructible;

    public SkyReconstructor(InstrumentGeometry geometry, CodedMask mask, DetectorMask? detector = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        mask.CheckFits(geometry);

        if (detector is not null && detector.Active.Length != geometry.DetectorPixels)
        {
            throw TriggerArgumentException.Length(nameof(detector), geometry.DetectorPixels, detector.Active.Length);
        }

        Geometry = geometry;
        _nd = geometry.DetectorSide;
        _nm = geometry.RebinnedMaskSide;
        _sky = geometry.SkySide;
        _n = geometry.FftSide;
        _fft = new Fft2D(_n);
        _rebinned = mask.Rebin(geometry);
        _active = new float[_nd * _nd];
        for (int i = 0; i < _active.Length; i++)
        {
            _active[i] = detector is null || detector.Active[i] ? 1f : 0f;
        }

        ActivePixelCount = 0;
        foreach (float w in _active)
        {
            ActivePixelCount += (int)w;
        }

        if (ActivePixelCount == 0)
        {
            throw TriggerArgumentException.Range(nameof(detector), "the detector mask disables every pixel.");
        }

        int nn = _n * _n, skyPixels = _sky * _sky;
        _re = new float[nn];
        _im = new float[nn];
        _kernelRe = new float[nn];
        _kernelIm = new float[nn];
        _integral = new double[(_nd + 1) * (_nd + 1)];
        _countsScratch = new float[_nd * _nd];
        _boxLow = new int[_sky];
        _boxHigh = new int[_sky];
        for (int u = 0; u < _sky; u++)
        {
            _boxLow[u] = Math.Max(0, _nd - 1 - u);
            _boxHigh[u] = Math.Min(_nd - 1, _nd - 1 - u + _nm - 1);
        }

        _intensityFromCorrelation = new float[skyPixels];
        _intensityFromBox = new float[skyPixels];
        _boxRow = new float[_sky];
        _partialCoding = new float[skyPixels];
        _balance = new double[skyPixels];
        _normalisation = new double[skyPixels];
        _reconstructible = new bool[skyPixels];

        BuildKernelSpectrum();
        BuildCoefficients();
    }

    public InstrumentGeometry Geometry { get; }
    public int SkySide => _sky;
    public int ActivePixelCount { get; }

    /// <summary>The mask rebinned to the detector pitch (M), row-major, <see cref="InstrumentGeometry.RebinnedMaskSide"/> a side.</summary>
    public ReadOnlySpan<float> RebinnedMask => _rebinned;

    /// <summary>W: 1 for active detector pixels, 0 for disabled ones.</summary>
    public ReadOnlySpan<float> ActivePixels => _active;

    public ReadOnlySpan<float> PartialCoding => _partialCoding;

    /// <summary>B per sky pixel (0 where not reconstructible).</summary>
    public ReadOnlySpan<double> Balance => _balance;

    /// <summary>N per sky pixel (0 where not reconstructible).</summary>
    public ReadOnlySpan<double> Normalisation => _normalisation;

    /// <summary>Sky pixels with a usable normalisation; elsewhere every output is 0.</summary>
    public ReadOnlySpan<bool> Reconstructible => _reconstructible;

    public SkyImages CreateImages() => new(_sky, _partialCoding);

    /// <summary>Reconstructs detector counts (one per pixel, row-major; disabled pixels are ignored).</summary>
    public void Reconstruct(ReadOnlySpan<uint> counts, SkyImages into)
    {
        CheckDetector(counts.Length, nameof(counts));
        for (int i = 0; i < counts.Length; i++)
        {
            _countsScratch[i] = counts[i];
        }

        Reconstruct(_countsScratch, into, default, null);
    }

    /// <summary>Reconstructs counts given as floats (finite, non-negative).</summary>
    public void Reconstruct(ReadOnlySpan<float> counts, SkyImages into) => Reconstruct(counts, into, default, null);

    /// <summary>
    /// Reconstructs the counts, then subtracts Σ_k weights[k] x modelIntensities[k] from the intensity
    /// before forming the SNR: by linearity this is the reconstruction of the counts minus the models'
    /// shadowgrams, while the variance still comes from the raw counts (the models carry no noise).
    /// Each model intensity is a <see cref="ReconstructIntensity"/> of a model shadowgram.
    /// </summary>
    public void Reconstruct(ReadOnlySpan<float> counts, SkyImages into, ReadOnlySpan<float> weights, float[][]? modelIntensities)
    {
        CheckDetector(counts.Length, nameof(counts));
        CheckImages(into);
        CheckModels(weights, modelIntensities);
        for (int i = 0; i < counts.Length; i++)
        {
            float c = counts[i];
            if (!(c >= 0 && float.IsFinite(c)))
            {
                throw TriggerArgumentException.Range(nameof(counts), $"counts[{i}] must be finite and non-negative, got {c}.");
            }
        }

        CorrelateWithMask(counts);
        Combine(into, weights, modelIntensities);
    }

    /// <summary>The intensity image S alone of any shadowgram (values may be negative), e.g. a model's.</summary>
    public void ReconstructIntensity(ReadOnlySpan<float> shadowgram, Span<float> intensity)
    {
        CheckDetector(shadowgram.Length, nameof(shadowgram));
        if (intensity.Length != _sky * _sky)
        {
            throw TriggerArgumentException.Length(nameof(intensity), _sky * _sky, intensity.Length);
        }

        for (int i = 0; i < shadowgram.Length; i++)
        {
            if (!float.IsFinite(shadowgram[i]))
            {
                throw TriggerArgumentException.Range(nameof(shadowgram), $"shadowgram[{i}] is not finite.");
            }
        }

        CorrelateWithMask(shadowgram);
        for (int uz = 0; uz < _sky; uz++)
        {
            for (int uy = 0; uy < _sky; uy++)
            {
                int p = uz * _sky + uy;
                intensity[p] = _intensityFromCorrelation[p] * _re[uz * _n + uy] - _intensityFromBox[p] * (float)BoxSum(uy, uz);
            }
        }
    }

    /// <summary>
    /// Reference path: the same images by direct summation over detector pixels (no FFT), O(sky² x detector).
    /// For tests and the benchmark's contrast; far too slow for the cadence.
    /// </summary>
    public void ReconstructDirect(ReadOnlySpan<float> counts, SkyImages into)
    {
        CheckDetector(counts.Length, nameof(counts));
        CheckImages(into);
        for (int uz = 0; uz < _sky; uz++)
        {
            for (int uy = 0; uy < _sky; uy++)
            {
                double m = 0, m2 = 0, box = 0;
                for (int r = _boxLow[uz]; r <= _boxHigh[uz]; r++)
                {
                    int kz = r + uz - (_nd - 1);
                    for (int c = _boxLow[uy]; c <= _boxHigh[uy]; c++)
                    {
                        double d = counts[r * _nd + c] * _active[r * _nd + c];
                        double g = _rebinned[kz * _nm + c + uy - (_nd - 1)];
                        m += g * d;
                        m2 += g * g * d;
                        box += d;
                    }
                }

                int p = uz * _sky + uy;
                float s = (float)(_intensityFromCorrelation[p] * m - _intensityFromBox[p] * box);
                double c1 = _intensityFromCorrelation[p], c2 = _intensityFromBox[p];
                float v = (float)Math.Max(0, c1 * c1 * m2 - 2 * c1 * c2 * m + c2 * c2 * box);
                into.Intensity[p] = s;
                into.Variance[p] = v;
                into.Snr[p] = v > 0 ? s / MathF.Sqrt(v) : 0f;
            }
        }
    }

    // Leaves M ⋆ x in _re and M² ⋆ x in _im (sky pixel (uz, uy) at uz * n + uy) and x's integral image in _integral.
    private void CorrelateWithMask(ReadOnlySpan<float> x)
    {
        Array.Clear(_re);
        Array.Clear(_im);
        int nd = _nd, n = _n, stride = nd + 1;
        for (int r = 0; r < nd; r++)
        {
            double rowSum = 0;
            for (int c = 0; c < nd; c++)
            {
                float v = x[r * nd + c] * _active[r * nd + c];
                // Flipping the detector turns the correlation into a convolution: (X ⋆ D)[u] = (flip(D) * X)[u].
                _re[(nd - 1 - r) * n + (nd - 1 - c)] = v;
                rowSum += v;
                _integral[(r + 1) * stride + c + 1] = _integral[r * stride + c + 1] + rowSum;
            }
        }

        _fft.ForwardToBitReversed(_re, _im, nd);
        MultiplyByKernel();
        _fft.InverseFromBitReversed(_re, _im, _sky);
    }

    private void MultiplyByKernel()
    {
        Span<Vector<float>> zr = MemoryMarshal.Cast<float, Vector<float>>(_re.AsSpan());
        Span<Vector<float>> zi = MemoryMarshal.Cast<float, Vector<float>>(_im.AsSpan());
        ReadOnlySpan<Vector<float>> kr = MemoryMarshal.Cast<float, Vector<float>>(_kernelRe.AsSpan());
        ReadOnlySpan<Vector<float>> ki = MemoryMarshal.Cast<float, Vector<float>>(_kernelIm.AsSpan());
        for (int k = 0; k < zr.Length; k++)
        {
            Vector<float> a = zr[k], b = zi[k], c = kr[k], d = ki[k];
            zr[k] = a * c - b * d;
            zi[k] = a * d + b * c;
        }

        for (int i = zr.Length * Vector<float>.Count; i < _re.Length; i++)
        {
            float a = _re[i], b = _im[i], c = _kernelRe[i], d = _kernelIm[i];
            _re[i] = a * c - b * d;
            _im[i] = a * d + b * c;
        }
    }

    // S = c1 (M ⋆ D) - c2 (1 ⋆ D) with c1 = (1 + B) / N, c2 = B / N; Var = c1² (M² ⋆ D) - 2 c1 c2 (M ⋆ D) + c2² (1 ⋆ D).
    private void Combine(SkyImages into, ReadOnlySpan<float> weights, float[][]? models)
    {
        float[] intensity = into.Intensity, variance = into.Variance;
        int sky = _sky, vw = Vector<float>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? sky / vw * vw : 0;
        for (int uz = 0; uz < sky; uz++)
        {
            FillBoxRow(uz);
            int row = uz * _n, p0 = uz * sky;
            ReadOnlySpan<float> m = _re.AsSpan(row, sky), m2 = _im.AsSpan(row, sky), box = _boxRow;
            ReadOnlySpan<float> c1 = _intensityFromCorrelation.AsSpan(p0, sky), c2 = _intensityFromBox.AsSpan(p0, sky);
            Span<float> s = intensity.AsSpan(p0, sky), v = variance.AsSpan(p0, sky);
            for (int y = 0; y < vectorEnd; y += vw)
            {
                var vm = new Vector<float>(m[y..]);
                var vb = new Vector<float>(box[y..]);
                var a = new Vector<float>(c1[y..]);
                var b = new Vector<float>(c2[y..]);
                (a * vm - b * vb).CopyTo(s[y..]);
                Vector.Max(Vector<float>.Zero, a * a * new Vector<float>(m2[y..]) - 2f * a * b * vm + b * b * vb).CopyTo(v[y..]);
            }

            for (int y = vectorEnd; y < sky; y++)
            {
                float a = c1[y], b = c2[y];
                s[y] = a * m[y] - b * box[y];
                v[y] = Math.Max(0f, a * a * m2[y] - 2f * a * b * m[y] + b * b * box[y]);
            }
        }

        if (models is not null)
        {
            for (int k = 0; k < models.Length; k++)
            {
                SubtractScaled(intensity, models[k], weights[k]);
            }
        }

        FormSnr(intensity, variance, into.Snr);
    }

    private static void FormSnr(ReadOnlySpan<float> intensity, ReadOnlySpan<float> variance, Span<float> snr)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> s = MemoryMarshal.Cast<float, Vector<float>>(intensity);
            ReadOnlySpan<Vector<float>> v = MemoryMarshal.Cast<float, Vector<float>>(variance);
            Span<Vector<float>> o = MemoryMarshal.Cast<float, Vector<float>>(snr);
            for (int k = 0; k < o.Length; k++)
            {
                Vector<float> var = v[k];
                Vector<int> positive = Vector.GreaterThan(var, Vector<float>.Zero);
                // Where Var is 0, divide by 1 instead and select 0: no NaN or infinity is ever formed.
                Vector<float> safe = Vector.ConditionalSelect(positive, var, Vector<float>.One);
                o[k] = Vector.ConditionalSelect(positive, s[k] / Vector.SquareRoot(safe), Vector<float>.Zero);
            }

            i = o.Length * Vector<float>.Count;
        }

        for (; i < snr.Length; i++)
        {
            float var = variance[i];
            snr[i] = var > 0 ? intensity[i] / MathF.Sqrt(var) : 0f;
        }
    }

    // 1 ⋆ D along one sky row: the integral image's row window, then a difference per column window.
    private void FillBoxRow(int uz)
    {
        int stride = _nd + 1, r0 = _boxLow[uz] * stride, r1 = (_boxHigh[uz] + 1) * stride;
        for (int uy = 0; uy < _sky; uy++)
        {
            int c0 = _boxLow[uy], c1 = _boxHigh[uy] + 1;
            _boxRow[uy] = (float)(_integral[r1 + c1] - _integral[r0 + c1] - _integral[r1 + c0] + _integral[r0 + c0]);
        }
    }

    private static void SubtractScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<float>> t = MemoryMarshal.Cast<float, Vector<float>>(target);
            ReadOnlySpan<Vector<float>> s = MemoryMarshal.Cast<float, Vector<float>>(source);
            var w = new Vector<float>(weight);
            for (int k = 0; k < t.Length; k++)
            {
                t[k] -= s[k] * w;
            }

            i = t.Length * Vector<float>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] -= source[i] * weight;
        }
    }

    private double BoxSum(int uy, int uz)
    {
        int stride = _nd + 1;
        int r0 = _boxLow[uz], r1 = _boxHigh[uz] + 1, c0 = _boxLow[uy], c1 = _boxHigh[uy] + 1;
        return _integral[r1 * stride + c1] - _integral[r0 * stride + c1] - _integral[r1 * stride + c0] + _integral[r0 * stride + c0];
    }

    // Spectrum of the complex kernel M + i M², scaled by 1/n² so the inverse transform comes out normalised.
    private void BuildKernelSpectrum()
    {
        for (int a = 0; a < _nm; a++)
        {
            for (int b = 0; b < _nm; b++)
            {
                float m = _rebinned[a * _nm + b];
                _kernelRe[a * _n + b] = m;
                _kernelIm[a * _n + b] = m * m;
            }
        }

        _fft.ForwardToBitReversed(_kernelRe, _kernelIm, _nm);
        float scale = 1f / ((float)_n * _n);
        for (int i = 0; i < _kernelRe.Length; i++)
        {
            _kernelRe[i] *= scale;
            _kernelIm[i] *= scale;
        }
    }

    // B, N, partial coding and the per-pixel coefficients, in double, from M ⋆ W, M² ⋆ W and 1 ⋆ W.
    private void BuildCoefficients()
    {
        int nm = _nm, nd = _nd, sky = _sky;
        // M ⋆ 1 and M² ⋆ 1 over the whole detector are box sums of M and M² (window k in [u - nd + 1, u]);
        // disabled pixels are then taken out one by one.
        int stride = nm + 1;
        var im1 = new double[stride * stride];
        var im2 = new double[stride * stride];
        for (int a = 0; a < nm; a++)
        {
            double s1 = 0, s2 = 0;
            for (int b = 0; b < nm; b++)
            {
                double m = _rebinned[a * nm + b];
                s1 += m;
                s2 += m * m;
                im1[(a + 1) * stride + b + 1] = im1[a * stride + b + 1] + s1;
                im2[(a + 1) * stride + b + 1] = im2[a * stride + b + 1] + s2;
            }
        }

        var mw = new double[sky * sky];
        var m2w = new double[sky * sky];
        var boxW = new double[sky * sky];
        for (int uz = 0; uz < sky; uz++)
        {
            int kz0 = Math.Max(0, uz - nd + 1), kz1 = Math.Min(nm - 1, uz) + 1;
            for (int uy = 0; uy < sky; uy++)
            {
                int ky0 = Math.Max(0, uy - nd + 1), ky1 = Math.Min(nm - 1, uy) + 1;
                int p = uz * sky + uy;
                mw[p] = im1[kz1 * stride + ky1] - im1[kz0 * stride + ky1] - im1[kz1 * stride + ky0] + im1[kz0 * stride + ky0];
                m2w[p] = im2[kz1 * stride + ky1] - im2[kz0 * stride + ky1] - im2[kz1 * stride + ky0] + im2[kz0 * stride + ky0];
                boxW[p] = (double)(_boxHigh[uz] - _boxLow[uz] + 1) * (_boxHigh[uy] - _boxLow[uy] + 1);
            }
        }

        for (int r = 0; r < nd; r++)
        {
            for (int c = 0; c < nd; c++)
            {
                if (_active[r * nd + c] != 0)
                {
                    continue;
                }

                // Pixel (r, c) sees cell k = i + u - (nd - 1) from sky pixel u.
                for (int kz = 0; kz < nm; kz++)
                {
                    int uz = kz - r + nd - 1;
                    for (int ky = 0; ky < nm; ky++)
                    {
                        int p = uz * sky + ky - c + nd - 1;
                        double m = _rebinned[kz * nm + ky];
                        mw[p] -= m;
                        m2w[p] -= m * m;
                        boxW[p] -= 1;
                    }
                }
            }
        }

        for (int p = 0; p < sky * sky; p++)
        {
            double plus = mw[p], minus = boxW[p] - mw[p];
            _partialCoding[p] = (float)(boxW[p] / ActivePixelCount);
            if (boxW[p] < 0.5 || plus <= 1e-9 || minus <= 1e-9)
            {
                continue;
            }

            double b = plus / minus;
            double norm = m2w[p] - b * (mw[p] - m2w[p]);
            if (norm <= MinNormalisationPerPixel * boxW[p])
            {
                continue;
            }

            _reconstructible[p] = true;
            _balance[p] = b;
            _normalisation[p] = norm;
            _intensityFromCorrelation[p] = (float)((1 + b) / norm);
            _intensityFromBox[p] = (float)(b / norm);
        }
    }

    private void CheckDetector(int length, string name)
    {
        if (length != _nd * _nd)
        {
            throw TriggerArgumentException.Length(name, _nd * _nd, length);
        }
    }

    private void CheckImages(SkyImages into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (into.Side != _sky)
        {
            throw TriggerArgumentException.Length(nameof(into), _sky * _sky, into.Side * into.Side);
        }
    }

    private static void CheckModels(ReadOnlySpan<float> weights, float[][]? models)
    {
        if (models is null)
        {
            return;
        }

        if (weights.Length != models.Length)
        {
            throw TriggerArgumentException.Length(nameof(weights), models.Length, weights.Length);
        }
    }
}
