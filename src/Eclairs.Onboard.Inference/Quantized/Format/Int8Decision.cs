using System;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// The int8 decision rule a file must carry: true alert when the raw int8 logit is &gt;= an integer threshold derived
/// from the header's probability threshold and the logit's scale and zero point. The loader checks it (a stale
/// threshold is refused), the quantizer writes it.
/// </summary>
public static class Int8Decision
{
    /// <summary>Raw-logit threshold T with raw &gt;= T exactly when scale · (raw - zp) &gt;= logit(threshold).</summary>
    public static int IntegerThreshold(float probability, float scale, int zeroPoint)
    {
        if (probability <= 0f)
        {
            return sbyte.MinValue;
        }
        if (probability >= 1f)
        {
            return sbyte.MaxValue + 1;
        }
        double logit = Math.Log(probability / (1.0 - probability));
        double t = Math.Ceiling(zeroPoint + (logit / scale) - 1e-9);
        return (int)Math.Clamp(t, sbyte.MinValue, sbyte.MaxValue + 1);
    }
}
