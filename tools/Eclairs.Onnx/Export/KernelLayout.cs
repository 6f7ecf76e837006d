using System;

namespace Eclairs.Onnx;

/// <summary>The engine stores convolution kernels HWIO (Keras' layout); ONNX's Conv takes OIHW.</summary>
internal static class KernelLayout
{
    public static T[] HwioToOihw<T>(ReadOnlySpan<T> hwio, int k, int cin, int cout)
    {
        var oihw = new T[hwio.Length];
        for (int kh = 0; kh < k; kh++)
        {
            for (int kw = 0; kw < k; kw++)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    for (int co = 0; co < cout; co++)
                    {
                        oihw[(((co * cin) + ci) * k + kh) * k + kw] = hwio[((((kh * k) + kw) * cin) + ci) * cout + co];
                    }
                }
            }
        }
        return oihw;
    }
}
