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
    private readonly float[] _rebinnedMask;

    public ObservationBuilder(InstrumentGeometry geometry, CodedMask mask)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        Geometry = geometry;
        _model = new ShadowgramModel(geometry, mask);
        _extended = new ExtendedSkyProjector(geometry, mask);
        _skyMap = new float[geometry.SkyPixels];
        _rebinnedMask = mask.Rebin();
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

        _model.ApplyEfficiency(expected, detector.Efficiency);
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = Math.Max(0f, expected[i] + (float)(detector.ExtraCountsPerS[i] * t));
        }

        if (detector.MissingModules.Count > 0)
        {
            _model.ApplyDetectorMask(expected, DetectorMaskOf(detector));
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
    public void Tilt(TailFluctuation fluctuation, Span<float> expected)
    {
        int n = Geometry.DetectorSide, m = Geometry.RebinnedMaskSide, offset = n - 1;
        if ((uint)fluctuation.SkyY >= (uint)Geometry.SkySide || (uint)fluctuation.SkyZ >= (uint)Geometry.SkySide)
        {
            throw new ArgumentOutOfRangeException(nameof(fluctuation), $"Fluctuation pixel ({fluctuation.SkyY}, {fluctuation.SkyZ}) is outside the {Geometry.SkySide}-pixel sky.");
        }

        double muOpen = 0, muClosed = 0, sumM = 0, sumNotM = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            double theta = 0;
            if (pass == 1)
            {
                double balance = sumNotM > 0 ? sumM / sumNotM : 0;
                double excess = fluctuation.Sigma * Math.Sqrt(muOpen + balance * balance * muClosed);
                theta = muOpen > 0 ? 1 + excess / muOpen : 1;
            }

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
                    if (pass == 0)
                    {
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
                    else if (cell >= 0.5f)
                    {
                        expected[i] = (float)(expected[i] * theta);
                    }
                }
            }
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
}
