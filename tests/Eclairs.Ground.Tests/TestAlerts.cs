using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Eclairs.Ground.Tests;

/// <summary>Synthetic alerts for the API tests: Gaussian noise, a point source at the trigger pixel, optional field edge and known source.</summary>
internal static class TestAlerts
{
    public const int Side = 56;

    public static (float[] Snr, byte[] Mask) Make(int seed, double peak = 9.0, bool edge = false, bool knownSource = false)
    {
        var rng = new Random(seed);
        var snr = new float[Side * Side];
        var mask = new byte[Side * Side];
        for (int r = 0; r < Side; r++)
        {
            for (int c = 0; c < Side; c++)
            {
                int i = (r * Side) + c;
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                double d2 = ((r - 28) * (r - 28)) + ((c - 28) * (c - 28));
                snr[i] = (float)(g + (peak * Math.Exp(-d2 / 3.0)));
                mask[i] = 1;
                if (edge && c < 10)
                {
                    mask[i] = 0;
                    snr[i] = float.NaN;
                }

                if (knownSource && Math.Abs(r - 12) <= 1 && Math.Abs(c - 40) <= 1)
                {
                    mask[i] = 2;
                    snr[i] += 6;
                }
            }
        }

        mask[(28 * Side) + 28] = 3;
        return (snr, mask);
    }

    /// <summary>The JSON alert of POST /api/alerts (NaN as null).</summary>
    public static Dictionary<string, object?> Json(float[] snr, byte[] mask, DateTimeOffset? time = null, string? burst = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["snr"] = snr.Select(v => float.IsFinite(v) ? (object?)v : null).ToArray(),
            ["mask"] = mask.Select(m => (int)m).ToArray(),
            ["trigger_type"] = "IMT",
            ["peak_snr"] = snr[(28 * Side) + 28],
        };
        if (time is not null)
        {
            body["trigger_time"] = time.Value.ToString("O", CultureInfo.InvariantCulture);
        }

        if (burst is not null)
        {
            body["burst_id"] = burst;
        }

        return body;
    }
}
