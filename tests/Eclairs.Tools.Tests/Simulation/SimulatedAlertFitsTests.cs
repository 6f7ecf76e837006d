using System.IO;
using System.Linq;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>A simulated alert written as single-alert FITS reads back with its pixels and truth keywords.</summary>
public sealed class SimulatedAlertFitsTests
{
    [Fact]
    public void Simulated_alert_round_trips_through_fits()
    {
        var simulator = new AlertSimulator();
        SimulatedAlert alert = Enumerable.Range(0, 40)
            .Select(i => simulator.Simulate(AlertCause.BadSubtraction, (ulong)i))
            .First(a => a.Raised && a.Cause == AlertCause.BadSubtraction);

        using var stream = new MemoryStream();
        AlertFitsFile.Write(alert.ToFitsAlert(), stream);
        Assert.Equal(0, stream.Length % 2880);
        stream.Position = 0;
        FitsAlert back = AlertFitsFile.Read(stream);

        Assert.Equal(alert.Snr, back.Snr);
        Assert.Equal(alert.Mask, back.Mask);
        Assert.Equal(alert.PeakSnr, back.PeakSnr);
        Assert.Equal(alert.SkyY, back.SkyY);
        Assert.Equal(alert.SkyZ, back.SkyZ);
        Assert.Equal((byte)AlertCause.BadSubtraction, back.Cause);
        Assert.Equal("bad-subtraction", back.CauseName);
        Assert.Equal(AlertLabel.FalseAlert, back.Label);
    }
}
