using System;
using System.Collections.Generic;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// Alerts as the on-board trigger emulator makes them: simulated shadowgrams (background, a burst, Poisson noise)
/// reconstructed to SNR skies and cut to 56 x 56 sub-images, centred on bursts, on a known source and off the edge
/// of the partially coded field (where the sub-image mask is 0).
/// </summary>
internal static class TriggerAlerts
{
    private static readonly Lazy<IReadOnlyList<(float[] Snr, byte[] Mask)>> Cache = new(Make);

    public static IReadOnlyList<(float[] Snr, byte[] Mask)> All => Cache.Value;

    private static List<(float[] Snr, byte[] Mask)> Make()
    {
        InstrumentGeometry geometry = InstrumentGeometry.Nominal;
        CodedMask mask = CodedMask.Generate(geometry);
        var model = new ShadowgramModel(geometry, mask);
        KnownSource[] catalogue = [new KnownSource(70, 120, 4, 4)];
        var trigger = new OnboardTrigger(null, catalogue, geometry, mask);
        var alerts = new List<(float[] Snr, byte[] Mask)>();
        var alert = new Alert();
        (double Y, double Z, double Flux)[] bursts = [(131.3, 70.6, 3.0), (99.0, 99.0, 1.5), (20.4, 178.2, 6.0), (60.0, 110.0, 0.0)];
        ulong seed = 11;
        foreach ((double y, double z, double flux) in bursts)
        {
            var expected = new float[geometry.DetectorPixels];
            model.AddBackground(expected, 60, slopeY: 4);
            if (flux > 0)
            {
                model.AddPointSourceAtSkyPixel(expected, y, z, flux);
            }
            var counts = new uint[geometry.DetectorPixels];
            new PoissonSampler(seed++).Sample(expected, counts);
            trigger.Process(counts, 20f, alert);
            alerts.Add(Copy(alert));
            // The same sky cut where the burst is, near a corner and on the known source.
            trigger.CutSubimage((int)Math.Round(y), (int)Math.Round(z), alert);
            alerts.Add(Copy(alert));
        }
        trigger.CutSubimage(5, geometry.SkySide - 8, alert);
        alerts.Add(Copy(alert));
        trigger.CutSubimage(120, 70, alert);
        alerts.Add(Copy(alert));
        return alerts;
    }

    private static (float[] Snr, byte[] Mask) Copy(Alert alert) =>
        ((float[])alert.SubimageSnr.Clone(), (byte[])alert.SubimageMask.Clone());
}
