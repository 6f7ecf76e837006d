using System;
using System.Buffers.Binary;
using Eclairs.Onboard.Inference;

namespace Eclairs.Fuzz;

/// <summary>
/// The fuzz target: bytes go to the model loader as the native library gives them (`AlertClassifier.Load`: the header's
/// number format picks Model or Int8Model). The only acceptable failure is a ModelFormatException with a defined
/// error code; any other exception escapes, and SharpFuzz reports it to AFL++ as a crash. A model that loads must
/// verify and classify a fixed alert without throwing.
/// </summary>
internal static class LoaderHarness
{
    /// <summary>Largest input sub-image the harness classifies (bigger accepted models are only loaded and verified).</summary>
    private const int MaxClassifiedPixels = 64 * 64;
    private const long MaxClassifiedMacs = 20_000_000;

    public static void Run(ReadOnlySpan<byte> input)
    {
        Load(input);
        // Random mutations almost never keep the CRC-32 right, and the CRC is checked before any structure: load a
        // second copy with the length field and the CRC repaired, so the structural validation is fuzzed too.
        if (input.Length >= 68)
        {
            byte[] repaired = input.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(repaired.AsSpan(8), (uint)repaired.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(repaired.AsSpan(repaired.Length - 4), Crc32.Compute(repaired.AsSpan(0, repaired.Length - 4)));
            Load(repaired);
        }
    }

    private static void Load(ReadOnlySpan<byte> file)
    {
        AlertClassifier classifier;
        try
        {
            classifier = AlertClassifier.Load(file);
        }
        catch (ModelFormatException e) when (Enum.IsDefined(e.Error))
        {
            return; // A clean refusal: what every malformed file must get.
        }
        Require(classifier.Verify(), $"a freshly loaded {classifier.NumberFormat} model does not verify");
        if (Small(classifier.Network))
        {
            (float[] snr, byte[] mask) = Alert(classifier.Network);
            classifier.CreateContext().TryClassify(snr, mask, out AlertClassification _);
        }
    }

    private static bool Small(NetworkDescription network) =>
        (long)network.InputHeight * network.InputWidth <= MaxClassifiedPixels && network.Macs <= MaxClassifiedMacs;

    /// <summary>A fixed alert: a bump at the centre, NaN in a mask-0 corner (ignored by contract).</summary>
    private static (float[] Snr, byte[] Mask) Alert(NetworkDescription network)
    {
        int h = network.InputHeight, w = network.InputWidth;
        var snr = new float[h * w];
        var mask = new byte[h * w];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w) + x;
                float dy = y - (h / 2), dx = x - (w / 2);
                snr[i] = (6f * MathF.Exp(-((dx * dx) + (dy * dy)) / 8f)) + ((i * 37 % 11) / 10f) - 0.5f;
                mask[i] = (byte)(i % 17 == 0 ? 2 : 1);
            }
        }
        snr[0] = float.NaN;
        mask[0] = 0;
        mask[((h / 2) * w) + (w / 2)] = 3;
        return (snr, mask);
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }
}
