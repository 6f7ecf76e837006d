using System;
using Eclairs.Onboard.Trigger;
using Xunit;

namespace Eclairs.Onboard.Trigger.Tests;

public class BadInputTests
{
    private static readonly OnboardTrigger Trigger = new(null, default);

    [Fact]
    public void Wrong_counts_length_is_a_bad_length()
    {
        var e = Assert.Throws<TriggerArgumentException>(() => Trigger.Process(new uint[6399], 20f, new Alert()));
        Assert.Equal(TriggerErrorCode.BadLength, e.Code);
        Assert.Equal("counts", e.ParamName);
        Assert.Contains("6400", e.Message, StringComparison.Ordinal);
        Assert.Equal(TriggerErrorCode.BadLength, Assert.Throws<TriggerArgumentException>(() => Trigger.CopySky(new float[100])).Code);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(-1f)]
    [InlineData(0f)]
    [InlineData(float.PositiveInfinity)]
    public void Bad_exposure_is_out_of_range(float exposure)
    {
        var e = Assert.Throws<TriggerArgumentException>(() => Trigger.Process(new uint[6400], exposure, new Alert()));
        Assert.Equal(TriggerErrorCode.InputRange, e.Code);
        Assert.Equal("exposureSeconds", e.ParamName);
    }

    [Fact]
    public void Null_alert_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => Trigger.Process(new uint[6400], 1f, null!));
    }

    [Fact]
    public void Negative_or_nan_float_counts_are_refused_by_the_reconstructor()
    {
        var rec = Trigger.Reconstructor;
        var images = rec.CreateImages();
        var counts = new float[6400];
        counts[17] = -1;
        Assert.Contains("counts[17]", Assert.Throws<TriggerArgumentException>(() => rec.Reconstruct(counts, images)).Message, StringComparison.Ordinal);
        counts[17] = float.NaN;
        Assert.Throws<TriggerArgumentException>(() => rec.Reconstruct(counts, images));
    }

    public static TheoryData<TriggerConfig, string> BadConfigs() => new()
    {
        { TriggerConfig.Default with { SnrThreshold = float.NaN }, "SnrThreshold" },
        { TriggerConfig.Default with { SnrThreshold = -1 }, "SnrThreshold" },
        { TriggerConfig.Default with { MinImageStd = 1.5f }, "MaxImageStd" },
        { TriggerConfig.Default with { MinPeakRatio = 0.5f }, "MinPeakRatio" },
        { TriggerConfig.Default with { MinPartialCoding = 0 }, "MinPartialCoding" },
        { TriggerConfig.Default with { MinPartialCoding = 1.5f }, "MinPartialCoding" },
        { TriggerConfig.Default with { BackgroundModel = (BackgroundModel)7 }, "BackgroundModel" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Invalid_config_names_the_field(TriggerConfig config, string field)
    {
        var e = Assert.Throws<TriggerArgumentException>(() => new OnboardTrigger(config, default));
        Assert.Equal(TriggerErrorCode.InputRange, e.Code);
        Assert.Equal(field, e.ParamName);
    }

    [Theory]
    [InlineData(float.NaN, 10f, 1f, 2f)]
    [InlineData(10f, 10f, -1f, 2f)]
    [InlineData(10f, 10f, 1f, -2f)]
    [InlineData(10f, 10f, float.PositiveInfinity, 2f)]
    [InlineData(10000f, 10f, 1f, 2f)]
    public void Invalid_catalogue_entries_are_refused(float y, float z, float rate, float radius)
    {
        var e = Assert.Throws<TriggerArgumentException>(() => new OnboardTrigger(null, [new KnownSource(y, z, rate, radius)]));
        Assert.Contains("catalogue[0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_model_refuses_bad_buffers_and_values()
    {
        var g = InstrumentGeometry.Nominal;
        var model = new ShadowgramModel(g, CodedMask.Generate(g));
        Assert.Equal(TriggerErrorCode.BadLength, Assert.Throws<TriggerArgumentException>(() => model.AddBackground(new float[10], 1)).Code);
        Assert.Throws<TriggerArgumentException>(() => model.AddPointSource(new float[6400], double.NaN, 0, 1));
        Assert.Throws<TriggerArgumentException>(() => model.AddPointSource(new float[6400], 0, 0, -1));
        var eff = new float[6400];
        eff[3] = float.NaN;
        Assert.Throws<TriggerArgumentException>(() => model.ApplyEfficiency(new float[6400], eff));
        Assert.Throws<TriggerArgumentException>(() => new DetectorMask(g).DisableModule(20, 0));
        var dead = new DetectorMask(g);
        for (int mr = 0; mr < 20; mr++)
        {
            for (int mc = 0; mc < 10; mc++)
            {
                dead.DisableModule(mr, mc);
            }
        }

        Assert.Throws<TriggerArgumentException>(() => new SkyReconstructor(g, CodedMask.Generate(g), dead));
    }

    [Fact]
    public void A_mask_for_another_mask_geometry_is_refused()
    {
        var other = new InstrumentGeometry(maskElements: 40);
        var mask = CodedMask.Generate(other);
        var g = InstrumentGeometry.Nominal;
        Assert.Throws<TriggerArgumentException>(() => new SkyReconstructor(g, mask));
        Assert.Throws<TriggerArgumentException>(() => new ShadowgramModel(g, mask));
        Assert.Throws<TriggerArgumentException>(() => new OnboardTrigger(null, default, g, mask));
        // Same mask, another detector pitch: accepted, rebinned to that pitch.
        var finer = new InstrumentGeometry(pixelPitchMm: 4.2);
        Assert.Equal(finer.RebinnedMaskSide * finer.RebinnedMaskSide, CodedMask.Generate(g).Rebin(finer).Length);
    }
}
