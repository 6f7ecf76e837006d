using System;
using System.Collections.Generic;
using System.Diagnostics;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;

namespace Eclairs.Simulation;

/// <summary>
/// Runs one scenario end to end: builds the observation, samples the detector counts, hands
/// them to the real <see cref="OnboardTrigger"/> (configured with the observation's catalogue,
/// background model and live-pixel map) and labels what comes out from ground truth. With energy
/// bands (<see cref="BandMode.SoftAndHard"/>) the same photons make a soft and a hard image, each
/// through its own trigger, and the alert is the band that raised it (the stronger if both did).
/// Deterministic: the same scenario and seed give the same alert, on any thread. One instance
/// per thread (it keeps scratch buffers and its triggers).
/// </summary>
public sealed class AlertSimulator
{
    private static readonly EnergyBand[] TriggerBands = [EnergyBand.Soft, EnergyBand.Hard];

    private readonly SimulationSettings _settings;
    private readonly CodedMask _mask;
    private readonly ReconstructionPlan _plan;
    private readonly ObservationBuilder _builder;
    private readonly ShadowgramModel _model;
    private readonly TriggerConfig _config;
    private readonly float[] _expected;
    private readonly float[] _openFractions;
    private readonly uint[] _counts;
    private readonly float[][] _subBands;
    private readonly float[][] _bandExpected;
    private readonly uint[][] _subCounts;
    private readonly uint[][] _bandCounts;
    private readonly Alert[] _bandAlerts = [new(), new()];
    private readonly Alert _alert = new();
    private readonly Dictionary<(BackgroundModel, EnergyBand), OnboardTrigger> _triggers = [];
    private readonly Dictionary<string, ReconstructionPlan> _livePlans = [];
    private OnboardTrigger? _lastTrigger;
    private uint[] _lastCounts;
    private readonly bool[] _zones;
    private long _clock;
    private bool _screening;
    private QualityFlags _doomedBy;

    /// <summary>
    /// The noisy image's std over the field is at least this fraction of the noise-free prediction (√(1 + σ²), σ the
    /// noise-free SNR image's std): measured 0.927–1.17 over 2,245 assisted observations of <c>large</c>
    /// (docs/simulation.md, Speed), so 0.85 leaves a margin of 8 %.
    /// </summary>
    public const double DoomedStdMargin = 0.85;

    /// <summary>
    /// Plans of detectors with missing modules kept per simulator, keyed by the missing modules (about 2 MB each with
    /// their quadratic models); beyond this many the cache starts afresh.
    /// </summary>
    public const int MaxCachedLivePlans = 32;

    /// <summary>The nominal instrument (or the given geometry, mask and trigger settings), one broad band.</summary>
    public AlertSimulator(InstrumentGeometry? geometry = null, CodedMask? mask = null, TriggerConfig? config = null)
        : this(SimulationSettings.Nominal with { Trigger = config ?? TriggerConfig.Default }, geometry, mask, plan: null)
    {
    }

    /// <summary>
    /// A simulator for <paramref name="settings"/>. <paramref name="plan"/> (optional, shareable between simulators on
    /// any thread) is the reconstruction plan of the full detector for the settings' mask.
    /// </summary>
    public AlertSimulator(SimulationSettings settings, InstrumentGeometry? geometry = null, ReconstructionPlan? plan = null)
        : this(settings, geometry, mask: null, plan)
    {
    }

    private AlertSimulator(SimulationSettings settings, InstrumentGeometry? geometry, CodedMask? mask, ReconstructionPlan? plan)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        Geometry = plan?.Geometry ?? geometry ?? mask?.Geometry ?? InstrumentGeometry.Nominal;
        _mask = plan?.Mask ?? mask ?? settings.Mask(Geometry);
        _plan = plan ?? new ReconstructionPlan(Geometry, _mask);
        _config = settings.Trigger;
        _builder = new ObservationBuilder(Geometry, _mask);
        _model = new ShadowgramModel(Geometry, _mask);
        int pixels = Geometry.DetectorPixels;
        _expected = new float[pixels];
        _openFractions = new float[pixels];
        _counts = new uint[pixels];
        _lastCounts = _counts;
        _zones = new bool[Geometry.SkyPixels];
        _subBands = [new float[pixels], new float[pixels], new float[pixels]];
        _bandExpected = [new float[pixels], new float[pixels]];
        _subCounts = [new uint[pixels], new uint[pixels], new uint[pixels]];
        _bandCounts = [new uint[pixels], new uint[pixels]];
        var sky = new SkyField(Geometry.SkySide, Geometry.DetectorSide, Geometry.RebinnedMaskSide, Geometry.TanPerSkyPixel);
        Context = new ScenarioContext(sky, Geometry.ModuleColumns, Geometry.ModuleRows, Geometry.MaskOpenFraction, _config.MinPartialCoding)
        {
            BackgroundPerPixel = settings.BackgroundPerPixel,
        };
    }

    public InstrumentGeometry Geometry { get; }
    public ScenarioContext Context { get; }

    /// <summary>Thread time per phase of every observation this simulator ran.</summary>
    public SimulationProfile Profile { get; } = new();
    public SimulationSettings Settings => _settings;

    /// <summary>The trigger's full SNR sky image of the last simulation (row-major, sky side²), in the alert's band.</summary>
    public float[] LastSkySnr()
    {
        var snr = new float[Geometry.SkyPixels];
        _lastTrigger?.CopySky(snr);
        return snr;
    }

    /// <summary>The trigger's partial-coding map of the last simulation (its field of view is where it reaches the minimum).</summary>
    public float[] LastPartialCoding() => _lastTrigger is null ? new float[Geometry.SkyPixels] : (float[])_lastTrigger.LastImages.PartialCoding.Clone();

    /// <summary>The last simulation's detector counts (row-major 80 x 80) in the alert's band.</summary>
    public ReadOnlySpan<uint> LastCounts => _lastCounts;

    /// <summary>Simulates the scenario of <paramref name="cause"/> with <paramref name="seed"/>.</summary>
    public SimulatedAlert Simulate(AlertCause cause, ulong seed) => Simulate(ScenarioCatalogue.For(cause), seed);

    public SimulatedAlert Simulate(Scenario scenario, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _screening = false;
        return SimulateScreened(scenario, seed)!;
    }

    /// <summary>
    /// <see cref="Simulate(Scenario, ulong)"/>, except that an assisted observation whose noise-free image already rules
    /// out any alert stops after the assist (before sampling and the trigger) and gives null, with the criterion
    /// that would fail in <paramref name="doomedBy"/>. Whenever it gives an alert, that alert is Simulate's, bit for
    /// bit; attempts that give null never raise one (<see cref="DoomedBy"/>). For the data set generator, which only
    /// keeps raised alerts; surveys that tabulate every outcome use Simulate.
    /// </summary>
    public SimulatedAlert? SimulateUnlessDoomed(Scenario scenario, ulong seed, out QualityFlags doomedBy)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _screening = _settings.Bands == BandMode.Full && _config.AdaptiveThresholdSlope == 0 && _config.CatalogueFlareThreshold == 0;
        _doomedBy = QualityFlags.None;
        SimulatedAlert? alert = SimulateScreened(scenario, seed);
        doomedBy = _doomedBy;
        _screening = false;
        return alert;
    }

    private SimulatedAlert? SimulateScreened(Scenario scenario, ulong seed)
    {
        long start = Stopwatch.GetTimestamp();
        Observation observation = scenario.Build(new SimulationRandom(SimulationRandom.DeriveSeed(seed, 0, stream: 1)), Context);
        Profile.Add(SimulationProfile.Phase.Scenario, Stopwatch.GetTimestamp() - start);
        return RunScreened(observation, scenario, seed);
    }

    /// <summary>Runs an observation built elsewhere through the trigger; <paramref name="scenario"/> names its cause.</summary>
    public SimulatedAlert Run(Observation observation, Scenario scenario, ulong seed)
    {
        _screening = false;
        return RunScreened(observation, scenario, seed)!;
    }

    private SimulatedAlert? RunScreened(Observation observation, Scenario scenario, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(scenario);
        DetectorMask? live = observation.Detector.MissingModules.Count > 0 ? _builder.DetectorMaskOf(observation.Detector) : null;
        _clock = Stopwatch.GetTimestamp();
        Profile.CountObservation();
        return _settings.Bands == BandMode.Full ? RunFullBand(observation, scenario, seed, live) : RunInBands(observation, scenario, seed, live);
    }

    // Charges the time since the last lap to a phase.
    private void Lap(SimulationProfile.Phase phase)
    {
        long now = Stopwatch.GetTimestamp();
        Profile.Add(phase, now - _clock);
        _clock = now;
    }

    private SimulatedAlert? RunFullBand(Observation observation, Scenario scenario, ulong seed, DetectorMask? live)
    {
        OnboardTrigger trigger = TriggerFor(observation, live, EnergyBand.Full);
        Lap(SimulationProfile.Phase.TriggerSetup);
        _builder.ExpectedCounts(observation, _expected);
        if (observation.Fluctuation is { } fluctuation)
        {
            _builder.Tilt(fluctuation, _expected);
        }

        Lap(SimulationProfile.Phase.ExpectedCounts);
        ulong noiseSeed = SimulationRandom.DeriveSeed(seed, 0, stream: 2);
        if (observation.Assisted is { } assisted)
        {
            var rng = new SimulationRandom(SimulationRandom.DeriveSeed(seed, 0, stream: 3));
            (int y, int z, double peak, double scale) = NoiseFreeStrongestLobe(trigger, observation, _expected);
            if (_screening && DoomedBy(trigger.LastImages, assisted, y, z, peak, scale) is var doomed && doomed != QualityFlags.None)
            {
                _doomedBy = doomed;
                Profile.CountScreened();
                Lap(SimulationProfile.Phase.Assist);
                return null;
            }

            TiltAtLobe(assisted, rng, y, z, peak, _expected, _expected, []);
            Lap(SimulationProfile.Phase.Assist);
        }

        ObservationBuilder.Sample(_expected, noiseSeed, _counts);
        Lap(SimulationProfile.Phase.Sampling);
        trigger.Process(_counts, (float)observation.ExposureS, _alert);
        Lap(SimulationProfile.Phase.Trigger);
        _lastCounts = _counts;
        return Finish(observation, scenario, seed, trigger, _alert, EnergyBand.Full);
    }

    // Sub-bands 1..3 of BandSpectra (5-8, 8-20, 20-120 keV): soft = 1 + 2, hard = 2 + 3.
    private SimulatedAlert RunInBands(Observation observation, Scenario scenario, ulong seed, DetectorMask? live)
    {
        var bandRng = new SimulationRandom(SimulationRandom.DeriveSeed(seed, 0, stream: 4));
        AssignSpectra(observation, bandRng);
        OnboardTrigger soft = TriggerFor(observation, live, EnergyBand.Soft);
        OnboardTrigger[] triggers = [soft, TriggerFor(observation, live, EnergyBand.Hard, sameSources: soft)];
        Lap(SimulationProfile.Phase.TriggerSetup);
        _builder.ExpectedSubBands(observation, 1, _subBands);
        SumBands();

        if (observation.Fluctuation is { } fluctuation)
        {
            int b = bandRng.Chance(0.5) ? 0 : 1;
            double theta = _builder.TiltFactor(fluctuation, _bandExpected[b]);
            _builder.ApplyTilt(fluctuation, theta, _subBands[b]);
            _builder.ApplyTilt(fluctuation, theta, _subBands[b + 1]);
            SumBands();
        }

        Lap(SimulationProfile.Phase.ExpectedCounts);

        if (observation.Assisted is { } assisted)
        {
            var rng = new SimulationRandom(SimulationRandom.DeriveSeed(seed, 0, stream: 3));
            int best = -1, bestY = -1, bestZ = -1;
            double bestPeak = double.NegativeInfinity;
            for (int b = 0; b < 2; b++)
            {
                (int y, int z, double peak, _) = NoiseFreeStrongestLobe(triggers[b], observation, _bandExpected[b]);
                if (y >= 0 && peak > bestPeak)
                {
                    (best, bestY, bestZ, bestPeak) = (b, y, z, peak);
                }
            }

            if (best >= 0 && TiltAtLobe(assisted, rng, bestY, bestZ, bestPeak, _bandExpected[best], _subBands[best], _subBands[best + 1]))
            {
                SumBands();
            }

            Lap(SimulationProfile.Phase.Assist);
        }

        for (int j = 0; j < 3; j++)
        {
            ObservationBuilder.Sample(_subBands[j], SimulationRandom.DeriveSeed(seed, (ulong)j + 1, stream: 20), _subCounts[j]);
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _bandCounts[0][i] = _subCounts[0][i] + _subCounts[1][i];
            _bandCounts[1][i] = _subCounts[1][i] + _subCounts[2][i];
        }

        Lap(SimulationProfile.Phase.Sampling);
        for (int b = 0; b < 2; b++)
        {
            triggers[b].Process(_bandCounts[b], (float)observation.ExposureS, _bandAlerts[b]);
        }

        Lap(SimulationProfile.Phase.Trigger);

        // The band that raised the alert; the stronger when both (or neither) did.
        Alert softAlert = _bandAlerts[0], hardAlert = _bandAlerts[1];
        int chosen = softAlert.Raised != hardAlert.Raised ? (softAlert.Raised ? 0 : 1) : (hardAlert.PeakSnr > softAlert.PeakSnr ? 1 : 0);
        _lastCounts = _bandCounts[chosen];
        return Finish(observation, scenario, seed, triggers[chosen], _bandAlerts[chosen], TriggerBands[chosen]);
    }

    private void SumBands()
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _bandExpected[0][i] = _subBands[0][i] + _subBands[1][i];
            _bandExpected[1][i] = _subBands[1][i] + _subBands[2][i];
        }
    }

    /// <summary>
    /// Photon indices for the sources of an observation in energy bands (stand-ins, docs/simulation.md): bursts
    /// Γ ~ N(1.4, 0.35) in [0.6, 2.4] (GRB spectra below their peak energy, X-ray-rich ones steeper), catalogued X-ray
    /// binaries Γ uniform in [1.8, 3.0] (soft, like GX 340+0 of the real catalogue notice). A source that already has one keeps it.
    /// </summary>
    private static void AssignSpectra(Observation observation, SimulationRandom rng)
    {
        for (int i = 0; i < observation.Sources.Count; i++)
        {
            SkySource s = observation.Sources[i];
            if (s.PhotonIndex is null)
            {
                double index = s.IsNew ? Math.Clamp(rng.Normal(1.4, 0.35), 0.6, 2.4) : rng.Uniform(1.8, 3.0);
                observation.Sources[i] = s with { PhotonIndex = index };
            }
        }
    }

    private SimulatedAlert Finish(Observation observation, Scenario scenario, ulong seed, OnboardTrigger trigger, Alert alert, EnergyBand band)
    {
        _lastTrigger = trigger;
        var newSources = new List<SkySource>();
        foreach (SkySource s in observation.Sources)
        {
            if (s.IsNew)
            {
                newSources.Add(s);
            }
        }

        var truth = new AlertTruth(scenario.Cause, seed, observation.ExposureS, newSources, [.. observation.Catalogue], observation.BackgroundPerturbed)
        {
            Flare = alert.Criterion == TriggerCriterion.CatalogueFlare ? FlareTruthOf(observation, alert.KnownSourceIndex, band) : null,
        };
        AlertLabel label = AlertLabeler.Label(truth, alert.SkyY, alert.SkyZ, alert.Criterion);
        var result = new SimulatedAlert(truth, (float[])alert.SubimageSnr.Clone(), (byte[])alert.SubimageMask.Clone())
        {
            Raised = alert.Raised,
            QualityFlags = (uint)alert.Flags,
            PeakSnr = alert.PeakSnr,
            SecondPeakSnr = alert.SecondPeakSnr,
            ImageStd = alert.ImageStd,
            SkyY = alert.SkyY,
            SkyZ = alert.SkyZ,
            OffAxisDeg = alert.OffAxisDeg,
            AzimuthDeg = alert.AzimuthDeg,
            Band = band,
            Criterion = alert.Criterion,
            KnownSourceIndex = alert.KnownSourceIndex,
            EffectiveThreshold = alert.EffectiveThreshold,
            Quality = alert.Quality,
            Label = label,
            Cause = alert.Criterion == TriggerCriterion.CatalogueFlare
                ? CatalogueFlareCause(label)
                : scenario.CauseFor(label, observation, alert.SkyY, alert.SkyZ),
        };
        Lap(SimulationProfile.Phase.Labelling);
        return result;
    }

    /// <summary>A catalogue-flare alert is a flare when its source really brightened, a bad subtraction when it did not.</summary>
    private static AlertCause CatalogueFlareCause(AlertLabel label) => label switch
    {
        AlertLabel.TrueAlert => AlertCause.CatalogueFlare,
        AlertLabel.Unclear => AlertCause.UnclearTwoSources,
        _ => AlertCause.BadSubtraction,
    };

    private FlareTruth FlareTruthOf(Observation observation, int catalogueIndex, EnergyBand band)
    {
        CatalogueEntry entry = observation.Catalogue[catalogueIndex];
        SkySource source = observation.KnownSourceFor(catalogueIndex);
        double share = band == EnergyBand.Full ? 1 : BandSpectra.PowerLaw(source.PhotonIndex ?? 2, band);
        double background = observation.Background.PerPixel * (band == EnergyBand.Full ? 1 : BandSpectra.BackgroundFraction(band));
        double coding = Context.Sky.PartialCoding(entry.Y, entry.Z);
        double trueRate = source.RateCountsPerS * Math.Clamp(source.VisibleFraction, 0, 1) * share, catalogueRate = entry.RateCountsPerS * share;
        double sigma = Context.ExcessSnr(trueRate - catalogueRate, trueRate, observation.ExposureS, background, coding);
        return new FlareTruth(catalogueIndex, trueRate, catalogueRate, background, coding, Geometry.DetectorPixels, Geometry.MaskOpenFraction, sigma);
    }

    /// <summary>
    /// The trigger for this observation and band: its catalogue, background model and live pixels. On the full
    /// detector one trigger per background model and band is kept and given each observation's catalogue
    /// (<see cref="OnboardTrigger.UpdateCatalogue"/>, exactly a new trigger's behaviour without rebuilding the plan);
    /// missing modules need a plan of their own.
    /// </summary>
    private OnboardTrigger TriggerFor(Observation observation, DetectorMask? live, EnergyBand band, OnboardTrigger? sameSources = null)
    {
        BackgroundModel background = observation.QuadraticBackgroundFit ? BackgroundModel.Quadratic : BackgroundModel.Flat;
        KnownSource[] catalogue = TriggerCatalogue(observation, live, band);
        TriggerConfig config = _config with { BackgroundModel = background };
        if (live is not null)
        {
            return new OnboardTrigger(config, catalogue, LivePlan(observation.Detector, live));
        }

        if (!_triggers.TryGetValue((background, band), out OnboardTrigger? trigger))
        {
            trigger = new OnboardTrigger(config, catalogue, _plan);
            _triggers[(background, band)] = trigger;
        }
        else if (!trigger.Catalogue.SequenceEqual((ReadOnlySpan<KnownSource>)catalogue))
        {
            // Another band's trigger of this observation has the same source positions: its model images serve here too.
            trigger.UpdateCatalogue(catalogue, sameSources);
        }

        return trigger;
    }

    /// <summary>
    /// The plan of the full detector's mask on <paramref name="live"/>, the map of <paramref name="detector"/>'s missing
    /// modules: built once per set of missing modules and reused (a plan depends on the mask and the live map only, and
    /// <see cref="ReconstructionPlan.WithDetector"/> gives the same values as one built from scratch).
    /// </summary>
    private ReconstructionPlan LivePlan(DetectorState detector, DetectorMask live)
    {
        string key = string.Join(',', detector.MissingModules);
        if (_livePlans.TryGetValue(key, out ReconstructionPlan? plan))
        {
            return plan;
        }

        if (_livePlans.Count >= MaxCachedLivePlans)
        {
            _livePlans.Clear();
        }

        plan = _plan.WithDetector(live);
        _livePlans[key] = plan;
        return plan;
    }

    /// <summary>
    /// Runs the trigger on the noise-free expected counts (scaled up so rounding to whole counts
    /// is negligible; SNR scales with the square root of the scale) and finds the systematic's
    /// strongest lobe inside the field: its pixel and its SNR at the real exposure (y = −1 if none), and the scale.
    /// </summary>
    private (int Y, int Z, double Peak, double Scale) NoiseFreeStrongestLobe(OnboardTrigger trigger, Observation observation, ReadOnlySpan<float> expected)
    {
        double mean = 0;
        foreach (float e in expected)
        {
            mean += e;
        }

        mean /= expected.Length;
        double scale = Math.Max(1, 200 / Math.Max(mean, 1e-6));
        for (int i = 0; i < expected.Length; i++)
        {
            _counts[i] = (uint)Math.Round(expected[i] * scale);
        }

        trigger.ProcessSky(_counts, (float)(observation.ExposureS * scale));
        (int y, int z, double value) = StrongestInField(trigger.LastImages, observation);
        return (y, z, value / Math.Sqrt(scale), scale);
    }

    /// <summary>
    /// Which criterion already fails, from the noise-free image of an assisted observation (None: the attempt may
    /// raise an alert and must run on). Two cases, both leaving the observation without any chance of an alert:
    /// no excursion is due (no lobe in the field, or more missing than <see cref="AssistedFluctuation.MaxSigma"/>):
    /// the systematic would need a noise excursion of more than 4.5σ by itself and the quality criteria on top
    /// (none of 1,473 such observations of <c>large</c> raised one: BelowThreshold); or the systematic alone spreads
    /// the SNR image beyond the std criterion even with the noise at <see cref="DoomedStdMargin"/> of its part
    /// (ImageStdOutOfRange). The std is the trigger's: over the field outside the catalogue zones and the peak's PSF.
    /// </summary>
    private QualityFlags DoomedBy(SkyImages images, AssistedFluctuation assisted, int y, int z, double peak, double scale)
    {
        if (y < 0 || _config.SnrThreshold - peak > assisted.MaxSigma)
        {
            return QualityFlags.BelowThreshold;
        }

        double std = NoiseFreeStd(images, y, z) / Math.Sqrt(scale);
        return Math.Sqrt(1 + std * std) * DoomedStdMargin > _config.MaxImageStd ? QualityFlags.ImageStdOutOfRange : QualityFlags.None;
    }

    // Std of the (scaled) noise-free SNR over the field (partial coding at least the minimum, outside the zones marked by
    // the last StrongestInField) and outside the PSF radius of the lobe at (py, pz).
    private double NoiseFreeStd(SkyImages images, int py, int pz)
    {
        int side = images.Side, r2 = Geometry.PsfRadiusPixels * Geometry.PsfRadiusPixels, count = 0;
        double sum = 0, sum2 = 0;
        for (int z = 0; z < side; z++)
        {
            for (int y = 0; y < side; y++)
            {
                int p = z * side + y, dy = y - py, dz = z - pz;
                if (images.PartialCoding[p] < _config.MinPartialCoding || _zones[p] || dy * dy + dz * dz <= r2)
                {
                    continue;
                }

                double v = images.Snr[p];
                sum += v;
                sum2 += v * v;
                count++;
            }
        }

        double mean = count > 0 ? sum / count : 0;
        return count > 1 ? Math.Sqrt(Math.Max(0, sum2 / count - mean * mean)) : 0;
    }

    /// <summary>
    /// Tilts the expected counts at the lobe by the excursion the systematic still misses plus an exponential
    /// overshoot: θ from <paramref name="band"/>'s expected counts, applied to <paramref name="first"/> (and
    /// <paramref name="second"/>, the band's other sub-band, when not empty). False when no tilt is due.
    /// </summary>
    private bool TiltAtLobe(AssistedFluctuation assisted, SimulationRandom rng, int y, int z, double peak,
        ReadOnlySpan<float> band, Span<float> first, Span<float> second)
    {
        double missing = Math.Max(0, _config.SnrThreshold - peak);
        if (y < 0 || missing > assisted.MaxSigma)
        {
            return false;
        }

        double threshold = _config.SnrThreshold;
        double overshoot = -Math.Log(1 - rng.NextDouble()) / threshold;
        var tilt = new TailFluctuation(y, z, missing + overshoot);
        double theta = _builder.TiltFactor(tilt, band);
        _builder.ApplyTilt(tilt, theta, first);
        if (!second.IsEmpty)
        {
            _builder.ApplyTilt(tilt, theta, second);
        }

        return true;
    }

    /// <summary>Highest SNR where the trigger searches and alerts: partial coding at least the minimum, outside catalogue zones.</summary>
    private (int Y, int Z, double Value) StrongestInField(SkyImages images, Observation observation)
    {
        int side = images.Side;
        MarkExclusionZones(observation, side);
        int bestY = -1, bestZ = -1;
        double best = double.NegativeInfinity;
        for (int z = 0; z < side; z++)
        {
            for (int y = 0; y < side; y++)
            {
                int p = z * side + y;
                if (images.PartialCoding[p] < _config.MinPartialCoding || images.Snr[p] <= best || _zones[p])
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

    // _zones[p]: sky pixel p lies in a catalogue entry's exclusion disc (the catalogue's own double positions); each disc is
    // marked over its bounding box only.
    private void MarkExclusionZones(Observation observation, int side)
    {
        Array.Clear(_zones);
        foreach (CatalogueEntry k in observation.Catalogue)
        {
            double r = k.ExclusionRadius;
            int y0 = (int)Math.Max(0, Math.Floor(k.Y - r) - 1), y1 = (int)Math.Min(side - 1, Math.Ceiling(k.Y + r) + 1);
            int z0 = (int)Math.Max(0, Math.Floor(k.Z - r) - 1), z1 = (int)Math.Min(side - 1, Math.Ceiling(k.Z + r) + 1);
            for (int z = z0; z <= z1; z++)
            {
                for (int y = y0; y <= y1; y++)
                {
                    double dy = k.Y - y, dz = k.Z - z;
                    _zones[z * side + y] |= dy * dy + dz * dz <= r * r;
                }
            }
        }
    }

    /// <summary>
    /// The catalogue in the trigger's units: counts/s summed over the live detector through the mask
    /// for the catalogue's rate and position (our rates are per fully coded, on-axis detector), in the
    /// band's share of the source's spectrum.
    /// </summary>
    private KnownSource[] TriggerCatalogue(Observation observation, DetectorMask? live, EnergyBand band)
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
            if (band != EnergyBand.Full)
            {
                countsPerS *= BandSpectra.PowerLaw(observation.KnownSourceFor(k).PhotonIndex ?? 2, band);
            }

            result[k] = new KnownSource((float)entry.Y, (float)entry.Z, (float)countsPerS, (float)entry.ExclusionRadius);
        }

        return result;
    }
}
