using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>The .eclw v1 layout (docs/weights-format.md) and every loader error.</summary>
public class FormatTests
{
    private static ModelDocument SmallDocument(out List<float[]> parameters) =>
        TestModels.RandomDocument(TestModels.OddSmall(), 3, out parameters) with
        {
            DecisionThreshold = 0.625f,
            Normalization = new InputNormalization(0.5f, -0.25f),
            Provenance = "data set: none; command: tests — ünïcode",
        };

    private static byte[] SmallFile() => EclwWriter.ToBytes(SmallDocument(out _));

    private static void Reseal(byte[] file) =>
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));

    private static ModelFormatException Rejected(byte[] file) =>
        Assert.Throws<ModelFormatException>(() => Model.Load(file));

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        // Slice-by-8 body and byte tail agree with a bitwise CRC on every length up to 40.
        var data = new byte[40];
        new Random(1).NextBytes(data);
        for (int n = 0; n <= data.Length; n++)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in data.AsSpan(0, n))
            {
                crc ^= b;
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
                }
            }
            Assert.Equal(~crc, Crc32.Compute(data.AsSpan(0, n)));
        }
    }

    [Fact]
    public void Header_fields_sit_where_the_specification_puts_them()
    {
        ModelDocument doc = SmallDocument(out _);
        byte[] f = EclwWriter.ToBytes(doc);
        Assert.Equal("ECLW"u8.ToArray(), f[..4]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(4)));
        Assert.Equal((uint)f.Length, BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(12)));
        Assert.Equal(0.625f, BinaryPrimitives.ReadSingleLittleEndian(f.AsSpan(20)));
        Assert.Equal(9u, BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(32)));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(36)));
        // First layer record: Input 7 x 9.
        Assert.Equal([1u, 7u, 9u, 0u, 0u], Enumerable.Range(0, 5).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(64 + (4 * i)))));
        uint dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(48));
        Assert.Equal(0u, dataOffset % 64);
        // First tensor: conv weights [5,5,2,3] float32 at offset 0 of the data block.
        int t0 = 64 + (9 * 20);
        Assert.Equal([2u, 0u, 0u, 4u, 5u, 5u, 2u, 3u, 0u, 150u * 4], Enumerable.Range(0, 10).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(t0 + (4 * i)))));
        Assert.Equal(doc.Tensors[0].Data.ToArray(), f.AsSpan((int)dataOffset, 600).ToArray());
        Assert.Equal(Crc32.Compute(f.AsSpan(0, f.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(f.Length - 4)));
    }

    [Fact]
    public void Write_read_write_round_trips_every_field_and_byte()
    {
        ModelDocument doc = SmallDocument(out List<float[]> parameters);
        byte[] file = EclwWriter.ToBytes(doc);
        ModelDocument back = EclwReader.Read(file, out uint crc);
        Assert.Equal(doc.Name, back.Name);
        Assert.Equal(doc.Provenance, back.Provenance);
        Assert.Equal(doc.DecisionThreshold, back.DecisionThreshold);
        Assert.Equal(doc.Normalization, back.Normalization);
        Assert.Equal(doc.Network.Layers, back.Network.Layers);
        for (int i = 0; i < parameters.Count; i++)
        {
            Assert.Equal(parameters[i], back.Tensors[i].ToSingles());
            Assert.Equal(doc.Tensors[i].Shape, back.Tensors[i].Shape);
        }
        Assert.Equal(file, EclwWriter.ToBytes(back));
        using var stream = new MemoryStream();
        EclwWriter.Write(doc, stream);
        Assert.Equal(file, stream.ToArray());

        Model model = Model.Load(file);
        Assert.Equal(crc, model.Checksum);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 4)), model.Checksum);
        Assert.Equal(model.Checksum, Model.FromDocument(doc).Checksum);
        Assert.Equal("test-3", model.Name);
        Assert.Equal(0.625f, model.DecisionThreshold);
        Assert.Equal(doc.Network.ParameterCount, model.ParameterCount);
    }

    [Fact]
    public void Deck_network_file_round_trips()
    {
        ModelDocument doc = TestModels.RandomDocument(Architectures.CnnV1(), 9, out _);
        byte[] file = EclwWriter.ToBytes(doc);
        Model model = Model.Load(file);
        Assert.Equal(1_624_993, model.ParameterCount);
        Assert.Equal(11, model.LayerCount);
        Assert.Equal(file, EclwWriter.ToBytes(EclwReader.Read(file)));
    }

    [Fact]
    public void Every_cut_of_the_file_is_truncated()
    {
        byte[] file = SmallFile();
        for (int cut = 0; cut < file.Length; cut++)
        {
            ModelFormatException e = Rejected(file[..cut]);
            Assert.True(e.Error == ModelFormatError.Truncated, $"cut at {cut}: {e.Error} {e.Message}");
        }
    }

    [Fact]
    public void Cut_and_resealed_files_are_refused_without_reading_past_the_buffer()
    {
        // Shorten the file, fix the declared length and the CRC: the structural checks, not the length field, must catch it.
        byte[] file = SmallFile();
        for (int cut = 68; cut < file.Length; cut += 3)
        {
            byte[] bad = new byte[cut];
            file.AsSpan(0, cut - 4).CopyTo(bad);
            BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(8), (uint)cut);
            Reseal(bad);
            Rejected(bad);
        }
    }

    [Fact]
    public void Random_resealed_corruption_never_escapes_as_another_exception()
    {
        byte[] file = SmallFile();
        uint dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(48));
        var random = new Random(7);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] bad = (byte[])file.Clone();
            int at = random.Next((int)dataOffset);
            bad[at] = (byte)random.Next(256);
            Reseal(bad);
            try
            {
                Model.Load(bad);
            }
            catch (ModelFormatException)
            {
            }
        }
    }

    [Fact]
    public void Bad_magic()
    {
        byte[] file = SmallFile();
        file[0] = (byte)'X';
        ModelFormatException e = Rejected(file);
        Assert.Equal(ModelFormatError.BadMagic, e.Error);
        Assert.Contains("ECLW", e.Message);
    }

    [Fact]
    public void Unknown_version()
    {
        byte[] file = SmallFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 2);
        ModelFormatException e = Rejected(file);
        Assert.Equal(ModelFormatError.UnsupportedVersion, e.Error);
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void Int8_number_format_is_checked_and_refused_by_the_float_engine()
    {
        // A float file relabelled int8 is a malformed int8 file (float32 tensors where int8 ones belong) ...
        byte[] file = SmallFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), 1);
        Reseal(file);
        Assert.Equal(ModelFormatError.UnsupportedElementType, Rejected(file).Error);
        // ... and a well-formed int8 model is not run by the float engine (Quantized.Int8Model runs it).
        Assert.Equal(ModelFormatError.UnsupportedNumberFormat, Assert.Throws<ModelFormatException>(
            () => Model.Load(System.IO.File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "Quantized/Golden/compact-random.int8.eclw")))).Error);
    }

    [Fact]
    public void Unknown_layer_kind()
    {
        byte[] file = SmallFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(64 + (4 * 20)), 77); // layer 4 (MaxPool2D) becomes kind 77
        Reseal(file);
        ModelFormatException e = Rejected(file);
        Assert.Equal(ModelFormatError.UnknownLayer, e.Error);
        Assert.Contains("layer 4", e.Message);
        Assert.Contains("77", e.Message);
    }

    [Fact]
    public void Inconsistent_layers_are_a_shape_mismatch()
    {
        byte[] file = SmallFile();
        // Layer 3, a 3x3 'same' convolution on the 3x5 output of layer 2, becomes a 5x5 'valid' one: too big for its input.
        int layer3 = 64 + (3 * 20);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(layer3 + 8), 5);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(layer3 + 12), 0);
        Reseal(file);
        ModelFormatException e = Rejected(file);
        Assert.Equal(ModelFormatError.ShapeMismatch, e.Error);
        Assert.Contains("layer 3", e.Message);
    }

    [Fact]
    public void Tensor_of_the_wrong_shape_names_layer_expected_and_found()
    {
        ModelDocument doc = SmallDocument(out List<float[]> p);
        var tensors = doc.Tensors.ToArray();
        tensors[0] = TensorEntry.FromSingles(2, TensorRole.Weights, [5, 5, 3, 2], p[0]);
        ModelFormatException e = Rejected(EclwWriter.ToBytes(doc with { Tensors = tensors }));
        Assert.Equal(ModelFormatError.ShapeMismatch, e.Error);
        Assert.Contains("layer 2", e.Message);
        Assert.Contains("expected shape [5, 5, 2, 3], found [5, 5, 3, 2]", e.Message);
    }

    [Fact]
    public void Tensor_bytes_that_do_not_match_the_shape()
    {
        ModelDocument doc = SmallDocument(out List<float[]> p);
        var tensors = doc.Tensors.ToArray();
        tensors[1] = TensorEntry.FromSingles(2, TensorRole.Bias, [3], [.. p[1], 0f]);
        ModelFormatException e = Rejected(EclwWriter.ToBytes(doc with { Tensors = tensors }));
        Assert.Equal(ModelFormatError.TensorSize, e.Error);
        Assert.Contains("needs 12 bytes, record says 16", e.Message);
    }

    [Fact]
    public void Tensor_outside_the_data_block()
    {
        byte[] file = SmallFile();
        int t0 = 64 + (9 * 20);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(t0 + 32), 0x7FFFFF00);
        Reseal(file);
        Assert.Equal(ModelFormatError.TensorSize, Rejected(file).Error);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_weight(float value)
    {
        ModelDocument doc = SmallDocument(out List<float[]> p);
        float[] w = (float[])p[4].Clone();
        w[17] = value;
        var tensors = doc.Tensors.ToArray();
        tensors[4] = TensorEntry.FromSingles(6, TensorRole.Weights, [10, 7], w);
        ModelFormatException e = Rejected(EclwWriter.ToBytes(doc with { Tensors = tensors }));
        Assert.Equal(ModelFormatError.NonFiniteWeight, e.Error);
        Assert.Contains("layer 6", e.Message);
        Assert.Contains("element 17", e.Message);
    }

    [Fact]
    public void Checksum_mismatch_on_any_flipped_bit()
    {
        byte[] file = SmallFile();
        var random = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] bad = (byte[])file.Clone();
            int at = 12 + random.Next(file.Length - 12); // past magic, version and length
            bad[at] ^= (byte)(1 << random.Next(8));
            ModelFormatException e = Rejected(bad);
            Assert.Equal(ModelFormatError.ChecksumMismatch, e.Error);
        }
    }

    [Fact]
    public void Trailing_bytes()
    {
        byte[] file = SmallFile();
        Assert.Equal(ModelFormatError.TrailingData, Rejected([.. file, 0]).Error);
    }

    [Fact]
    public void Missing_duplicate_and_unexpected_tensors()
    {
        ModelDocument doc = SmallDocument(out List<float[]> p);
        Assert.Equal(ModelFormatError.MissingTensor,
            Rejected(EclwWriter.ToBytes(doc with { Tensors = doc.Tensors.Skip(1).ToArray() })).Error);
        Assert.Equal(ModelFormatError.UnexpectedTensor,
            Rejected(EclwWriter.ToBytes(doc with { Tensors = [.. doc.Tensors, doc.Tensors[0]] })).Error);
        Assert.Equal(ModelFormatError.UnexpectedTensor,
            Rejected(EclwWriter.ToBytes(doc with { Tensors = [.. doc.Tensors, TensorEntry.FromSingles(4, TensorRole.Bias, [5], new float[5])] })).Error);
    }

    [Fact]
    public void Int8_tensor_in_a_float_model()
    {
        ModelDocument doc = SmallDocument(out _);
        var tensors = doc.Tensors.ToArray();
        tensors[1] = new TensorEntry(2, TensorRole.Bias, ElementType.Int8, [3], new byte[3]);
        Assert.Equal(ModelFormatError.UnsupportedElementType, Rejected(EclwWriter.ToBytes(doc with { Tensors = tensors })).Error);
    }

    [Fact]
    public void Header_values_out_of_range()
    {
        ModelDocument doc = SmallDocument(out _);
        Assert.Equal(ModelFormatError.InvalidHeader, Rejected(EclwWriter.ToBytes(doc with { DecisionThreshold = 1.5f })).Error);
        Assert.Equal(ModelFormatError.InvalidHeader, Rejected(EclwWriter.ToBytes(doc with { Normalization = new InputNormalization(0f, 0f) })).Error);
        Assert.Equal(ModelFormatError.InvalidHeader, Rejected(EclwWriter.ToBytes(doc with { Normalization = new InputNormalization(1f, float.NaN) })).Error);
        byte[] file = EclwWriter.ToBytes(doc);
        file[16] = 1; // flags
        Reseal(file);
        Assert.Equal(ModelFormatError.InvalidHeader, Rejected(file).Error);
    }

    [Fact]
    public void Names_and_provenance()
    {
        ModelDocument doc = SmallDocument(out _);
        Assert.Equal(ModelFormatError.BadString, Rejected(EclwWriter.ToBytes(doc with { Name = new string('n', 64) })).Error);
        byte[] file = EclwWriter.ToBytes(doc with { Name = "abc" });
        int name = 64 + (9 * 20) + (8 * 40);
        Assert.Equal("abc"u8.ToArray(), file[name..(name + 3)]);
        file[name + 1] = 0xFF; // not UTF-8
        Reseal(file);
        Assert.Equal(ModelFormatError.BadString, Rejected(file).Error);
        Assert.Equal(doc.Provenance, EclwReader.Read(EclwWriter.ToBytes(doc)).Provenance);
        Assert.True(Encoding.UTF8.GetByteCount(doc.Provenance) > doc.Provenance.Length);
    }

    [Fact]
    public void Unused_layer_arguments_must_be_zero()
    {
        byte[] file = SmallFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(64 + (5 * 20) + 4), 1); // Flatten with an argument
        Reseal(file);
        ModelFormatException e = Rejected(file);
        Assert.Equal(ModelFormatError.InvalidLayerParameter, e.Error);
        Assert.Contains("layer 5", e.Message);
    }
}
