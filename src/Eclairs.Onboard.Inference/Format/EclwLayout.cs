namespace Eclairs.Onboard.Inference;

/// <summary>Byte layout of <c>.eclw</c> v1 (docs/weights-format.md is the specification).</summary>
internal static class EclwLayout
{
    public const uint Magic = 0x574C4345; // "ECLW" read little-endian
    public const uint Version = 1;
    public const int HeaderBytes = 64;
    public const int LayerRecordBytes = 20;
    public const int TensorRecordBytes = 40;
    public const int ChecksumBytes = 4;
    public const int Alignment = 64;
    public const int MaxTensorRank = 4;
    public const int MinFileBytes = HeaderBytes + ChecksumBytes;
    /// <summary>Float models need 2 per layer; int8 models up to 7 per layer (docs/weights-format.md).</summary>
    public const int MaxTensors = 7 * 64;

    // Header field offsets.
    public const int OffMagic = 0;
    public const int OffVersion = 4;
    public const int OffFileLength = 8;
    public const int OffNumberFormat = 12;
    public const int OffFlags = 16;
    public const int OffThreshold = 20;
    public const int OffScale = 24;
    public const int OffOffset = 28;
    public const int OffLayerCount = 32;
    public const int OffTensorCount = 36;
    public const int OffNameLength = 40;
    public const int OffProvenanceLength = 44;
    public const int OffDataOffset = 48;
    public const int OffDataLength = 52;
    public const int OffReserved = 56;

    public static int AlignUp(int value) => (value + Alignment - 1) & ~(Alignment - 1);
    public static long AlignUp(long value) => (value + Alignment - 1) & ~(long)(Alignment - 1);

    public static int ElementSize(ElementType type) => type switch
    {
        ElementType.Float32 => 4,
        ElementType.Int8 => 1,
        ElementType.Int32 => 4,
        _ => 0,
    };
}
