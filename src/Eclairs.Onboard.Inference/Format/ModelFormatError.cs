namespace Eclairs.Onboard.Inference;

/// <summary>
/// What is wrong with a model file or document. ICD mapping: <see cref="ChecksumMismatch"/> is ECL_E_MODEL_CHECKSUM;
/// <see cref="UnsupportedNumberFormat"/>, <see cref="UnknownLayer"/>, <see cref="UnsupportedElementType"/> and
/// <see cref="NotAClassifier"/> are ECL_E_MODEL_UNSUPPORTED; every other code is ECL_E_MODEL_FORMAT.
/// </summary>
public enum ModelFormatError
{
    /// <summary>No error (the default of a plain exception).</summary>
    None = 0,
    /// <summary>The buffer ends before a field or section the file needs.</summary>
    Truncated,
    /// <summary>The first four bytes are not "ECLW".</summary>
    BadMagic,
    /// <summary>A format version this build does not read.</summary>
    UnsupportedVersion,
    /// <summary>A number format this build does not run.</summary>
    UnsupportedNumberFormat,
    /// <summary>A header field out of range: reserved bits set, threshold or normalisation not usable, bad section bounds.</summary>
    InvalidHeader,
    /// <summary>Name or provenance is too long or not valid UTF-8.</summary>
    BadString,
    /// <summary>A layer kind code this build does not know.</summary>
    UnknownLayer,
    /// <summary>A layer argument out of range (kernel size, unit count, padding code, dropout rate, reserved argument).</summary>
    InvalidLayerParameter,
    /// <summary>Layers do not fit together (wrong order, a shape that a layer cannot take) or a tensor's shape is not the one its layer needs.</summary>
    ShapeMismatch,
    /// <summary>A layer's weights or bias are absent.</summary>
    MissingTensor,
    /// <summary>A tensor given twice, or given for a layer that takes none.</summary>
    UnexpectedTensor,
    /// <summary>A tensor's byte length or location does not match its shape and element type, or lies outside the data block.</summary>
    TensorSize,
    /// <summary>An element type the number format does not allow.</summary>
    UnsupportedElementType,
    /// <summary>NaN or infinity among the parameters.</summary>
    NonFiniteWeight,
    /// <summary>The stored CRC-32 is not the CRC-32 of the bytes before it.</summary>
    ChecksumMismatch,
    /// <summary>The buffer is longer than the length the header declares.</summary>
    TrailingData,
    /// <summary>
    /// int8 models: a quantization parameter out of range (weight -128, multiplier not 0 or in [2^30, 2^31), shift
    /// outside [-31, 30], zero point outside [-128, 127], scale not finite and positive, input steps or threshold out of range).
    /// </summary>
    InvalidQuantization,
    /// <summary>
    /// Well-formed, but the network does not end with a Sigmoid on one logit, so it cannot classify (an int8 model
    /// must; a float one may be loaded as a prefix to evaluate, not to classify).
    /// </summary>
    NotAClassifier,
}
