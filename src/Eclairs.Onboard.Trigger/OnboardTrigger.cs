using System;

namespace Eclairs.Onboard.Trigger;

/// <summary>
/// The onboard image trigger (ICD ecl_trigger): detector counts in, SNR sky image and alert out.
/// Everything is planned and allocated in the constructor; <see cref="Process"/> allocates nothing and
/// runs the same operations whatever the counts. One instance serves one call at a time.
/// </summary>
/// <remarks>
/// Process: known sources' modelled shadowgrams (rate x exposure x unit shadowgram) and, if configured,
/// the fitted quadratic background are subtracted, the counts are deconvolved (SNR from the raw counts'
/// variance), then the peak is the highest SNR outside known-source exclusion zones over the whole
/// reconstructible sky; if it falls where partial coding is below the minimum, flag 3 is set. The second
/// peak and the image standard deviation are taken over the field of view, outside known sources and
/// outside the peak's PSF radius.
/// </remarks>
public sealed class OnboardTrigger
{
    private readonly InstrumentGeometry _geometry;
    private readonly SkyReconstructor _reconstructor;
    private readonly SkyImages _images;
    private readonly SkyRegions _regions;
    private readonly KnownSource[] _catalogue;
    private readonly QuadraticBackgroundFit? _fit;
    private readonly float[][] _models;
    private readonly float[] _weights;
    private readonly double[] _fitOfSources;
    private readonly double[] _coefficients;
    private readonly float[] _counts;
    private readonly int _psfRadius;

    public OnboardTrigger(TriggerConfig? config, ReadOnlySpan<KnownSource> catalogue,
        InstrumentGeometry? geometry = null, CodedMask? mask = null, DetectorMask? detector = null)
    {
        Config = config ?? TriggerConfig.Default;
        Config.Validate();
        _geometry = geometry ?? mask?.Geometry ?? InstrumentGeometry.Nominal;
        mask ??= CodedMask.Generate(_geometry);
        mask.CheckFits(_geometry);

        int sky = _geometry.SkySide;
        for (int i = 0; i < catalogue.Length; i++)
        {
            KnownSource s = catalogue[i];
            bool ok = float.IsFinite(s.Y) && float.IsFinite(s.Z) && Math.Abs(s.Y - _geometry.SkyCentre) <= 2 * sky && Math.Abs(s.Z - _geometry.SkyCentre) <= 2 * sky
                && float.IsFinite(s.CountsPerSecond) && s.CountsPerSecond >= 0
                && float.IsFinite(s.ExclusionRadius) && s.ExclusionRadius >= 0 && s.ExclusionRadius <= sky;
            if (!ok)
            {
                throw TriggerArgumentException.Range(nameof(catalogue),
                    $"catalogue[{i}] = {s}: positions must be finite and within two sky widths of the centre, the rate finite and non-negative, the radius in [0, {sky}].");
            }
        }

        _catalogue = catalogue.ToArray();
        _reconstructor = new SkyReconstructor(_geometry, mask, detector);
        _images = _reconstructor.CreateImages();
        _regions = new SkyRegions(_reconstructor, Config.MinPartialCoding, _catalogue);
        _psfRadius = _geometry.PsfRadiusPixels;
        _counts = new float[_geometry.DetectorPixels];

        bool quadratic = Config.BackgroundModel == BackgroundModel.Quadratic;
        int k = _catalogue.Length, terms = quadratic ? QuadraticBackgroundFit.Terms : 0;
        _models = new float[k + terms][];
        _weights = new float[k + terms];
        _coefficients = new double[QuadraticBackgroundFit.Terms];
        _fitOfSources = new double[QuadraticBackgroundFit.Terms * k];
        var unitShadowgrams = BuildUnitShadowgrams(mask);
        for (int s = 0; s < k; s++)
        {
            _models[s] = new float[sky * sky];
            _reconstructor.ReconstructIntensity(unitShadowgrams[s], _models[s]);
        }

        if (quadratic)
        {
            _fit = new QuadraticBackgroundFit(_geometry, _reconstructor.ActivePixels);
            for (int j = 0; j < terms; j++)
            {
                _models[k + j] = new float[sky * sky];
                _reconstructor.ReconstructIntensity(_fit.Basis(j), _models[k + j]);
            }

            // The fit runs on the counts after the known sources are removed: fit(D - Σ a_s U_s) = fit(D) - Σ a_s fit(U_s).
            Span<double> c = stackalloc double[QuadraticBackgroundFit.Terms];
            for (int s = 0; s < k; s++)
            {
                _fit.Fit(unitShadowgrams[s], c);
                for (int j = 0; j < terms; j++)
                {
                    _fitOfSources[j * k + s] = c[j];
                }
            }
        }
    }

    public TriggerConfig Config { get; }
    public InstrumentGeometry Geometry => _geometry;

    /// <summary>Side of the sky image (ICD ecl_trigger_sky_side): 199 for the nominal geometry.</summary>
    public int SkySide => _geometry.SkySide;

    /// <summary>The images of the last <see cref="Process"/> call (intensity, variance, SNR, partial coding).</summary>
    public SkyImages LastImages => _images;

    public SkyReconstructor Reconstructor => _reconstructor;

    /// <summary>
    /// Processes one detector image of <paramref name="exposureSeconds"/> and overwrites <paramref name="into"/>.
    /// </summary>
    public void Process(ReadOnlySpan<uint> counts, float exposureSeconds, Alert into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (counts.Length != _geometry.DetectorPixels)
        {
            throw TriggerArgumentException.Length(nameof(counts), _geometry.DetectorPixels, counts.Length);
        }

        if (!(exposureSeconds > 0 && exposureSeconds <= 1e6f))
        {
            throw TriggerArgumentException.Range(nameof(exposureSeconds), $"the exposure must lie in (0, 1e6] s, got {exposureSeconds}.");
        }

        for (int i = 0; i < counts.Length; i++)
        {
            _counts[i] = counts[i];
        }

        int k = _catalogue.Length;
        for (int s = 0; s < k; s++)
        {
            _weights[s] = _catalogue[s].CountsPerSecond * exposureSeconds;
        }

        if (_fit is not null)
        {
            _fit.Fit(_counts, _coefficients);
            for (int j = 0; j < QuadraticBackgroundFit.Terms; j++)
            {
                double c = _coefficients[j];
                for (int s = 0; s < k; s++)
                {
                    c -= _weights[s] * _fitOfSources[j * k + s];
                }

                _weights[k + j] = (float)c;
            }
        }

        _reconstructor.Reconstruct(_counts, _images, _weights, _models);
        Analyse(into);
    }

    /// <summary>Copies the last SNR sky image (ICD ecl_trigger_copy_sky); zeros before the first image.</summary>
    public void CopySky(Span<float> snr)
    {
        if (snr.Length != _images.Snr.Length)
        {
            throw TriggerArgumentException.Length(nameof(snr), _images.Snr.Length, snr.Length);
        }

        _images.Snr.CopyTo(snr);
    }

    private void Analyse(Alert into)
    {
        int side = _regions.Side;
        float[] snr = _images.Snr;
        byte[] field = _regions.FieldMask;
        bool[] searchable = _regions.Searchable;

        int peak = -1;
        float peakSnr = float.NegativeInfinity;
        for (int p = 0; p < snr.Length; p++)
        {
            bool better = searchable[p] && snr[p] > peakSnr;
            peak = better ? p : peak;
            peakSnr = better ? snr[p] : peakSnr;
        }

        bool found = peak >= 0;
        peak = found ? peak : (int)_geometry.SkyCentre * side + (int)_geometry.SkyCentre;
        peakSnr = found ? peakSnr : 0f;
        int py = peak % side, pz = peak / side;

        float second = float.NegativeInfinity;
        double sum = 0, sum2 = 0;
        int count = 0;
        int r2 = _psfRadius * _psfRadius;
        for (int z = 0; z < side; z++)
        {
            int dz = z - pz;
            for (int y = 0; y < side; y++)
            {
                int p = z * side + y, dy = y - py;
                bool use = field[p] == Alert.MaskBackground && dy * dy + dz * dz > r2;
                float v = use ? snr[p] : 0f;
                second = use && v > second ? v : second;
                sum += v;
                sum2 += (double)v * v;
                count += use ? 1 : 0;
            }
        }

        second = count > 0 ? second : 0f;
        double mean = count > 0 ? sum / count : 0;
        float std = count > 1 ? (float)Math.Sqrt(Math.Max(0, sum2 / count - mean * mean)) : 0f;

        QualityFlags flags = QualityFlags.None;
        flags |= peakSnr >= Config.SnrThreshold ? QualityFlags.None : QualityFlags.BelowThreshold;
        flags |= std >= Config.MinImageStd && std <= Config.MaxImageStd ? QualityFlags.None : QualityFlags.ImageStdOutOfRange;
        flags |= peakSnr >= Config.MinPeakRatio * second ? QualityFlags.None : QualityFlags.PeakRatioTooLow;
        flags |= found && field[peak] != Alert.MaskIgnore ? QualityFlags.None : QualityFlags.PeakOutsideFieldOfView;

        (double offAxis, double azimuth) = _geometry.Direction(py, pz);
        into.Flags = flags;
        into.Raised = flags == QualityFlags.None;
        into.PeakSnr = peakSnr;
        into.SecondPeakSnr = second;
        into.ImageStd = std;
        into.SkyY = py;
        into.SkyZ = pz;
        into.OffAxisDeg = (float)offAxis;
        into.AzimuthDeg = (float)azimuth;
        CutSubimage(py, pz, into);
    }

    /// <summary>
    /// Fills the alert's sub-image and mask from the last SNR image, centred on sky pixel (<paramref name="py"/>,
    /// <paramref name="pz"/>) at row 28, column 28; beyond the sky image it is padded with mask 0 and SNR 0.
    /// <see cref="Process"/> does this for the peak; the other alert fields are left as they are.
    /// </summary>
    public void CutSubimage(int py, int pz, Alert into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int side = _regions.Side;
        if ((uint)py >= (uint)side || (uint)pz >= (uint)side)
        {
            throw TriggerArgumentException.Range(nameof(py), $"sky pixel ({py}, {pz}) is outside the {side} x {side} sky image.");
        }

        float[] snr = _images.Snr;
        byte[] field = _regions.FieldMask;
        for (int r = 0; r < Alert.SubimageSide; r++)
        {
            int z = pz + r - Alert.TriggerRow;
            for (int c = 0; c < Alert.SubimageSide; c++)
            {
                int y = py + c - Alert.TriggerColumn;
                int o = r * Alert.SubimageSide + c;
                bool inside = (uint)y < (uint)side && (uint)z < (uint)side;
                byte m = inside ? field[z * side + y] : Alert.MaskIgnore;
                into.SubimageMask[o] = m;
                into.SubimageSnr[o] = m != Alert.MaskIgnore ? snr[z * side + y] : 0f;
            }
        }

        int t = Alert.TriggerRow * Alert.SubimageSide + Alert.TriggerColumn;
        into.SubimageMask[t] = Alert.MaskTrigger;
        into.SubimageSnr[t] = snr[pz * side + py];
    }

    // Each source's shadowgram for one count on the active detector: open fractions towards it, times W, normalised.
    private float[][] BuildUnitShadowgrams(CodedMask mask)
    {
        var model = new ShadowgramModel(_geometry, mask);
        ReadOnlySpan<float> active = _reconstructor.ActivePixels;
        var result = new float[_catalogue.Length][];
        for (int s = 0; s < _catalogue.Length; s++)
        {
            var u = new float[_geometry.DetectorPixels];
            model.AddPointSourceAtSkyPixel(u, _catalogue[s].Y, _catalogue[s].Z, 1.0);
            double total = 0;
            for (int i = 0; i < u.Length; i++)
            {
                u[i] *= active[i];
                total += u[i];
            }

            float scale = total > 0 ? (float)(1 / total) : 0f;
            for (int i = 0; i < u.Length; i++)
            {
                u[i] *= scale;
            }

            result[s] = u;
        }

        return result;
    }
}
