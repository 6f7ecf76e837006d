using System.Diagnostics.CodeAnalysis;

namespace Eclairs.Onboard.Inference;

/// <summary>Arithmetic a model runs in (ICD numeric_format).</summary>
[SuppressMessage("Naming", "CA1720", Justification = "The ICD names number formats after their element types.")]
public enum NumberFormat
{
    /// <summary>float32 weights and activations.</summary>
    Float32 = 0,
    /// <summary>int8 weights and activations, TFLM scheme (run by Quantized.Int8Model).</summary>
    Int8 = 1,
}

/// <summary>Element type of one stored tensor.</summary>
[SuppressMessage("Naming", "CA1720", Justification = "Element types are named after the stored types.")]
public enum ElementType
{
    /// <summary>IEEE-754 binary32, little-endian.</summary>
    Float32 = 0,
    /// <summary>Signed byte (int8 models: weights).</summary>
    Int8 = 1,
    /// <summary>Signed 32-bit little-endian (int8 models: biases, multipliers, shifts, zero points).</summary>
    Int32 = 2,
}
