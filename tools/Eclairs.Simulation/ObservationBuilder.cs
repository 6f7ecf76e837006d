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

    public ObservationBuilder(InstrumentGeometry geometry, CodedMask mask)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(mask);
        Geometry = geometry;
        _model = new ShadowgramModel(geometry, mask);
        _extended = new ExtendedSkyProjector(geometry, mask);
        _skyMap = new float[geometry.SkyPixels];
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
        new PoissonSampler(seed).Sample(expected, counts);
    }

    /// <summary>
    /// The Earth as extended emission on a 2 x 2-pixel grid of the sky image: minus the CXB it
    /// hides on the whole disc, plus the albedo glow of the band inside the limb.
    /// </summary>
    private void AddEarth(EarthInView earth, double seconds, Span<float> expected)
    {
        int side = Geometry.SkySide;
        Array.Clear(_skyMap);
        double cxb = AmplitudePerOpenPixel(earth.CxbCountsPerSPerSkyPixel, seconds);
        double limb = AmplitudePerOpenPixel(earth.LimbCountsPerSPerSkyPixel, seconds);
        bool any = false;
        for (int z = 0; z < side; z += 2)
        {
            for (int y = 0; y < side; y += 2)
            {
                double ty = Geometry.TanFromSkyPixel(y + 0.5), tz = Geometry.TanFromSkyPixel(z + 0.5);
                double angle = earth.AngleFromCentreDeg(ty, tz);
                if (angle >= earth.AngularRadiusDeg)
                {
                    continue;
                }

                double value = -cxb + (angle >= earth.AngularRadiusDeg - earth.LimbWidthDeg ? limb : 0);
                int cells = Math.Min(2, side - y) * Math.Min(2, side - z);
                _skyMap[z * side + y] = (float)(value * cells * ShadowgramModel.ProjectedAreaFactor(ty, tz));
                any = true;
            }
        }

        if (any)
        {
            _extended.Add(expected, _skyMap);
        }
    }
}
