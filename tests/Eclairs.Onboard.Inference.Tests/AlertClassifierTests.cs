using System;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Eclairs.Onboard.Inference.Tests.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>
/// The one public engine type: any .eclw (float32 or int8) in, the same answers as the engine it holds, the figures of
/// the file, and the refusals a classifier needs.
/// </summary>
public class AlertClassifierTests
{
    [Fact]
    public void A_float_file_classifies_as_the_float_engine_does()
    {
        ModelDocument document = TestModels.RandomDocument(Architectures.CompactV1(), 6, out _);
        byte[] file = EclwWriter.ToBytes(document);
        AlertClassifier classifier = AlertClassifier.Load(file);
        Model model = Model.Load(file);
        Assert.Equal(NumberFormat.Float32, classifier.NumberFormat);
        Assert.NotNull(classifier.FloatModel);
        Assert.Null(classifier.QuantizedModel);
        Assert.Null(classifier.IntegerThreshold);
        Assert.Equal((model.Name, model.Checksum, model.DecisionThreshold, model.KernelPath, model.ModelBytes, model.ContextBytes),
            (classifier.Name, classifier.Checksum, classifier.DecisionThreshold, classifier.KernelPath, classifier.ModelBytes, classifier.ContextBytes));
        Assert.Equal(model.StepAlgorithms(), classifier.StepAlgorithms());
        AlertClassifierContext context = classifier.CreateContext();
        InferenceContext reference = model.CreateContext();
        for (int seed = 0; seed < 5; seed++)
        {
            (float[] snr, byte[] mask) = TestModels.RandomInput(56, 56, seed);
            ClassificationResult expected = reference.Classify(snr, mask);
            Assert.Equal(new AlertClassification(expected.Probability, expected.Logit, 0, expected.IsTrueAlert), context.Classify(snr, mask));
        }
        Assert.True(classifier.Verify());
    }

    [Fact]
    public void An_int8_file_classifies_bit_for_bit_as_the_int8_engine_and_decides_on_the_integer_threshold()
    {
        ModelDocument q = Int8TestModels.Quantized(Architectures.CompactV1(), 9).Int8;
        byte[] file = EclwWriter.ToBytes(q);
        AlertClassifier classifier = AlertClassifier.Load(file, new ModelOptions { KernelPath = KernelPath.Scalar });
        Int8Model model = Int8Model.Load(file, KernelPath.Scalar);
        Assert.Equal(NumberFormat.Int8, classifier.NumberFormat);
        Assert.NotNull(classifier.QuantizedModel);
        Assert.Equal(model.Parameters.DecisionThreshold, classifier.IntegerThreshold);
        Assert.Equal(model.Checksum, classifier.Checksum);
        AlertClassifierContext context = classifier.CreateContext();
        AlertClassifierContext fastest = AlertClassifier.Load(file).CreateContext();
        Int8Context reference = model.CreateContext();
        foreach (CalibrationInput a in Int8TestModels.Alerts(q.Network, 6, 77))
        {
            Int8ClassificationResult r = reference.Classify(a.Snr, a.Mask);
            var expected = new AlertClassification(r.Probability, r.Logit, r.RawLogit, r.IsTrueAlert);
            Assert.Equal(expected, context.Classify(a.Snr, a.Mask));
            Assert.Equal(expected, fastest.Classify(a.Snr, a.Mask));
            Assert.Equal(r.RawLogit >= classifier.IntegerThreshold, context.Classify(a.Snr, a.Mask).IsTrueAlert);
        }
    }

    [Fact]
    public void A_network_without_a_final_sigmoid_is_not_a_classifier_in_either_number_format()
    {
        ModelDocument f = TestModels.RandomDocument(Architectures.CompactV1(), 6, out _);
        ModelDocument prefix = f.Prefix(f.Network.LayerCount - 1);
        Assert.Equal(ModelFormatError.NotAClassifier, Assert.Throws<ModelFormatException>(() => AlertClassifier.Load(EclwWriter.ToBytes(prefix))).Error);
        Assert.Equal(ModelFormatError.NotAClassifier, Assert.Throws<ModelFormatException>(() => AlertClassifier.FromDocument(prefix)).Error);
        Model.FromDocument(prefix); // the float engine still evaluates prefixes

        ModelDocument q = Int8TestModels.Quantized(Architectures.CompactV1(), 9).Int8;
        ModelDocument noSigmoid = q with
        {
            Network = q.Network.Prefix(q.Network.LayerCount - 1),
            Tensors = [.. q.Tensors.Where(t => t.Role != TensorRole.DecisionThreshold)],
        };
        Assert.Equal(ModelFormatError.NotAClassifier, Assert.Throws<ModelFormatException>(() => AlertClassifier.Load(EclwWriter.ToBytes(noSigmoid))).Error);
        Assert.Equal(ModelFormatError.NotAClassifier, Assert.Throws<ModelFormatException>(() => Int8Model.Load(EclwWriter.ToBytes(noSigmoid))).Error);
    }

    [Fact]
    public void A_refused_input_is_a_code_from_TryClassify_and_an_exception_from_Classify()
    {
        AlertClassifierContext context = AlertClassifier.FromDocument(Int8TestModels.Quantized(Architectures.CompactV1(), 9).Int8).CreateContext();
        (float[] snr, byte[] mask) = TestModels.RandomInput(56, 56, 1);
        mask[5] = 7;
        Assert.Equal(InputError.MaskOutOfRange, context.TryClassify(snr, mask, out AlertClassification r));
        Assert.Equal(default, r);
        Assert.Equal(InputError.MaskOutOfRange, Assert.Throws<InputValidationException>(() => context.Classify(snr, mask)).Error);
        Assert.ThrowsAny<IOException>(() => AlertClassifier.LoadFile("/nonexistent/model.eclw"));
    }
}

/// <summary>The public type's hot path allocates nothing, float32 and int8 (run alone, as the other allocation tests).</summary>
[Collection(nameof(AllocationTests))]
public class AlertClassifierAllocationTests
{
    [Fact]
    public void Classify_allocates_nothing_in_either_number_format()
    {
        ModelDocument f = TestModels.RandomDocument(Architectures.CompactV1(), 6, out _);
        ModelDocument q = Int8TestModels.Quantized(Architectures.CompactV1(), 9).Int8;
        (float[] snr, byte[] mask) = TestModels.RandomInput(56, 56, 1);
        foreach (ModelDocument document in new[] { f, q })
        {
            AlertClassifierContext context = AlertClassifier.FromDocument(document).CreateContext();
            for (int i = 0; i < 10; i++)
            {
                context.Classify(snr, mask);
            }
            AllocationTests.SettleHeap();
            long before = GC.GetAllocatedBytesForCurrentThread();
            int trues = 0;
            for (int i = 0; i < 500; i++)
            {
                trues += context.Classify(snr, mask).IsTrueAlert ? 1 : 0;
                trues += context.TryClassify(snr, mask, out AlertClassification r) == InputError.None && r.IsTrueAlert ? 1 : 0;
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(trues is 0 or 1000);
        }
    }
}
