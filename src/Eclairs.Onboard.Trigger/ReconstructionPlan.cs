using System;
using System.Numerics;
using System.Threading;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// Everything of the balanced reconstruction that does not depend on the counts, for one mask and one map of
/// active detector pixels: the rebinned mask M, the spectrum of the decoding kernel M + i M², and per sky pixel
/// the aperture correlations, the balance B, the normalisation N, the partial coding and the two folded
/// decoding coefficients. Immutable once built, so any number of <see cref="SkyReconstructor"/>s and
/// <see cref="OnboardTrigger"/>s (on any threads) can share it; building one costs a few milliseconds, using one
/// nothing.
/// </summary>
/// <remarks>
/// The steps are named as docs/trigger.md names them. At plan time (double precision): <see cref="CorrelateAperture"/>
/// (M ⋆ W, M² ⋆ W, 1 ⋆ W), <see cref="ComputePartialCoding"/>, <see cref="Balance"/>, <see cref="Normalise"/> and
/// <see cref="FoldCoefficients"/>, which folds balance and normalisation into c1 = (1 + B)/N and c2 = B/N so the
/// per-image balanced intensity is one multiply-add per sky pixel (and one rounding).
/// </remarks>
public sealed class ReconstructionPlan
{
    /// <summary>Sky pixels whose normalisation N is below this fraction of the pixels coding them are not reconstructed.</summary>
    public const double MinNormalisationPerPixel = 0.01;

    private readonly float[] _rebinned;
    private readonly float[] _active;
    private readonly float[] _kernelRe;
    private readonly float[] _kernelIm;
    private readonly int[] _boxLow;
    private readonly int[] _boxHigh;
    private readonly float[] _intensityFromCorrelation;
    private readonly float[] _intensityFromBox;
    private readonly float[] _partialCoding;
    private readonly double[] _balance;
    private readonly double[] _normalisation;
    private readonly bool[] _reconstructible;
    private QuadraticModels? _quadratic;

    public ReconstructionPlan(InstrumentGeometry geometry, CodedMask mask, DetectorMask? detector = null)
        : this(geometry, mask, detector, sameMask: null)
    {
    }

    private ReconstructionPlan(InstrumentGeometry geometry, CodedMask mask, DetectorMask? detector, ReconstructionPlan? sameMask)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        mask.CheckFits(geometry);
        if (detector is not null && detector.Active.Length != geometry.DetectorPixels)
        {
            throw TriggerArgumentException.Length(nameof(detector), geometry.DetectorPixels, detector.Active.Length);
        }

        Geometry = geometry;
        Mask = mask;
        DetectorSide = geometry.DetectorSide;
        MaskSide = geometry.RebinnedMaskSide;
        SkySide = geometry.SkySide;
        FftSide = geometry.FftSide;
        Fft = sameMask?.Fft ?? new Fft2D(FftSide);
        _rebinned = sameMask?._rebinned ?? mask.Rebin(geometry);
        _active = new float[DetectorSide * DetectorSide];
        for (int i = 0; i < _active.Length; i++)
        {
            _active[i] = detector is null || detector.Active[i] ? 1f : 0f;
        }

        foreach (float w in _active)
        {
            ActivePixelCount += (int)w;
        }

        if (ActivePixelCount == 0)
        {
            throw TriggerArgumentException.Range(nameof(detector), "the detector mask disables every pixel.");
        }

        int nn = FftSide * FftSide, skyPixels = SkySide * SkySide;
        _kernelRe = sameMask?._kernelRe ?? new float[nn];
        _kernelIm = sameMask?._kernelIm ?? new float[nn];
        _boxLow = new int[SkySide];
        _boxHigh = new int[SkySide];
        for (int u = 0; u < SkySide; u++)
        {
            _boxLow[u] = Math.Max(0, DetectorSide - 1 - u);
            _boxHigh[u] = Math.Min(DetectorSide - 1, DetectorSide - 1 - u + MaskSide - 1);
        }

        _intensityFromCorrelation = new float[skyPixels];
        _intensityFromBox = new float[skyPixels];
        _partialCoding = new float[skyPixels];
        _balance = new double[skyPixels];
        _normalisation = new double[skyPixels];
        _reconstructible = new bool[skyPixels];

        if (sameMask is null)
        {
            BuildKernelSpectrum();
        }

        (double[] mw, double[] m2w, double[] boxW) = CorrelateAperture();
        ComputePartialCoding(boxW);
        Balance(mw, boxW);
        Normalise(mw, m2w, boxW);
        FoldCoefficients();
    }

    /// <summary>The plan of the same mask on another map of active pixels: shares the mask's kernel spectrum (it does not
    /// depend on the detector), recomputes everything else. Same values as a plan built from scratch.</summary>
    public ReconstructionPlan WithDetector(DetectorMask? detector) => new(Geometry, Mask, detector, this);

    public InstrumentGeometry Geometry { get; }
    public CodedMask Mask { get; }
    public int DetectorSide { get; }
    public int MaskSide { get; }
    public int SkySide { get; }
    public int FftSide { get; }
    public int ActivePixelCount { get; }

    /// <summary>The shared transform (twiddles and bit reversal only: stateless per call).</summary>
    internal Fft2D Fft { get; }

    /// <summary>The mask rebinned to the detector pitch (M), row-major, <see cref="InstrumentGeometry.RebinnedMaskSide"/> a side.</summary>
    public ReadOnlySpan<float> RebinnedMask => _rebinned;

    /// <summary>W: 1 for active detector pixels, 0 for disabled ones.</summary>
    public ReadOnlySpan<float> ActivePixels => _active;

    public ReadOnlySpan<float> PartialCoding => _partialCoding;

    /// <summary>B per sky pixel (0 where not reconstructible).</summary>
    public ReadOnlySpan<double> BalanceMap => _balance;

    /// <summary>N per sky pixel (0 where not reconstructible).</summary>
    public ReadOnlySpan<double> NormalisationMap => _normalisation;

    /// <summary>Sky pixels with a usable normalisation; elsewhere every output is 0.</summary>
    public ReadOnlySpan<bool> Reconstructible => _reconstructible;

    internal ReadOnlySpan<float> KernelRe => _kernelRe;
    internal ReadOnlySpan<float> KernelIm => _kernelIm;

    /// <summary>c1 = (1 + B) / N: weight of M ⋆ D in the balanced, normalised intensity.</summary>
    internal ReadOnlySpan<float> IntensityFromCorrelation => _intensityFromCorrelation;

    /// <summary>c2 = B / N: weight of 1 ⋆ D.</summary>
    internal ReadOnlySpan<float> IntensityFromBox => _intensityFromBox;

    /// <summary>First detector row (or column) a sky row (or column) u sees through the mask.</summary>
    internal ReadOnlySpan<int> BoxLow => _boxLow;

    /// <summary>Last detector row (or column) a sky row (or column) u sees through the mask.</summary>
    internal ReadOnlySpan<int> BoxHigh => _boxHigh;

    /// <summary>
    /// The quadratic background fit on this plan's active pixels and the intensity images of its five basis
    /// shadowgrams, made on first use and shared (they depend on the plan only).
    /// </summary>
    public QuadraticModels Quadratic => LazyInitializer.EnsureInitialized(ref _quadratic, () => new QuadraticModels(this));

    // Spectrum of the complex kernel M + i M², scaled by 1/n² so the inverse transform comes out normalised.
    private void BuildKernelSpectrum()
    {
        int nm = MaskSide, n = FftSide;
        for (int a = 0; a < nm; a++)
        {
            for (int b = 0; b < nm; b++)
            {
                float m = _rebinned[a * nm + b];
                _kernelRe[a * n + b] = m;
                _kernelIm[a * n + b] = m * m;
            }
        }

        Fft.ForwardToBitReversed(_kernelRe, _kernelIm, nm);
        float scale = 1f / ((float)n * n);
        for (int i = 0; i < _kernelRe.Length; i++)
        {
            _kernelRe[i] *= scale;
            _kernelIm[i] *= scale;
        }
    }

    /// <summary>
    /// Correlate (aperture): M ⋆ W, M² ⋆ W and 1 ⋆ W per sky pixel. Over the whole detector they are box sums of
    /// M and M² (window k in [u − nd + 1, u]) from integral images; disabled pixels are then taken out one by one.
    /// </summary>
    private (double[] MW, double[] M2W, double[] BoxW) CorrelateAperture()
    {
        int nm = MaskSide, nd = DetectorSide, sky = SkySide;
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

                // Pixel (r, c) sees cell k = i + u - (nd - 1) from sky pixel u: along ky, a contiguous run of sky pixels.
                for (int kz = 0; kz < nm; kz++)
                {
                    int uz = kz - r + nd - 1;
                    SubtractCells(_rebinned.AsSpan(kz * nm, nm), mw.AsSpan(uz * sky - c + nd - 1, nm), m2w.AsSpan(uz * sky - c + nd - 1, nm), boxW.AsSpan(uz * sky - c + nd - 1, nm));
                }
            }
        }

        return (mw, m2w, boxW);
    }

    // mw -= m, m2w -= m², boxW -= 1 elementwise, m widened to double: the scalar loop's operations, a vector at a time.
    private static void SubtractCells(ReadOnlySpan<float> cells, Span<double> mw, Span<double> m2w, Span<double> boxW)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; i + w <= cells.Length; i += w)
            {
                Vector.Widen(new Vector<float>(cells[i..]), out Vector<double> low, out Vector<double> high);
                int h = Vector<double>.Count;
                (new Vector<double>(mw[i..]) - low).CopyTo(mw[i..]);
                (new Vector<double>(mw[(i + h)..]) - high).CopyTo(mw[(i + h)..]);
                (new Vector<double>(m2w[i..]) - low * low).CopyTo(m2w[i..]);
                (new Vector<double>(m2w[(i + h)..]) - high * high).CopyTo(m2w[(i + h)..]);
                (new Vector<double>(boxW[i..]) - Vector<double>.One).CopyTo(boxW[i..]);
                (new Vector<double>(boxW[(i + h)..]) - Vector<double>.One).CopyTo(boxW[(i + h)..]);
            }
        }

        for (; i < cells.Length; i++)
        {
            double m = cells[i];
            mw[i] -= m;
            m2w[i] -= m * m;
            boxW[i] -= 1;
        }
    }

    /// <summary>Partial coding: PC = (1 ⋆ W) / ΣW (batfftimage: the detector mask correlated with the aperture, normalised).</summary>
    private void ComputePartialCoding(double[] boxW)
    {
        for (int p = 0; p < boxW.Length; p++)
        {
            _partialCoding[p] = (float)(boxW[p] / ActivePixelCount);
        }
    }

    /// <summary>Balance: B = (G+ ⋆ W) / (G− ⋆ W) with G+ = M, G− = 1 − M; left 0 where either side is empty.</summary>
    private void Balance(double[] mw, double[] boxW)
    {
        for (int p = 0; p < mw.Length; p++)
        {
            double plus = mw[p], minus = boxW[p] - mw[p];
            if (boxW[p] < 0.5 || plus <= 1e-9 || minus <= 1e-9)
            {
                continue;
            }

            _balance[p] = plus / minus;
        }
    }

    /// <summary>
    /// Normalise: N = (G+ M) ⋆ W − B (G− M) ⋆ W = M² ⋆ W − B (M ⋆ W − M² ⋆ W). A sky pixel is reconstructible where
    /// B exists and N exceeds <see cref="MinNormalisationPerPixel"/> of the pixels coding it; elsewhere B is reset to 0.
    /// </summary>
    private void Normalise(double[] mw, double[] m2w, double[] boxW)
    {
        for (int p = 0; p < mw.Length; p++)
        {
            double b = _balance[p];
            if (b == 0)
            {
                continue;
            }

            double norm = m2w[p] - b * (mw[p] - m2w[p]);
            if (norm <= MinNormalisationPerPixel * boxW[p])
            {
                _balance[p] = 0;
                continue;
            }

            _reconstructible[p] = true;
            _normalisation[p] = norm;
        }
    }

    /// <summary>Folds balance and normalisation into the per-pixel weights c1 = (1 + B)/N and c2 = B/N.</summary>
    private void FoldCoefficients()
    {
        for (int p = 0; p < _balance.Length; p++)
        {
            if (!_reconstructible[p])
            {
                continue;
            }

            double b = _balance[p], norm = _normalisation[p];
            _intensityFromCorrelation[p] = (float)((1 + b) / norm);
            _intensityFromBox[p] = (float)(b / norm);
        }
    }
}
