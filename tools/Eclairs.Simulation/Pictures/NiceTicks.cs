using System;
using System.Collections.Generic;
using System.Globalization;

namespace Eclairs.Simulation.Pictures;

/// <summary>Axis ticks at 1, 2 or 5 times a power of ten, and their labels with just enough decimals.</summary>
public static class NiceTicks
{
    /// <summary>The tick step giving at most about <paramref name="maxTicks"/> ticks over [min, max].</summary>
    public static double Step(double min, double max, int maxTicks = 6)
    {
        double span = max - min;
        if (!(span > 0) || !double.IsFinite(span))
        {
            return 1;
        }

        double raw = span / Math.Max(1, maxTicks - 1);
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double m in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (m * power >= raw * (1 - 1e-9))
            {
                return m * power;
            }
        }

        return 10 * power;
    }

    /// <summary>Multiples of the step that lie inside [min, max].</summary>
    public static IReadOnlyList<double> Compute(double min, double max, int maxTicks = 6)
    {
        double step = Step(min, max, maxTicks);
        var ticks = new List<double>();
        double first = Math.Ceiling((min / step) - 1e-9) * step;
        for (int k = 0; ; k++)
        {
            double t = first + (k * step);
            if (t > max + (step * 1e-9) || k > 1000)
            {
                break;
            }

            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        }

        return ticks;
    }

    /// <summary>A label for a tick at this step: "0.25", "10", "0.1".</summary>
    public static string Format(double value, double step)
    {
        int decimals = step >= 1 ? 0 : (int)Math.Ceiling(-Math.Log10(step) - 1e-9);
        if (decimals > 0 && Math.Abs((step * Math.Pow(10, decimals)) - Math.Round(step * Math.Pow(10, decimals))) > 1e-6)
        {
            decimals++;
        }

        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
