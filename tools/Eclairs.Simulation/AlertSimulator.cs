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
        _builder.SampleCounts(observation, SimulationRandom.DeriveSeed(seed, 0, stream: 2), _expected, _counts);

        DetectorMask? live = observation.Detector.MissingModules.Count > 0 ? _builder.DetectorMaskOf(observation.Detector) : null;
        KnownSource[] catalogue = TriggerCatalogue(observation, live);
        TriggerConfig config = _config with
        {
            BackgroundModel = observation.QuadraticBackgroundFit ? BackgroundModel.Quadratic : BackgroundModel.Flat,
        };
        var trigger = new OnboardTrigger(config, catalogue, Geometry, _mask, live);
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
