using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Trigger;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Scenarios;
using Xunit;

namespace Eclairs.Tools.Tests.Simulation;

/// <summary>Every scenario raises alerts through the real trigger, with the label it is meant to have.</summary>
public sealed class CauseYieldTests
{
    /// <summary>Fixed seeds tried per cause; the lowest-yield scenarios raise an intended alert in ~1 of 15.</summary>
    private const int Seeds = 120;

    public static TheoryData<AlertCause> Causes()
    {
        var data = new TheoryData<AlertCause>();
        foreach (Scenario s in ScenarioCatalogue.All)
        {
            data.Add(s.Cause);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Causes))]
    public void Scenario_raises_an_alert_with_its_intended_label_through_the_trigger(AlertCause cause)
    {
        // Catalogue flares need the trigger's catalogue-flare criterion (off by default, as in the shipped models' presets).
        var simulator = cause == AlertCause.CatalogueFlare
            ? new AlertSimulator(SimulationSettings.Nominal with { Trigger = TriggerConfig.Default with { CatalogueFlareThreshold = 6.5f } })
            : new AlertSimulator();
        Scenario scenario = ScenarioCatalogue.For(cause);
        SimulatedAlert? hit = null;
        for (ulong seed = 0; seed < Seeds && hit is null; seed++)
        {
            SimulatedAlert alert = simulator.Simulate(scenario, SimulationRandom.DeriveSeed(2024, seed));
            if (alert.Raised && alert.Label == scenario.IntendedLabel && alert.Cause == cause)
            {
                hit = alert;
            }
        }

        Assert.NotNull(hit);

        // The trigger raised it: threshold reached and every quality criterion held.
        Assert.Equal(0u, hit.QualityFlags);
        Assert.True(hit.PeakSnr >= TriggerConfig.Default.SnrThreshold);
        Assert.Equal(Alert.MaskTrigger, hit.Mask[Alert.TriggerRow * Alert.SubimageSide + Alert.TriggerColumn]);

        // Its label agrees with the truth: a new source at the alert exactly when the label is true.
        bool newSourceThere = hit.Truth.NewSources.Any(s => s.VisibleFraction > 0
            && (s.Y - hit.SkyY) * (s.Y - hit.SkyY) + (s.Z - hit.SkyZ) * (s.Z - hit.SkyZ) <= 4.0);
        if (cause == AlertCause.CatalogueFlare)
        {
            // A flare: the catalogue criterion on a known source whose true excess is significant.
            Assert.Equal(TriggerCriterion.CatalogueFlare, hit.Criterion);
            Assert.True(hit.Truth.Flare!.ExcessSigma >= AlertLabeler.MinFlareExcessSigma);
            Assert.False(newSourceThere);
        }
        else if (scenario.IntendedLabel == AlertLabel.TrueAlert)
        {
            Assert.True(newSourceThere);
        }
        else if (scenario.IntendedLabel == AlertLabel.FalseAlert)
        {
            Assert.False(newSourceThere);
        }
    }

    [Fact]
    public void False_scenarios_contain_no_new_source_and_burst_ones_exactly_one()
    {
        var simulator = new AlertSimulator();
        foreach (Scenario scenario in ScenarioCatalogue.All.Where(s => s.IntendedLabel != AlertLabel.Unclear))
        {
            for (ulong seed = 0; seed < 5; seed++)
            {
                Observation observation = scenario.Build(new SimulationRandom(seed), simulator.Context);
                int fresh = observation.Sources.Count(s => s.IsNew);
                // A catalogue flare is true without a new source: the known source itself brightened.
                Assert.Equal(scenario.IntendedLabel == AlertLabel.TrueAlert && scenario.Cause != AlertCause.CatalogueFlare ? 1 : 0, fresh);
            }
        }
    }
}
