using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Eclairs.Ground.Ingest;

/// <summary>The duplicate key of a file or JSON alert: SHA-256 of its pixels, mask and trigger facts.</summary>
internal static class ContentKey
{
    public static string Of(float[] snr, byte[] mask, string facts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(snr.AsSpan()));
        hash.AppendData(mask);
        hash.AppendData(Encoding.UTF8.GetBytes(facts));
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
