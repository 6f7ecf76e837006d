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
/// reconstructible sky; if it falls where partial coding is below the minimum, flag 3 is set. With the
/// catalogue-flare criterion on, the highest SNR over each known source's zone competes with it: when it reaches
/// the flare threshold and the new-source peak, the alert is a catalogue flare at that pixel. The second
/// peak and the image standard deviation are taken over the field of view, outside known sources and
/// outside the chosen peak's PSF radius; the threshold may adapt to that standard deviation.
/// </remarks>
public sealed class OnboardTrigger
{
    private readonly InstrumentGeometry _geometry;
    private readonly ReconstructionPlan _plan;
    private readonly SkyReconstructor _reconstructor;
    private readonly SkyImages _images;
    private readonly SkyRegions _regions;
    private readonly QuadraticModels? _quadratic;
    private readonly ShadowgramModel _shadowgrams;
    private readonly double[] _coefficients;
    private readonly float[] _counts;
    private readonly float[] _unit;
    private readonly int _psfRadius;
    private KnownSource[] _catalogue = [];
    private float[][] _sourceModels = [];
    private float[][] _models = [];
    private float[] _weights = [];
    private double[] _fitOfSources = [];

    public OnboardTrigger(TriggerConfig? config, ReadOnlySpan<KnownSource> catalogue,
        InstrumentGeometry? geometry = null, CodedMask? mask = null, DetectorMask? detector = null)
        : this(config, catalogue, PlanFor(config, catalogue, geometry, mask, detector))
    {
    }

    /// <summary>A trigger on a reconstruction plan built elsewhere (shared with other triggers: building a plan is the
    /// costly part of construction).</summary>
    public OnboardTrigger(TriggerConfig? config, ReadOnlySpan<KnownSource> catalogue, ReconstructionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Config = config ?? TriggerConfig.Default;
        Config.Validate();
        _geometry = plan.Geometry;
        ValidateCatalogue(catalogue, _geometry);
        _plan = plan;
        _reconstructor = new SkyReconstructor(plan);
        _images = _reconstructor.CreateImages();
        _regions = new SkyRegions(plan, Config.MinPartialCoding, []);
        _psfRadius = _geometry.PsfRadiusPixels;
        _counts = new float[_geometry.DetectorPixels];
        _unit = new float[_geometry.DetectorPixels];
        _coefficients = new double[QuadraticBackgroundFit.Terms];
        _shadowgrams = new ShadowgramModel(_geometry, plan.Mask);
        _quadratic = Config.BackgroundModel == BackgroundModel.Quadratic ? plan.Quadratic : null;
        SetCatalogue(catalogue, null);
    }

    public TriggerConfig Config { get; }
    public InstrumentGeometry Geometry => _geometry;

    /// <summary>The count-independent part of the reconstruction (shareable with other triggers).</summary>
    public ReconstructionPlan Plan => _plan;

    /// <summary>Side of the sky image (ICD ecl_trigger_sky_side): 199 for the nominal geometry.</summary>
    public int SkySide => _geometry.SkySide;

    /// <summary>The catalogue in use.</summary>
    public ReadOnlySpan<KnownSource> Catalogue => _catalogue;

    /// <summary>The images of the last <see cref="Process"/> call (intensity, variance, SNR, partial coding).</summary>
    public SkyImages LastImages => _images;

    public SkyReconstructor Reconstructor => _reconstructor;

    /// <summary>
    /// Replaces the onboard catalogue (as a catalogue update by telecommand would): each source's model image is
    /// reconstructed once here, so this is setup work (a few FFTs per source, and it allocates when the catalogue
    /// grows), never per image. The trigger behaves exactly as one constructed with this catalogue.
    /// </summary>
    public void UpdateCatalogue(ReadOnlySpan<KnownSource> catalogue) => UpdateCatalogue(catalogue, null);

    /// <summary>
    /// <see cref="UpdateCatalogue(ReadOnlySpan{KnownSource})"/>, taking the source model images from
    /// <paramref name="sameSources"/> when it is a trigger on the same plan and background model whose catalogue has the
    /// same positions in the same order (rates and radii may differ: the trigger of another energy band), instead of
    /// reconstructing them again. The result is the same either way.
    /// </summary>
    public void UpdateCatalogue(ReadOnlySpan<KnownSource> catalogue, OnboardTrigger? sameSources)
    {
        ValidateCatalogue(catalogue, _geometry);
        SetCatalogue(catalogue, sameSources is not null && SharesSourceModels(sameSources, catalogue) ? sameSources : null);
    }

    private bool SharesSourceModels(OnboardTrigger other, ReadOnlySpan<KnownSource> catalogue)
    {
        if (other == this || other._plan != _plan || (other._quadratic is null) != (_quadratic is null) || other._catalogue.Length != catalogue.Length)
        {
            return false;
        }

        for (int s = 0; s < catalogue.Length; s++)
        {
            if (other._catalogue[s].Y != catalogue[s].Y || other._catalogue[s].Z != catalogue[s].Z)
            {
                return false;
            }
        }

        return true;
    }

    private static ReconstructionPlan PlanFor(TriggerConfig? config, ReadOnlySpan<KnownSource> catalogue,
        InstrumentGeometry? geometry, CodedMask? mask, DetectorMask? detector)
    {
        (config ?? TriggerConfig.Default).Validate();
        geometry ??= mask?.Geometry ?? InstrumentGeometry.Nominal;
        mask ??= CodedMask.Generate(geometry);
        mask.CheckFits(geometry);
        ValidateCatalogue(catalogue, geometry);
        return new ReconstructionPlan(geometry, mask, detector);
    }

    private static void ValidateCatalogue(ReadOnlySpan<KnownSource> catalogue, InstrumentGeometry geometry)
    {
        int sky = geometry.SkySide;
        for (int i = 0; i < catalogue.Length; i++)
        {
            KnownSource s = catalogue[i];
            bool ok = float.IsFinite(s.Y) && float.IsFinite(s.Z) && Math.Abs(s.Y - geometry.SkyCentre) <= 2 * sky && Math.Abs(s.Z - geometry.SkyCentre) <= 2 * sky
                && float.IsFinite(s.CountsPerSecond) && s.CountsPerSecond >= 0
                && float.IsFinite(s.ExclusionRadius) && s.ExclusionRadius >= 0 && s.ExclusionRadius <= sky;
            if (!ok)
            {
                throw TriggerArgumentException.Range(nameof(catalogue),
                    $"catalogue[{i}] = {s}: positions must be finite and within two sky widths of the centre, the rate finite and non-negative, the radius in [0, {sky}].");
            }
        }
    }

    // Models: each source's unit shadowgram reconstructed (k images), then the five quadratic basis images (shared by
    // the plan). The fit runs on the counts after the known sources are removed:
    // fit(D - Σ a_s U_s) = fit(D) - Σ a_s fit(U_s), so each source's fit is kept.
    private void SetCatalogue(ReadOnlySpan<KnownSource> catalogue, OnboardTrigger? copyFrom)
    {
        int k = catalogue.Length, terms = _quadratic is null ? 0 : QuadraticBackgroundFit.Terms;
        int skyPixels = _geometry.SkyPixels;
        _catalogue = catalogue.ToArray();
        _regions.Update(_catalogue);
        if (_sourceModels.Length < k)
        {
            var grown = new float[k][];
            Array.Copy(_sourceModels, grown, _sourceModels.Length);
            for (int s = _sourceModels.Length; s < k; s++)
            {
                grown[s] = new float[skyPixels];
            }

            _sourceModels = grown;
        }

        if (_models.Length != k + terms)
        {
            _models = new float[k + terms][];
            _weights = new float[k + terms];
        }

        if (_fitOfSources.Length != QuadraticBackgroundFit.Terms * k)
        {
            _fitOfSources = new double[QuadraticBackgroundFit.Terms * k];
        }

        Span<double> c = stackalloc double[QuadraticBackgroundFit.Terms];
        for (int s = 0; s < k; s++)
        {
            _models[s] = _sourceModels[s];
            if (copyFrom is not null)
            {
                copyFrom._sourceModels[s].AsSpan().CopyTo(_sourceModels[s]);
                continue;
            }

            UnitShadowgram(_catalogue[s], _unit);
            _reconstructor.ReconstructIntensity(_unit, _sourceModels[s]);
            if (_quadratic is not null)
            {
                _quadratic.Fit.Fit(_unit, c);
                for (int j = 0; j < terms; j++)
                {
                    _fitOfSources[j * k + s] = c[j];
                }
            }
        }

        if (copyFrom is not null)
        {
            copyFrom._fitOfSources.AsSpan(0, QuadraticBackgroundFit.Terms * k).CopyTo(_fitOfSources);
        }

        for (int j = 0; j < terms; j++)
        {
            _models[k + j] = _quadratic!.IntensityArray(j);
        }
    }

    // A source's shadowgram for one count on the active detector: open fractions towards it, times W, normalised.
    private void UnitShadowgram(KnownSource source, float[] u)
    {
        ReadOnlySpan<float> active = _plan.ActivePixels;
        Array.Clear(u);
        _shadowgrams.AddPointSourceAtSkyPixel(u, source.Y, source.Z, 1.0);
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
    }

    /// <summary>
    /// Processes one detector image of <paramref name="exposureSeconds"/> and overwrites <paramref name="into"/>.
    /// </summary>
    public void Process(ReadOnlySpan<uint> counts, float exposureSeconds, Alert into)
    {
        ArgumentNullException.ThrowIfNull(into);
        ProcessSky(counts, exposureSeconds);
        Analyse(into);
    }

    /// <summary>
    /// The sky half of <see cref="Process"/>: subtracts the models and reconstructs the images into <see cref="LastImages"/>,
    /// without the alert logic (for tools that only need the SNR sky). Allocation-free like Process.
    /// </summary>
    public void ProcessSky(ReadOnlySpan<uint> counts, float exposureSeconds)
    {
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

        if (_quadratic is not null)
        {
            _quadratic.Fit.Fit(_counts, _coefficients);
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

        (int peak, float peakSnr, bool found) = NewSourcePeak(snr);
        TriggerCriterion criterion = TriggerCriterion.NewSource;
        int knownIndex = -1;
        if (Config.CatalogueFlareThreshold > 0)
        {
            (int flarePeak, float flareSnr, int source) = CatalogueFlarePeak(snr);
            bool flare = source >= 0 && flareSnr >= Config.CatalogueFlareThreshold && flareSnr >= peakSnr;
            peak = flare ? flarePeak : peak;
            peakSnr = flare ? flareSnr : peakSnr;
            found |= flare;
            criterion = flare ? TriggerCriterion.CatalogueFlare : criterion;
            knownIndex = flare ? source : -1;
        }

        int py = peak % side, pz = peak / side;
        (float second, float std) = SecondPeakAndStd(snr, py, pz);

        float threshold = (criterion == TriggerCriterion.CatalogueFlare ? Config.CatalogueFlareThreshold : Config.SnrThreshold) * Config.ThresholdFactor(std);
        QualityFlags flags = QualityFlags.None;
        flags |= peakSnr >= threshold ? QualityFlags.None : QualityFlags.BelowThreshold;
        flags |= std >= Config.MinImageStd && std <= Config.MaxImageStd ? QualityFlags.None : QualityFlags.ImageStdOutOfRange;
        flags |= peakSnr >= Config.MinPeakRatio * second ? QualityFlags.None : QualityFlags.PeakRatioTooLow;
        flags |= found && field[peak] != Alert.MaskIgnore ? QualityFlags.None : QualityFlags.PeakOutsideFieldOfView;

        (double offAxis, double azimuth) = _geometry.Direction(py, pz);
        into.Flags = flags;
        into.Raised = flags == QualityFlags.None;
        into.Criterion = criterion;
        into.EffectiveThreshold = threshold;
        into.Quality = threshold > 0 ? peakSnr / threshold : 0f;
        into.KnownSourceIndex = knownIndex;
        into.PeakSnr = peakSnr;
        into.SecondPeakSnr = second;
        into.ImageStd = std;
        into.SkyY = py;
        into.SkyZ = pz;
        into.OffAxisDeg = (float)offAxis;
        into.AzimuthDeg = (float)azimuth;
        CutSubimage(py, pz, into);
    }

    // Highest SNR over every reconstructible sky pixel outside the exclusion zones (the sky centre and 0 if none).
    private (int Peak, float Snr, bool Found) NewSourcePeak(float[] snr)
    {
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
        int side = _regions.Side;
        peak = found ? peak : (int)_geometry.SkyCentre * side + (int)_geometry.SkyCentre;
        return (peak, found ? peakSnr : 0f, found);
    }

    // Highest SNR over the known sources' zones: the residual of each source's subtraction is its excess over the
    // catalogue rate, so this is the most significant flare (source -1 when the catalogue is empty).
    private (int Peak, float Snr, int Source) CatalogueFlarePeak(float[] snr)
    {
        int peak = -1, source = -1;
        float best = float.NegativeInfinity;
        for (int k = 0; k < _catalogue.Length; k++)
        {
            foreach (int p in _regions.FlarePixels(k))
            {
                bool better = snr[p] > best;
                peak = better ? p : peak;
                source = better ? k : source;
                best = better ? snr[p] : best;
            }
        }

        return (peak, best, source);
    }

    // Over the field of view, outside known sources and outside the peak's PSF radius.
    private (float Second, float Std) SecondPeakAndStd(float[] snr, int py, int pz)
    {
        int side = _regions.Side;
        byte[] field = _regions.FieldMask;
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
        return (second, std);
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
}
