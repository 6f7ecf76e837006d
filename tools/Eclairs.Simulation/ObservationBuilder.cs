using System;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Simulation;

/// <summary>
/// Turns an <see cref="Observation"/> into expected detector counts (the trigger's own forward
/// model for point sources and background, <see cref="ExtendedSkyProjector"/> for the Earth),
/// applies the real detector state, and samples Poisson counts. One builder per thread.
/// </summary>
public sealed class ObservationBuilder
{
    private readonly ShadowgramModel _model;
    private readonly ExtendedSkyProjector _extended;
    private readonly float[] _skyMap;
    private readonly float[] _limbMap;
    private readonly float[] _rebinnedMask;
    private readonly float[] _open;
    private readonly float[] _efficiency;
    private readonly float[] _earthDisc;
    private readonly float[] _earthLimb;

    /// <summary>Photon index of the Earth's albedo glow (harder than the CXB it reflects; a stand-in).</summary>
    public const double EarthLimbPhotonIndex = 1.4;

    public ObservationBuilder(InstrumentGeometry geometry, CodedMask mask)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        Geometry = geometry;
        _model = new ShadowgramModel(geometry, mask);
        _extended = new ExtendedSkyProjector(geometry, mask);
        _skyMap = new float[geometry.SkyPixels];
        _limbMap = new float[geometry.SkyPixels];
        _rebinnedMask = mask.Rebin();
        _open = new float[geometry.DetectorPixels];
        _efficiency = new float[geometry.DetectorPixels];
        _earthDisc = new float[geometry.DetectorPixels];
        _earthLimb = new float[geometry.DetectorPixels];
    }

    public InstrumentGeometry Geometry { get; }

    /// <summary>Counts per fully open detector pixel for <paramref name="rateCountsPerS"/> counts/s on the fully coded detector.</summary>
    public double AmplitudePerOpenPixel(double rateCountsPerS, double seconds) =>
        rateCountsPerS * seconds / (Geometry.MaskOpenFraction * Geometry.DetectorPixels);

    /// <summary>Writes the expected counts of every detector pixel (row-major) for the whole exposure.</summary>
    public void ExpectedCounts(Observation observation, Span<float> expected)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (expected.Length != Geometry.DetectorPixels)
        {
            throw new ArgumentException($"Expected-counts buffer must hold {Geometry.DetectorPixels} pixels, not {expected.Length}.", nameof(expected));
        }

        DetectorState detector = observation.Detector;
        if (detector.Side != Geometry.DetectorSide)
        {
            throw new ArgumentException($"Detector state is {detector.Side} pixels across, the geometry {Geometry.DetectorSide}.", nameof(observation));
        }

        double t = observation.ExposureS;
        expected.Clear();
        BackgroundField b = observation.Background;
        double level = b.PerPixel * t;
        _model.AddBackground(expected, level, level * b.GradientY, level * b.GradientZ, level * b.CurvatureY, level * b.CurvatureZ);

        foreach (SkySource s in observation.Sources)
        {
            double visible = Math.Clamp(s.VisibleFraction, 0, 1);
            double ty = Geometry.TanFromSkyPixel(s.Y), tz = Geometry.TanFromSkyPixel(s.Z);
            double amplitude = AmplitudePerOpenPixel(s.RateCountsPerS, t * visible) * ShadowgramModel.ProjectedAreaFactor(ty, tz);
            if (amplitude > 0)
            {
                _model.AddPointSource(expected, ty, tz, amplitude);
            }
        }

        if (observation.Earth is { } earth)
        {
            AddEarth(earth, t, expected);
        }

        if (!detector.HasLowEnergyEffects)
        {
            _model.ApplyEfficiency(expected, detector.Efficiency);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = Math.Max(0f, expected[i] + (float)(detector.ExtraCountsPerS[i] * t));
            }
        }
        else
        {
            // One broad band: a loss below 8 keV takes that share of the (background-dominated) counts, and the
            // low-energy noise is all inside 4-120 keV.
            double low = BandSpectra.BackgroundBelow8KeV;
            for (int i = 0; i < expected.Length; i++)
            {
                _efficiency[i] = (float)(detector.Efficiency[i] * (1 - low + low * detector.LowEnergyEfficiency[i]));
            }

            _model.ApplyEfficiency(expected, _efficiency);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = Math.Max(0f, expected[i] + (float)((detector.ExtraCountsPerS[i] + detector.LowEnergyNoisePerS[i]) * t));
            }
        }

        if (detector.MissingModules.Count > 0)
        {
            _model.ApplyDetectorMask(expected, DetectorMaskOf(detector));
        }
    }

    /// <summary>
    /// Expected counts per sub-band (<see cref="BandSpectra"/>) for the sub-bands <paramref name="firstSubBand"/> to
    /// <paramref name="firstSubBand"/> + <paramref name="into"/>.Length − 1: every source by its photon index, the
    /// background and the Earth by theirs, the low-energy efficiencies and noise below 8 keV only, the detector's other
    /// noise with the background's spectrum. Every source must have a <see cref="SkySource.PhotonIndex"/>.
    /// </summary>
    public void ExpectedSubBands(Observation observation, int firstSubBand, float[][] into)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(into);
        if (firstSubBand < 0 || firstSubBand + into.Length > BandSpectra.SubBands)
        {
            throw new ArgumentOutOfRangeException(nameof(firstSubBand), $"Sub-bands {firstSubBand}..{firstSubBand + into.Length - 1} outside [0, {BandSpectra.SubBands}).");
        }

        DetectorState detector = observation.Detector;
        double t = observation.ExposureS;
        BackgroundField b = observation.Background;
        for (int k = 0; k < into.Length; k++)
        {
            int j = firstSubBand + k;
            Span<float> e = into[k];
            if (e.Length != Geometry.DetectorPixels)
            {
                throw new ArgumentException($"Sub-band buffer {k} must hold {Geometry.DetectorPixels} pixels, not {e.Length}.", nameof(into));
            }

            e.Clear();
            double level = b.PerPixel * t * BandSpectra.BackgroundFraction(j);
            _model.AddBackground(e, level, level * b.GradientY, level * b.GradientZ, level * b.CurvatureY, level * b.CurvatureZ);
        }

        foreach (SkySource s in observation.Sources)
        {
            double index = s.PhotonIndex ?? throw new InvalidOperationException($"Source at ({s.Y:F1}, {s.Z:F1}) has no photon index: energy bands need one.");
            double visible = Math.Clamp(s.VisibleFraction, 0, 1);
            double ty = Geometry.TanFromSkyPixel(s.Y), tz = Geometry.TanFromSkyPixel(s.Z);
            double amplitude = AmplitudePerOpenPixel(s.RateCountsPerS, t * visible) * ShadowgramModel.ProjectedAreaFactor(ty, tz);
            if (!(amplitude > 0))
            {
                continue;
            }

            _model.OpenFractions(ty, tz, _open);
            for (int k = 0; k < into.Length; k++)
            {
                AddScaled(into[k], _open, (float)(amplitude * BandSpectra.PowerLaw(index, firstSubBand + k)));
            }
        }

        if (observation.Earth is { } earth && ProjectEarth(earth))
        {
            double cxb = AmplitudePerOpenPixel(earth.CxbCountsPerSPerSkyPixel, t), limb = AmplitudePerOpenPixel(earth.LimbCountsPerSPerSkyPixel, t);
            for (int k = 0; k < into.Length; k++)
            {
                int j = firstSubBand + k;
                AddScaled(into[k], _earthDisc, (float)(-cxb * BandSpectra.BackgroundFraction(j)));
                AddScaled(into[k], _earthLimb, (float)(limb * BandSpectra.PowerLaw(EarthLimbPhotonIndex, j)));
            }
        }

        DetectorMask? live = detector.MissingModules.Count > 0 ? DetectorMaskOf(detector) : null;
        for (int k = 0; k < into.Length; k++)
        {
            int j = firstSubBand + k;
            bool lowEnergy = j < BandSpectra.LowEnergySubBands;
            float noiseShare = (float)BandSpectra.BackgroundFraction(j), lowNoiseShare = (float)BandSpectra.LowNoiseFraction(j);
            Span<float> e = into[k];
            for (int i = 0; i < e.Length; i++)
            {
                float efficiency = detector.Efficiency[i] * (lowEnergy ? detector.LowEnergyEfficiency[i] : 1f);
                float noise = (float)((detector.ExtraCountsPerS[i] * noiseShare + detector.LowEnergyNoisePerS[i] * lowNoiseShare) * t);
                e[i] = Math.Max(0f, e[i] * efficiency + noise);
            }

            if (live is not null)
            {
                _model.ApplyDetectorMask(e, live);
            }
        }
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += weight * source[i];
        }
    }

    /// <summary>The trigger's map of live pixels: missing modules disabled.</summary>
    public DetectorMask DetectorMaskOf(DetectorState detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var mask = new DetectorMask(Geometry);
        foreach (int module in detector.MissingModules)
        {
            (int c0, int r0) = detector.ModuleOrigin(module);
            mask.DisableModule(r0 / Geometry.ModuleRows, c0 / Geometry.ModuleColumns);
        }

        return mask;
    }

    /// <summary>Expected counts, then one Poisson draw per pixel from <paramref name="seed"/>.</summary>
    public void SampleCounts(Observation observation, ulong seed, Span<float> expected, Span<uint> counts)
    {
        ExpectedCounts(observation, expected);
        if (observation.Fluctuation is { } fluctuation)
        {
            Tilt(fluctuation, expected);
        }

        new PoissonSampler(seed).Sample(expected, counts);
    }

    /// <summary>Samples counts from expected counts already computed (and possibly tilted) by the caller.</summary>
    public static void Sample(ReadOnlySpan<float> expected, ulong seed, Span<uint> counts) => new PoissonSampler(seed).Sample(expected, counts);

    /// <summary>
    /// Exponential tilting towards an upward fluctuation at one sky pixel: pixels that see it through
    /// a mostly open rebinned cell (M ≥ ½, set O) get their means multiplied by θ = 1 + x / μ_O, with
    /// x = σ · sqrt(μ_O + B² μ_C) the excess of the balanced correlation (B = ΣM / Σ(1 − M) over the
    /// window, μ the expected counts of O and of the rest C of the window).
    /// </summary>
    public void Tilt(TailFluctuation fluctuation, Span<float> expected) => ApplyTilt(fluctuation, TiltFactor(fluctuation, expected), expected);

    /// <summary>θ of <see cref="Tilt"/> for the expected counts of one trigger band.</summary>
    public double TiltFactor(TailFluctuation fluctuation, ReadOnlySpan<float> expected)
    {
        CheckFluctuation(fluctuation);
        double muOpen = 0, muClosed = 0, sumM = 0, sumNotM = 0;
        int n = Geometry.DetectorSide, m = Geometry.RebinnedMaskSide, offset = n - 1;
        for (int r = 0; r < n; r++)
        {
            int a = r + fluctuation.SkyZ - offset;
            if ((uint)a >= (uint)m)
            {
                continue;
            }

            for (int c = 0; c < n; c++)
            {
                int b = c + fluctuation.SkyY - offset;
                if ((uint)b >= (uint)m)
                {
                    continue;
                }

                float cell = _rebinnedMask[a * m + b];
                int i = r * n + c;
                sumM += cell;
                sumNotM += 1 - cell;
                if (cell >= 0.5f)
                {
                    muOpen += expected[i];
                }
                else
                {
                    muClosed += expected[i];
                }
            }
        }

        double balance = sumNotM > 0 ? sumM / sumNotM : 0;
        double excess = fluctuation.Sigma * Math.Sqrt(muOpen + balance * balance * muClosed);
        return muOpen > 0 ? 1 + excess / muOpen : 1;
    }

    /// <summary>Multiplies the expected counts of the pixels that see the fluctuation's sky pixel through a mostly open cell by θ.</summary>
    public void ApplyTilt(TailFluctuation fluctuation, double theta, Span<float> expected)
    {
        CheckFluctuation(fluctuation);
        int n = Geometry.DetectorSide, m = Geometry.RebinnedMaskSide, offset = n - 1;
        for (int r = 0; r < n; r++)
        {
            int a = r + fluctuation.SkyZ - offset;
            if ((uint)a >= (uint)m)
            {
                continue;
            }

            for (int c = 0; c < n; c++)
            {
                int b = c + fluctuation.SkyY - offset;
                if ((uint)b < (uint)m && _rebinnedMask[a * m + b] >= 0.5f)
                {
                    int i = r * n + c;
                    expected[i] = (float)(expected[i] * theta);
                }
            }
        }
    }

    private void CheckFluctuation(TailFluctuation fluctuation)
    {
        ArgumentNullException.ThrowIfNull(fluctuation);
        if ((uint)fluctuation.SkyY >= (uint)Geometry.SkySide || (uint)fluctuation.SkyZ >= (uint)Geometry.SkySide)
        {
            throw new ArgumentOutOfRangeException(nameof(fluctuation), $"Fluctuation pixel ({fluctuation.SkyY}, {fluctuation.SkyZ}) is outside the {Geometry.SkySide}-pixel sky.");
        }
    }

    /// <summary>
    /// The Earth as extended emission on a 3 x 3-pixel grid of the sky image (a cell is about the PSF): minus the CXB it
    /// hides on the whole disc, plus the albedo glow of the band inside the limb.
    /// </summary>
    private void AddEarth(EarthInView earth, double seconds, Span<float> expected)
    {
        int side = Geometry.SkySide;
        Array.Clear(_skyMap);
        double cxb = AmplitudePerOpenPixel(earth.CxbCountsPerSPerSkyPixel, seconds);
        double limb = AmplitudePerOpenPixel(earth.LimbCountsPerSPerSkyPixel, seconds);
        bool any = false;
        const int step = 3;
        for (int z = 0; z < side; z += step)
        {
            for (int y = 0; y < side; y += step)
            {
                double ty = Geometry.TanFromSkyPixel(y + 1), tz = Geometry.TanFromSkyPixel(z + 1);
                double angle = earth.AngleFromCentreDeg(ty, tz);
                if (angle >= earth.AngularRadiusDeg)
                {
                    continue;
                }

                double value = -cxb + (angle >= earth.AngularRadiusDeg - earth.LimbWidthDeg ? limb : 0);
                int cells = Math.Min(step, side - y) * Math.Min(step, side - z);
                _skyMap[Math.Min(z + 1, side - 1) * side + Math.Min(y + 1, side - 1)] = (float)(value * cells * ShadowgramModel.ProjectedAreaFactor(ty, tz));
                any = true;
            }
        }

        if (any)
        {
            _extended.Add(expected, _skyMap);
        }
    }

    /// <summary>
    /// The Earth's occulting disc (−1 per fully coded sky pixel) and bright limb (+1) as two shadowgrams per count per
    /// open pixel, so each band can weight them by its own spectrum. False when the Earth misses the sky image.
    /// </summary>
    private bool ProjectEarth(EarthInView earth)
    {
        int side = Geometry.SkySide;
        Array.Clear(_skyMap);
        Array.Clear(_limbMap);
        bool any = false;
        const int step = 3;
        for (int z = 0; z < side; z += step)
        {
            for (int y = 0; y < side; y += step)
            {
                double ty = Geometry.TanFromSkyPixel(y + 1), tz = Geometry.TanFromSkyPixel(z + 1);
                double angle = earth.AngleFromCentreDeg(ty, tz);
                if (angle >= earth.AngularRadiusDeg)
                {
                    continue;
                }

                int cells = Math.Min(step, side - y) * Math.Min(step, side - z);
                int p = Math.Min(z + 1, side - 1) * side + Math.Min(y + 1, side - 1);
                double weight = cells * ShadowgramModel.ProjectedAreaFactor(ty, tz);
                _skyMap[p] = (float)weight;
                _limbMap[p] = angle >= earth.AngularRadiusDeg - earth.LimbWidthDeg ? (float)weight : 0f;
                any = true;
            }
        }

        Array.Clear(_earthDisc);
        Array.Clear(_earthLimb);
        if (any)
        {
            _extended.Add(_earthDisc, _skyMap);
            _extended.Add(_earthLimb, _limbMap);
        }

        return any;
    }
}
