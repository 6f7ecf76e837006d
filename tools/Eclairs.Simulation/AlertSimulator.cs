using System;
using System.Collections.Generic;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;

namespace Eclairs.Simulation;

/// <summary>
/// Runs one scenario end to end: builds the observation, samples the detector counts, hands
/// them to the real <see cref="OnboardTrigger"/> (configured with the observation's catalogue,
/// background model and live-pixel map) and labels what comes out from ground truth.
/// Deterministic: the same scenario and seed give the same alert, on any thread. One instance
/// per thread (it keeps scratch buffers).
/// </summary>
public sealed class AlertSimulator
{
    private readonly CodedMask _mask;
    private readonly ObservationBuilder _builder;
    private readonly ShadowgramModel _model;
    private readonly TriggerConfig _config;
    private readonly float[] _expected;
    private readonly float[] _openFractions;
    private readonly uint[] _counts;
    private readonly Alert _alert = new();
    private readonly Dictionary<BackgroundModel, OnboardTrigger> _plainTriggers = [];
    private OnboardTrigger? _lastTrigger;

    public AlertSimulator(InstrumentGeometry? geometry = null, CodedMask? mask = null, TriggerConfig? config = null)
    {
        Geometry = geometry ?? InstrumentGeometry.Nominal;
        _mask = mask ?? CodedMask.Generate(Geometry);
        _config = config ?? TriggerConfig.Default;
        _config.Validate();
        _builder = new ObservationBuilder(Geometry, _mask);
        _model = new ShadowgramModel(Geometry, _mask);
        _expected = new float[Geometry.DetectorPixels];
        _openFractions = new float[Geometry.DetectorPixels];
        _counts = new uint[Geometry.DetectorPixels];
        var sky = new SkyField(Geometry.SkySide, Geometry.DetectorSide, Geometry.RebinnedMaskSide, Geometry.TanPerSkyPixel);
        Context = new ScenarioContext(sky, Geometry.ModuleColumns, Geometry.ModuleRows, Geometry.MaskOpenFraction, _config.MinPartialCoding);
    }

    public InstrumentGeometry Geometry { get; }
    public ScenarioContext Context { get; }

    /// <summary>The trigger's full SNR sky image of the last simulation (row-major, sky side²).</summary>
    public float[] LastSkySnr()
    {
        var snr = new float[Geometry.SkyPixels];
        _lastTrigger?.CopySky(snr);
        return snr;
    }

    /// <summary>The trigger's partial-coding map of the last simulation (its field of view is where it reaches the minimum).</summary>
    public float[] LastPartialCoding() => _lastTrigger is null ? new float[Geometry.SkyPixels] : (float[])_lastTrigger.LastImages.PartialCoding.Clone();

    /// <summary>The last simulation's detector counts (row-major 80 x 80).</summary>
    public ReadOnlySpan<uint> LastCounts => _counts;

    /// <summary>Simulates the scenario of <paramref name="cause"/> with <paramref name="seed"/>.</summary>
    public SimulatedAlert Simulate(AlertCause cause, ulong seed) => Simulate(ScenarioCatalogue.For(cause), seed);

    public SimulatedAlert Simulate(Scenario scenario, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Observation observation = scenario.Build(new SimulationRandom(SimulationRandom.DeriveSeed(seed, 0, stream: 1)), Context);
        return Run(observation, scenario, seed);
    }

    /// <summary>Runs an observation built elsewhere through the trigger; <paramref name="scenario"/> names its cause.</summary>
    public SimulatedAlert Run(Observation observation, Scenario scenario, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(scenario);
        DetectorMask? live = observation.Detector.MissingModules.Count > 0 ? _builder.DetectorMaskOf(observation.Detector) : null;
        OnboardTrigger trigger = TriggerFor(observation, live);
        _builder.ExpectedCounts(observation, _expected);
        if (observation.Fluctuation is { } fluctuation)
        {
            _builder.Tilt(fluctuation, _expected);
        }

        ulong noiseSeed = SimulationRandom.DeriveSeed(seed, 0, stream: 2);
        if (observation.Assisted is { } assisted)
        {
            AssistAtStrongestLobe(trigger, observation, assisted, new SimulationRandom(SimulationRandom.DeriveSeed(seed, 0, stream: 3)));
        }

        ObservationBuilder.Sample(_expected, noiseSeed, _counts);
        trigger.Process(_counts, (float)observation.ExposureS, _alert);
        _lastTrigger = trigger;

        var newSources = new List<SkySource>();
        foreach (SkySource s in observation.Sources)
        {
            if (s.IsNew)
            {
                newSources.Add(s);
            }
        }

        var truth = new AlertTruth(scenario.Cause, seed, observation.ExposureS, newSources, [.. observation.Catalogue], observation.BackgroundPerturbed);
        AlertLabel label = AlertLabeler.Label(truth, _alert.SkyY, _alert.SkyZ);
        return new SimulatedAlert(truth, (float[])_alert.SubimageSnr.Clone(), (byte[])_alert.SubimageMask.Clone())
        {
            Raised = _alert.Raised,
            QualityFlags = (uint)_alert.Flags,
            PeakSnr = _alert.PeakSnr,
            SecondPeakSnr = _alert.SecondPeakSnr,
            ImageStd = _alert.ImageStd,
            SkyY = _alert.SkyY,
            SkyZ = _alert.SkyZ,
            OffAxisDeg = _alert.OffAxisDeg,
            AzimuthDeg = _alert.AzimuthDeg,
            Label = label,
            Cause = scenario.CauseFor(label),
        };
    }

    /// <summary>
    /// The trigger for this observation: its catalogue, background model and live pixels. Triggers
    /// without a catalogue or missing modules are the same for every observation of a background
    /// model and are kept (building one costs several FFTs; processing one image is cheap).
    /// </summary>
    private OnboardTrigger TriggerFor(Observation observation, DetectorMask? live)
    {
        BackgroundModel background = observation.QuadraticBackgroundFit ? BackgroundModel.Quadratic : BackgroundModel.Flat;
        bool shareable = observation.Catalogue.Count == 0 && live is null;
        if (shareable && _plainTriggers.TryGetValue(background, out OnboardTrigger? cached))
        {
            return cached;
        }

        var trigger = new OnboardTrigger(_config with { BackgroundModel = background }, TriggerCatalogue(observation, live), Geometry, _mask, live);
        if (shareable)
        {
            _plainTriggers[background] = trigger;
        }

        return trigger;
    }

    /// <summary>
    /// Runs the trigger on the noise-free expected counts (scaled up so rounding to whole counts
    /// is negligible; SNR scales with the square root of the scale), finds the systematic's
    /// strongest lobe inside the field, and tilts the expected counts there by the excursion the
    /// systematic still misses plus an exponential overshoot.
    /// </summary>
    private void AssistAtStrongestLobe(OnboardTrigger trigger, Observation observation, AssistedFluctuation assisted, SimulationRandom rng)
    {
        double mean = 0;
        foreach (float e in _expected)
        {
            mean += e;
        }

        mean /= _expected.Length;
        double scale = Math.Max(1, 200 / Math.Max(mean, 1e-6));
        for (int i = 0; i < _expected.Length; i++)
        {
            _counts[i] = (uint)Math.Round(_expected[i] * scale);
        }

        trigger.Process(_counts, (float)(observation.ExposureS * scale), _alert);
        (int y, int z, double value) = StrongestInField(trigger.LastImages, observation);
        double peak = value / Math.Sqrt(scale);
        double missing = Math.Max(0, _config.SnrThreshold - peak);
        if (y < 0 || missing > assisted.MaxSigma)
        {
            return;
        }

        double threshold = _config.SnrThreshold;
        double overshoot = -Math.Log(1 - rng.NextDouble()) / threshold;
        _builder.Tilt(new TailFluctuation(y, z, missing + overshoot), _expected);
    }

    /// <summary>Highest SNR where the trigger searches and alerts: partial coding at least the minimum, outside catalogue zones.</summary>
    private (int Y, int Z, double Value) StrongestInField(SkyImages images, Observation observation)
    {
        int side = images.Side;
        int bestY = -1, bestZ = -1;
        double best = double.NegativeInfinity;
        for (int z = 0; z < side; z++)
        {
            for (int y = 0; y < side; y++)
            {
                int p = z * side + y;
                if (images.PartialCoding[p] < _config.MinPartialCoding || images.Snr[p] <= best || InExclusionZone(observation, y, z))
                {
                    continue;
                }

                best = images.Snr[p];
                bestY = y;
                bestZ = z;
            }
        }

        return (bestY, bestZ, best);
    }

    private static bool InExclusionZone(Observation observation, int y, int z)
    {
        foreach (CatalogueEntry k in observation.Catalogue)
        {
            double dy = k.Y - y, dz = k.Z - z;
            if (dy * dy + dz * dz <= k.ExclusionRadius * k.ExclusionRadius)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The catalogue in the trigger's units: counts/s summed over the live detector through the mask
    /// for the catalogue's rate and position (our rates are per fully coded, on-axis detector).
    /// </summary>
    private KnownSource[] TriggerCatalogue(Observation observation, DetectorMask? live)
    {
        var result = new KnownSource[observation.Catalogue.Count];
        for (int k = 0; k < result.Length; k++)
        {
            CatalogueEntry entry = observation.Catalogue[k];
            double ty = Geometry.TanFromSkyPixel(entry.Y), tz = Geometry.TanFromSkyPixel(entry.Z);
            _model.OpenFractions(ty, tz, _openFractions);
            double open = 0;
            for (int i = 0; i < _openFractions.Length; i++)
            {
                open += live is null || live.Active[i] ? _openFractions[i] : 0;
            }

            double countsPerS = _builder.AmplitudePerOpenPixel(entry.RateCountsPerS, 1) * ShadowgramModel.ProjectedAreaFactor(ty, tz) * open;
            result[k] = new KnownSource((float)entry.Y, (float)entry.Z, (float)countsPerS, (float)entry.ExclusionRadius);
        }

        return result;
    }
}
