using System;
using Eclairs.Training.Data;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Tests;

/// <summary>
/// A separable toy problem: true alerts carry a bright Gaussian blob (peak 6 sigma, width 1.5 pixels) on the
/// trigger pixel, false alerts are pure unit noise. Masks: 1 background, 3 trigger pixel, and a random band of
/// 0 (no data) along one edge in a third of the alerts, with SNR set to NaN there to prove it is ignored.
/// </summary>
internal static class ToyAlerts
{
    public static LabelledAlerts Make(int count, int side, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        int pixels = side * side, c = side / 2;
        var snr = new float[count * pixels];
        var mask = new byte[count * pixels];
        var labels = new byte[count];
        for (int n = 0; n < count; n++)
        {
            bool positive = n % 2 == 0;
            labels[n] = (byte)(positive ? 1 : 0);
            int band = rng.NextInt(3) == 0 ? 1 + rng.NextInt(side / 4) : 0;
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    int p = n * pixels + y * side + x;
                    double value = rng.NextGaussian();
                    if (positive)
                    {
                        double r2 = (y - c) * (y - c) + (x - c) * (x - c);
                        value += 6 * Math.Exp(-r2 / (2 * 1.5 * 1.5));
                    }

                    bool missing = x < band;
                    snr[p] = missing ? float.NaN : (float)value;
                    mask[p] = (byte)(missing ? 0 : y == c && x == c ? 3 : 1);
                }
            }
        }

        return new LabelledAlerts(snr, mask, labels, side, side);
    }

    public static NetworkSpec TinyNetwork(int side) => new("tiny", new TensorShape(side, side, 2),
    [
        new Conv2DSpec(8, 3, Padding.Same, Activation.Relu),
        new MaxPool2DSpec(),
        new Conv2DSpec(8, 3, Padding.Same, Activation.Relu),
        new GlobalAveragePoolSpec(),
        new DenseSpec(8, Activation.Relu),
        new DropoutSpec(0.2),
        new DenseSpec(1, Activation.None),
    ]);
}
