using System;
using System.Globalization;
using System.Text.Json;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// The JSON form of an alert for scripts (docs/ground.md): <c>snr</c> (3136 numbers, <c>null</c> for a missing pixel,
/// allowed only where the mask is 0), <c>mask</c> (3136 integers 0..3), and optional trigger facts. Unknown
/// properties are refused, so a misspelt field is never silently dropped.
/// </summary>
public static class JsonAlertReader
{
    public static AlertInput Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            throw new IngestRefusedException($"the body is not JSON: {e.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new IngestRefusedException("the alert must be a JSON object with 'snr' and 'mask'");
            }

            float[]? snr = null;
            byte[]? mask = null;
            DateTimeOffset? time = null;
            string? burst = null, type = null;
            long? obs = null;
            double? peak = null, skyY = null, skyZ = null, offAxis = null, azimuth = null, timescale = null;
            bool? slew = null;
            foreach (JsonProperty p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "snr": snr = ReadSnr(p.Value); break;
                    case "mask": mask = ReadMask(p.Value); break;
                    case "trigger_time": time = ReadTime(p.Value); break;
                    case "burst_id": burst = ReadString(p); break;
                    case "trigger_type": type = ReadTriggerType(p); break;
                    case "observation_id": obs = ReadLong(p); break;
                    case "peak_snr": peak = ReadNumber(p); break;
                    case "sky_y": skyY = ReadNumber(p); break;
                    case "sky_z": skyZ = ReadNumber(p); break;
                    case "offaxis": offAxis = ReadNumber(p); break;
                    case "azimuth": azimuth = ReadNumber(p); break;
                    case "timescale": timescale = ReadNumber(p); break;
                    case "slew_requested": slew = p.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new IngestRefusedException("'slew_requested' must be true or false"),
                    };
                        break;
                    default: throw new IngestRefusedException($"unknown property '{p.Name}' (docs/ground.md lists the JSON alert's fields)");
                }
            }

            if (snr is null || mask is null)
            {
                throw new IngestRefusedException("the alert needs both 'snr' (3136 numbers) and 'mask' (3136 integers)");
            }

            AlertInput.Validate(snr, mask);
            string facts = string.Create(CultureInfo.InvariantCulture, $"{time?.ToUnixTimeMilliseconds()}|{burst}|{type}|{obs}|{peak}|{skyY}|{skyZ}");
            return new AlertInput("json", ContentKey.Of(snr, mask, facts), snr, mask)
            {
                TriggerTime = time,
                BurstId = burst,
                TriggerType = type,
                ObservationId = obs,
                PeakSnr = peak,
                SkyY = skyY,
                SkyZ = skyZ,
                OffAxis = offAxis,
                Azimuth = azimuth,
                TimescaleSeconds = timescale,
                SlewRequested = slew,
            };
        }
    }

    private static float[] ReadSnr(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != AlertInput.Pixels)
        {
            throw new IngestRefusedException($"'snr' must be an array of {AlertInput.Pixels} numbers (row-major 56 x 56), got {Describe(value)}");
        }

        var snr = new float[AlertInput.Pixels];
        int i = 0;
        foreach (JsonElement v in value.EnumerateArray())
        {
            snr[i] = v.ValueKind switch
            {
                JsonValueKind.Null => float.NaN,
                JsonValueKind.Number when v.TryGetDouble(out double d) && Math.Abs(d) <= float.MaxValue => (float)d,
                _ => throw new IngestRefusedException($"'snr'[{i}] is not a number or null"),
            };
            i++;
        }

        return snr;
    }

    private static byte[] ReadMask(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != AlertInput.Pixels)
        {
            throw new IngestRefusedException($"'mask' must be an array of {AlertInput.Pixels} integers 0..3, got {Describe(value)}");
        }

        var mask = new byte[AlertInput.Pixels];
        int i = 0;
        foreach (JsonElement v in value.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int m) || m is < 0 or > 3)
            {
                throw new IngestRefusedException($"'mask'[{i}] = {v.GetRawText()} is not an integer 0..3");
            }

            mask[i++] = (byte)m;
        }

        return mask;
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? $"an array of {value.GetArrayLength()}" : value.ValueKind.ToString().ToLowerInvariant();

    private static DateTimeOffset ReadTime(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t))
        {
            return t;
        }

        throw new IngestRefusedException("'trigger_time' must be an ISO-8601 time string (UTC when no offset is given)");
    }

    private static string ReadString(JsonProperty p)
    {
        string? s = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
        if (string.IsNullOrWhiteSpace(s) || s.Length > 64)
        {
            throw new IngestRefusedException($"'{p.Name}' must be a string of 1 to 64 characters");
        }

        return s;
    }

    private static string ReadTriggerType(JsonProperty p)
    {
        string s = ReadString(p);
        return s is "IMT" or "CRT" ? s : throw new IngestRefusedException("'trigger_type' must be \"IMT\" (image trigger) or \"CRT\" (count-rate trigger)");
    }

    private static double ReadNumber(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out double d) && double.IsFinite(d)
            ? d
            : throw new IngestRefusedException($"'{p.Name}' must be a finite number");

    private static long ReadLong(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out long v) && v >= 0
            ? v
            : throw new IngestRefusedException($"'{p.Name}' must be a non-negative integer");
}
