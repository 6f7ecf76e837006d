using System;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Onboard.Native;

/// <summary>The trigger half of the ICD as plain managed methods over raw pointers (wrapped by <see cref="TriggerExports"/>).</summary>
public static unsafe class TriggerApi
{
    public const int DetectorPixels = 6400;

    public static void ConfigDefault(EclTriggerConfig* config)
    {
        if (config == null)
        {
            return;
        }

        TriggerConfig d = TriggerConfig.Default;
        *config = new EclTriggerConfig
        {
            SnrThreshold = d.SnrThreshold,
            MinImageStd = d.MinImageStd,
            MaxImageStd = d.MaxImageStd,
            MinPeakRatio = d.MinPeakRatio,
            MinPartialCoding = d.MinPartialCoding,
            BackgroundModel = (uint)d.BackgroundModel,
        };
    }

    public static EclStatus Create(EclTriggerConfig* config, EclKnownSource* catalogue, uint count, void** output) =>
        CreateWithCriteria(config, null, catalogue, count, output);

    /// <summary>ecl_trigger_create_with_criteria: <paramref name="criteria"/> NULL is ecl_trigger_create.</summary>
    public static EclStatus CreateWithCriteria(EclTriggerConfig* config, EclTriggerCriteria* criteria, EclKnownSource* catalogue, uint count, void** output)
    {
        if (output == null)
        {
            return EclStatus.NullArgument;
        }

        *output = null;
        if (catalogue == null && count != 0)
        {
            return EclStatus.NullArgument;
        }

        if (count > 4096)
        {
            return EclStatus.InputRange;
        }

        TriggerConfig managed = TriggerConfig.Default;
        if (config != null)
        {
            for (int i = 0; i < 8; i++)
            {
                if (config->Reserved[i] != 0)
                {
                    return EclStatus.InputRange;
                }
            }

            if (!Enum.IsDefined((BackgroundModel)config->BackgroundModel))
            {
                return EclStatus.InputRange;
            }

            managed = new TriggerConfig
            {
                SnrThreshold = config->SnrThreshold,
                MinImageStd = config->MinImageStd,
                MaxImageStd = config->MaxImageStd,
                MinPeakRatio = config->MinPeakRatio,
                MinPartialCoding = config->MinPartialCoding,
                BackgroundModel = (BackgroundModel)config->BackgroundModel,
            };
        }

        if (criteria != null)
        {
            for (int i = 0; i < 6; i++)
            {
                if (criteria->Reserved[i] != 0)
                {
                    return EclStatus.InputRange;
                }
            }

            float slope = criteria->AdaptiveThresholdSlope, flare = criteria->CatalogueFlareThreshold;
            if (!(float.IsFinite(slope) && slope >= 0 && slope <= 100) || !(float.IsFinite(flare) && flare >= 0))
            {
                return EclStatus.InputRange;
            }

            managed = managed with { AdaptiveThresholdSlope = criteria->AdaptiveThresholdSlope, CatalogueFlareThreshold = criteria->CatalogueFlareThreshold };
        }

        var sources = new KnownSource[count];
        for (int i = 0; i < sources.Length; i++)
        {
            EclKnownSource s = catalogue[i];
            sources[i] = new KnownSource(s.Y, s.Z, s.CountsPerSecond, s.ExclusionRadius);
        }

        var trigger = new OnboardTrigger(managed, sources);
        *output = Handles.New(new NativeTrigger(trigger));
        return EclStatus.Ok;
    }

    public static void Free(void* trigger) => Handles.Free<NativeTrigger>(trigger);

    public static EclStatus SkySide(void* trigger, int* side)
    {
        NativeTrigger? t = Handles.Get<NativeTrigger>(trigger);
        if (t is null || side == null)
        {
            return EclStatus.NullArgument;
        }

        *side = t.Trigger.SkySide;
        return EclStatus.Ok;
    }

    /// <summary>The hot path: checks the exposure up front so the trigger never throws here, then copies the alert out.</summary>
    public static EclStatus Process(void* trigger, uint* counts, float exposureSeconds, EclAlert* output)
    {
        NativeTrigger? t = Handles.Get<NativeTrigger>(trigger);
        if (t is null || counts == null || output == null)
        {
            return EclStatus.NullArgument;
        }

        if (!(exposureSeconds > 0 && exposureSeconds <= 1e6f))
        {
            return EclStatus.InputRange;
        }

        t.Trigger.Process(new ReadOnlySpan<uint>(counts, DetectorPixels), exposureSeconds, t.Alert);
        Write(t.Alert, output);
        return EclStatus.Ok;
    }

    /// <summary>ecl_trigger_last_detail: criterion, effective threshold, quality and flaring source of the last processed image.</summary>
    public static EclStatus LastDetail(void* trigger, EclAlertDetail* output)
    {
        NativeTrigger? t = Handles.Get<NativeTrigger>(trigger);
        if (t is null || output == null)
        {
            return EclStatus.NullArgument;
        }

        Alert a = t.Alert;
        *output = new EclAlertDetail
        {
            Criterion = (uint)a.Criterion,
            KnownSourceIndex = a.KnownSourceIndex,
            EffectiveThreshold = a.EffectiveThreshold,
            Quality = a.Quality,
        };
        return EclStatus.Ok;
    }

    public static EclStatus CopySky(void* trigger, float* snr, nuint length)
    {
        NativeTrigger? t = Handles.Get<NativeTrigger>(trigger);
        if (t is null || snr == null)
        {
            return EclStatus.NullArgument;
        }

        int side = t.Trigger.SkySide;
        if (length != (nuint)(side * side))
        {
            return EclStatus.BadLength;
        }

        t.Trigger.CopySky(new Span<float>(snr, side * side));
        return EclStatus.Ok;
    }

    private static void Write(Alert alert, EclAlert* output)
    {
        output->Raised = alert.Raised ? 1 : 0;
        output->QualityFlags = (uint)alert.Flags;
        output->PeakSnr = alert.PeakSnr;
        output->SecondPeakSnr = alert.SecondPeakSnr;
        output->ImageStd = alert.ImageStd;
        output->SkyY = alert.SkyY;
        output->SkyZ = alert.SkyZ;
        output->OffAxisDeg = alert.OffAxisDeg;
        output->AzimuthDeg = alert.AzimuthDeg;
        alert.SubimageSnr.AsSpan().CopyTo(new Span<float>(output->SubimageSnr, EclAlert.SubimagePixels));
        alert.SubimageMask.AsSpan().CopyTo(new Span<byte>(output->SubimageMask, EclAlert.SubimagePixels));
    }
}
