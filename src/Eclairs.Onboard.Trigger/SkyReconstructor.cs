using System;
using System.Numerics;
using System.Runtime.CompilerServices;
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
/// <para>Everything that does not depend on the counts is a <see cref="ReconstructionPlan"/> (shareable); this
/// class adds the per-image scratch. Per image the steps are named as docs/trigger.md names them:
/// <see cref="Correlate"/>, <see cref="BalancedIntensity"/> (balance and normalise, folded into the plan's
/// coefficients), <see cref="Variance"/>, <see cref="SubtractModels"/> and <see cref="Snr"/>. One instance
/// serves one call at a time.</para>
/// </remarks>
public sealed class SkyReconstructor
{
    /// <summary>Sky pixels whose normalisation N is below this fraction of the pixels coding them are not reconstructed.</summary>
    public const double MinNormalisationPerPixel = ReconstructionPlan.MinNormalisationPerPixel;

    private readonly ReconstructionPlan _plan;
    private readonly int _nd;
    private readonly int _nm;
    private readonly int _sky;
    private readonly int _n;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly double[] _integral;
    private readonly float[] _box;
    private readonly float[] _countsScratch;

    public SkyReconstructor(InstrumentGeometry geometry, CodedMask mask, DetectorMask? detector = null)
        : this(new ReconstructionPlan(geometry, mask, detector))
    {
    }

    /// <summary>A reconstructor on a plan built elsewhere (shared by any number of reconstructors).</summary>
    public SkyReconstructor(ReconstructionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        _nd = plan.DetectorSide;
        _nm = plan.MaskSide;
        _sky = plan.SkySide;
        _n = plan.FftSide;
        _re = new float[_n * _n];
        _im = new float[_n * _n];
        _integral = new double[(_nd + 1) * (_nd + 1)];
        _box = new float[_sky * _sky];
        _countsScratch = new float[_nd * _nd];
    }

    public ReconstructionPlan Plan => _plan;
    public InstrumentGeometry Geometry => _plan.Geometry;
    public int SkySide => _sky;
    public int ActivePixelCount => _plan.ActivePixelCount;

    /// <summary>The mask rebinned to the detector pitch (M), row-major, <see cref="InstrumentGeometry.RebinnedMaskSide"/> a side.</summary>
    public ReadOnlySpan<float> RebinnedMask => _plan.RebinnedMask;

    /// <summary>W: 1 for active detector pixels, 0 for disabled ones.</summary>
    public ReadOnlySpan<float> ActivePixels => _plan.ActivePixels;

    public ReadOnlySpan<float> PartialCoding => _plan.PartialCoding;

    /// <summary>B per sky pixel (0 where not reconstructible).</summary>
    public ReadOnlySpan<double> Balance => _plan.BalanceMap;

    /// <summary>N per sky pixel (0 where not reconstructible).</summary>
    public ReadOnlySpan<double> Normalisation => _plan.NormalisationMap;

    /// <summary>Sky pixels with a usable normalisation; elsewhere every output is 0.</summary>
    public ReadOnlySpan<bool> Reconstructible => _plan.Reconstructible;

    public SkyImages CreateImages() => new(_sky, _plan.PartialCoding);

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

        Correlate(counts);
        BalancedIntensity(into.Intensity);
        Variance(into.Variance);
        if (modelIntensities is not null)
        {
            SubtractModels(into.Intensity, weights, modelIntensities);
        }

        Snr(into.Intensity, into.Variance, into.Snr);
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

        Correlate(shadowgram);
        BalancedIntensity(intensity);
    }

    /// <summary>
    /// Reference path: the same images by direct summation over detector pixels (no FFT), O(sky² x detector).
    /// For tests and the benchmark's contrast; far too slow for the cadence.
    /// </summary>
    public void ReconstructDirect(ReadOnlySpan<float> counts, SkyImages into)
    {
        CheckDetector(counts.Length, nameof(counts));
        CheckImages(into);
        ReadOnlySpan<int> low = _plan.BoxLow, high = _plan.BoxHigh;
        ReadOnlySpan<float> active = _plan.ActivePixels, rebinned = _plan.RebinnedMask;
        ReadOnlySpan<float> c1All = _plan.IntensityFromCorrelation, c2All = _plan.IntensityFromBox;
        for (int uz = 0; uz < _sky; uz++)
        {
            for (int uy = 0; uy < _sky; uy++)
            {
                double m = 0, m2 = 0, box = 0;
                for (int r = low[uz]; r <= high[uz]; r++)
                {
                    int kz = r + uz - (_nd - 1);
                    for (int c = low[uy]; c <= high[uy]; c++)
                    {
                        double d = counts[r * _nd + c] * active[r * _nd + c];
                        double g = rebinned[kz * _nm + c + uy - (_nd - 1)];
                        m += g * d;
                        m2 += g * g * d;
                        box += d;
                    }
                }

                int p = uz * _sky + uy;
                double c1 = c1All[p], c2 = c2All[p];
                float s = (float)(c1 * m - c2 * box);
                float v = (float)Math.Max(0, c1 * c1 * m2 - 2 * c1 * c2 * m + c2 * c2 * box);
                into.Intensity[p] = s;
                into.Variance[p] = v;
                into.Snr[p] = v > 0 ? s / MathF.Sqrt(v) : 0f;
            }
        }
    }

    /// <summary>
    /// Correlate: leaves M ⋆ x in <c>_re</c> and M² ⋆ x in <c>_im</c> (sky pixel (uz, uy) at uz * n + uy), from one
    /// forward FFT of the flipped counts, one product with the kernel spectrum and one inverse FFT, and 1 ⋆ x in
    /// <c>_box</c> (row-major sky image) from the counts' integral image.
    /// </summary>
    private void Correlate(ReadOnlySpan<float> x)
    {
        Array.Clear(_re);
        Array.Clear(_im);
        ReadOnlySpan<float> active = _plan.ActivePixels;
        int nd = _nd, n = _n, stride = nd + 1;
        for (int r = 0; r < nd; r++)
        {
            double rowSum = 0;
            for (int c = 0; c < nd; c++)
            {
                float v = x[r * nd + c] * active[r * nd + c];
                // Flipping the detector turns the correlation into a convolution: (X ⋆ D)[u] = (flip(D) * X)[u].
                _re[(nd - 1 - r) * n + (nd - 1 - c)] = v;
                rowSum += v;
                _integral[(r + 1) * stride + c + 1] = _integral[r * stride + c + 1] + rowSum;
            }
        }

        _plan.Fft.ForwardToBitReversed(_re, _im, nd);
        MultiplyByKernel();
        _plan.Fft.InverseFromBitReversed(_re, _im, _sky);
        CorrelateWithSupport();
    }

    private void MultiplyByKernel()
    {
        Span<Vector<float>> zr = MemoryMarshal.Cast<float, Vector<float>>(_re.AsSpan());
        Span<Vector<float>> zi = MemoryMarshal.Cast<float, Vector<float>>(_im.AsSpan());
        ReadOnlySpan<float> kernelRe = _plan.KernelRe, kernelIm = _plan.KernelIm;
        ReadOnlySpan<Vector<float>> kr = MemoryMarshal.Cast<float, Vector<float>>(kernelRe);
        ReadOnlySpan<Vector<float>> ki = MemoryMarshal.Cast<float, Vector<float>>(kernelIm);
        for (int k = 0; k < zr.Length; k++)
        {
            Vector<float> a = zr[k], b = zi[k], c = kr[k], d = ki[k];
            zr[k] = a * c - b * d;
            zi[k] = a * d + b * c;
        }

        for (int i = zr.Length * Vector<float>.Count; i < _re.Length; i++)
        {
            float a = _re[i], b = _im[i], c = kernelRe[i], d = kernelIm[i];
            _re[i] = a * c - b * d;
            _im[i] = a * d + b * c;
        }
    }

    // 1 ⋆ D: per sky pixel the box of detector pixels it sees through the mask support, four integral-image reads
    // (rows and columns from the plan's tables, always inside the (nd + 1)² integral image: no bounds checks).
    private void CorrelateWithSupport()
    {
        ReadOnlySpan<int> low = _plan.BoxLow, high = _plan.BoxHigh;
        int stride = _nd + 1, sky = _sky;
        ref double integral = ref MemoryMarshal.GetArrayDataReference(_integral);
        ref float box = ref MemoryMarshal.GetArrayDataReference(_box);
        ref int c0s = ref MemoryMarshal.GetReference(low);
        ref int c1s = ref MemoryMarshal.GetReference(high);
        for (int uz = 0; uz < sky; uz++)
        {
            ref double row0 = ref Unsafe.Add(ref integral, low[uz] * stride);
            ref double row1 = ref Unsafe.Add(ref integral, (high[uz] + 1) * stride);
            ref float output = ref Unsafe.Add(ref box, uz * sky);
            for (int uy = 0; uy < sky; uy++)
            {
                int c0 = Unsafe.Add(ref c0s, uy), c1 = Unsafe.Add(ref c1s, uy) + 1;
                Unsafe.Add(ref output, uy) = (float)(Unsafe.Add(ref row1, c1) - Unsafe.Add(ref row0, c1) - Unsafe.Add(ref row1, c0) + Unsafe.Add(ref row0, c0));
            }
        }
    }

    /// <summary>
    /// Balance and normalise, through the plan's folded coefficients: S = c1 (M ⋆ D) − c2 (1 ⋆ D), which is
    /// (G+ ⋆ D − B G− ⋆ D) / N with G+ = M and G− = 1 − M.
    /// </summary>
    private void BalancedIntensity(Span<float> intensity)
    {
        ReadOnlySpan<float> c1All = _plan.IntensityFromCorrelation, c2All = _plan.IntensityFromBox;
        int sky = _sky, vw = Vector<float>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? sky / vw * vw : 0;
        for (int uz = 0; uz < sky; uz++)
        {
            int p0 = uz * sky;
            ReadOnlySpan<float> m = _re.AsSpan(uz * _n, sky), box = _box.AsSpan(p0, sky);
            ReadOnlySpan<float> c1 = c1All.Slice(p0, sky), c2 = c2All.Slice(p0, sky);
            Span<float> s = intensity.Slice(p0, sky);
            for (int y = 0; y < vectorEnd; y += vw)
            {
                var a = new Vector<float>(c1[y..]);
                var b = new Vector<float>(c2[y..]);
                (a * new Vector<float>(m[y..]) - b * new Vector<float>(box[y..])).CopyTo(s[y..]);
            }

            for (int y = vectorEnd; y < sky; y++)
            {
                s[y] = c1[y] * m[y] - c2[y] * box[y];
            }
        }
    }

    /// <summary>Variance from the raw counts: Var = c1² (M² ⋆ D) − 2 c1 c2 (M ⋆ D) + c2² (1 ⋆ D), clipped at 0.</summary>
    private void Variance(Span<float> variance)
    {
        ReadOnlySpan<float> c1All = _plan.IntensityFromCorrelation, c2All = _plan.IntensityFromBox;
        int sky = _sky, vw = Vector<float>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? sky / vw * vw : 0;
        for (int uz = 0; uz < sky; uz++)
        {
            int p0 = uz * sky;
            ReadOnlySpan<float> m = _re.AsSpan(uz * _n, sky), m2 = _im.AsSpan(uz * _n, sky), box = _box.AsSpan(p0, sky);
            ReadOnlySpan<float> c1 = c1All.Slice(p0, sky), c2 = c2All.Slice(p0, sky);
            Span<float> v = variance.Slice(p0, sky);
            for (int y = 0; y < vectorEnd; y += vw)
            {
                var a = new Vector<float>(c1[y..]);
                var b = new Vector<float>(c2[y..]);
                var vm = new Vector<float>(m[y..]);
                Vector.Max(Vector<float>.Zero, a * a * new Vector<float>(m2[y..]) - 2f * a * b * vm + b * b * new Vector<float>(box[y..])).CopyTo(v[y..]);
            }

            for (int y = vectorEnd; y < sky; y++)
            {
                float a = c1[y], b = c2[y];
                v[y] = Math.Max(0f, a * a * m2[y] - 2f * a * b * m[y] + b * b * box[y]);
            }
        }
    }

    /// <summary>Subtracts Σ_k weights[k] x models[k] (known sources, fitted background) from the intensity.</summary>
    private static void SubtractModels(Span<float> intensity, ReadOnlySpan<float> weights, float[][] models)
    {
        for (int k = 0; k < models.Length; k++)
        {
            SubtractScaled(intensity, models[k], weights[k]);
        }
    }

    /// <summary>SNR = S / √Var, 0 where Var = 0 (no NaN or infinity is ever formed).</summary>
    private static void Snr(ReadOnlySpan<float> intensity, ReadOnlySpan<float> variance, Span<float> snr)
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
                // Where Var is 0, divide by 1 instead and select 0.
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
