using System.IO;
using System.Linq;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>
/// The generator stops assisted attempts whose noise-free image already rules out an alert: checked against the plain
/// path that runs every attempt through the trigger.
/// </summary>
public sealed class DoomedAttemptTests
{
    private static readonly AlertCause[] Assisted =
    [
        AlertCause.Saa, AlertCause.BrightSourceArtefact, AlertCause.ColumnEffect, AlertCause.XrdpixInhomogeneity,
        AlertCause.EarthInField, AlertCause.NoisyPixels, AlertCause.DeadPixels,
    ];

    [Fact]
    public void A_screened_attempt_never_raises_an_alert_and_an_unscreened_one_is_the_plain_simulation_bit_for_bit()
    {
        var simulator = new AlertSimulator();
        int screened = 0, kept = 0;
        foreach (AlertCause cause in Assisted)
        {
            for (ulong seed = 1; seed <= 30; seed++)
            {
                ulong s = SimulationRandom.DeriveSeed(4242, (ulong)cause, seed);
                SimulatedAlert? fast = simulator.SimulateUnlessDoomed(ScenarioCatalogue.For(cause), s, out QualityFlags doomedBy);
                SimulatedAlert plain = simulator.Simulate(cause, s);
                if (fast is null)
                {
                    screened++;
                    Assert.False(plain.Raised);
                    Assert.True(doomedBy is QualityFlags.BelowThreshold or QualityFlags.ImageStdOutOfRange);
                    Assert.True(doomedBy == QualityFlags.BelowThreshold || (plain.QualityFlags & (uint)QualityFlags.ImageStdOutOfRange) != 0,
                        $"{cause} seed {s}: screened for its std, the trigger measured {plain.ImageStd}.");
                    continue;
                }

                kept++;
                Assert.Equal(QualityFlags.None, doomedBy);
                Assert.Equal(plain.Raised, fast.Raised);
                Assert.Equal(plain.QualityFlags, fast.QualityFlags);
                Assert.Equal(plain.PeakSnr, fast.PeakSnr);
                Assert.Equal(plain.Snr, fast.Snr);
                Assert.Equal(plain.Mask, fast.Mask);
                Assert.Equal(plain.Cause, fast.Cause);
            }
        }

        // Both branches were exercised (about half the assisted attempts are screened).
        Assert.InRange(screened, 30, 180);
        Assert.InRange(kept, 30, 180);
    }

    [Fact]
    public void Screening_keeps_the_same_alerts_attempts_and_bytes_as_running_every_attempt()
    {
        DatasetPreset preset = DatasetPreset.Large.Scaled(0.004);
        GeneratedDataset fast = new DatasetGenerator { Threads = 2 }.Generate(preset, 9);
        GeneratedDataset plain = new DatasetGenerator { Threads = 2, ScreenDoomedAttempts = false }.Generate(preset, 9);
        Assert.True(fast.Profile.Screened > 0);
        Assert.Equal(0, plain.Profile.Screened);
        Assert.Equal(plain.Attempts, fast.Attempts);
        Assert.Equal(Bytes(plain), Bytes(fast));
    }

    private static byte[] Bytes(GeneratedDataset generated)
    {
        using var stream = new MemoryStream();
        AlertDatasetFile.Write(generated.ToDataset(), stream);
        return stream.ToArray();
    }
}
