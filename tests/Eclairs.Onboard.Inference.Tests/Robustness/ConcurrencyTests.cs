using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onboard.Inference.Tests.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Robustness;

/// <summary>
/// Determinism under concurrency: one shared model, a context per thread, all threads classifying at once (released
/// together by a barrier), 100,000 classifications in total; every output must equal, bit for bit, what a single
/// context on one thread computed first. For int8 the reference pass runs the scalar reference kernels and the
/// threads the widest SIMD path this CPU has, so the test also holds scalar and SIMD to bit identity.
/// </summary>
public class ConcurrencyTests
{
    private const int Threads = 4;
    private const int TotalCalls = 100_000;
    private const int Inputs = 64;

    [Fact]
    public void Float_model_shared_by_four_threads_gives_the_single_threaded_answers_bit_for_bit()
    {
        NetworkDescription network = Tiny();
        Model model = Model.FromDocument(TestModels.RandomDocument(network, 21, out _));
        var inputs = Enumerable.Range(0, Inputs).Select(i => TestModels.RandomInput(network.InputHeight, network.InputWidth, 500 + i)).ToArray();
        InferenceContext single = model.CreateContext();
        (int, int, int)[] expected = inputs.Select(x => Bits(single.Classify(x.Snr, x.Mask))).ToArray();
        Assert.True(expected.Distinct().Count() > Inputs / 2, "inputs must give different answers for the comparison to mean something");

        InferenceContext[] contexts = Enumerable.Range(0, Threads).Select(_ => model.CreateContext()).ToArray();
        int mismatches = RunConcurrently(t =>
        {
            int bad = 0;
            for (int k = 0; k < TotalCalls / Threads; k++)
            {
                int i = (k * 7 + t * 13) % Inputs;
                bad += Bits(contexts[t].Classify(inputs[i].Snr, inputs[i].Mask)) == expected[i] ? 0 : 1;
            }
            return bad;
        });
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Int8_model_on_simd_and_four_threads_gives_the_scalar_single_threaded_answers_bit_for_bit()
    {
        NetworkDescription network = Tiny();
        ModelDocument document = Int8TestModels.Quantized(network, 31).Int8;
        Int8Model scalar = Int8Model.FromDocument(document, KernelPath.Scalar);
        Int8Model fastest = Int8Model.FromDocument(document, KernelPath.Auto);
        var inputs = Enumerable.Range(0, Inputs).Select(i => TestModels.RandomInput(network.InputHeight, network.InputWidth, 900 + i)).ToArray();
        Int8Context single = scalar.CreateContext();
        (int, int, int)[] expected = inputs.Select(x => Bits(single.Classify(x.Snr, x.Mask))).ToArray();
        Assert.True(expected.Distinct().Count() > 8, "inputs must give different answers for the comparison to mean something");

        Int8Context[] contexts = Enumerable.Range(0, Threads).Select(_ => fastest.CreateContext()).ToArray();
        int mismatches = RunConcurrently(t =>
        {
            int bad = 0;
            for (int k = 0; k < TotalCalls / Threads; k++)
            {
                int i = (k * 7 + t * 13) % Inputs;
                bad += Bits(contexts[t].Classify(inputs[i].Snr, inputs[i].Mask)) == expected[i] ? 0 : 1;
            }
            return bad;
        });
        Assert.Equal(0, mismatches);
    }

    /// <summary>
    /// Small enough for 1e5 calls in a few seconds (46k MACs), yet it runs a Winograd convolution (cin 8, even output),
    /// a direct one, pooling and a dense layer.
    /// </summary>
    internal static NetworkDescription Tiny() => new(
    [
        new InputLayer(8, 8),
        new ConcatenateLayer(),
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new FlattenLayer(),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>Starts every thread, releases them together, returns the sum of what they return.</summary>
    private static int RunConcurrently(Func<int, int> work)
    {
        using var start = new Barrier(Threads);
        var results = new int[Threads];
        var errors = new List<Exception>();
        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                results[t] = work(t);
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        Assert.Empty(errors);
        return results.Sum();
    }

    /// <summary>Every output bit: the floats as their bit patterns (so -0 differs from 0 and NaN is compared exactly).</summary>
    private static (int, int, int) Bits(ClassificationResult r) =>
        (BitConverter.SingleToInt32Bits(r.Probability), BitConverter.SingleToInt32Bits(r.Logit), r.IsTrueAlert ? 1 : 0);

    private static (int, int, int) Bits(Int8ClassificationResult r) =>
        (BitConverter.SingleToInt32Bits(r.Probability), r.RawLogit, (BitConverter.SingleToInt32Bits(r.Logit) * 2) + (r.IsTrueAlert ? 1 : 0));
}
