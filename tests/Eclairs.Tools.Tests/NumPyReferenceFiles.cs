using System;

namespace Eclairs.Tools.Tests;

/// <summary>
/// Small files written by real NumPy 1.24.2 (Debian bookworm), base64-encoded, so the readers are checked against
/// NumPy's own output and not only against our writer. Produced by:
/// <code>
/// np.savez_compressed(b, a=np.arange(6, dtype='&lt;f4').reshape(2, 3) * 0.5, b=np.array([1, 2, 255], dtype='u1'),
///                     c=np.array([-1, 2**40], dtype='&lt;i8'), d=np.array([1.5, -2.25], dtype='&gt;f8'))
/// np.save(b, np.array([[1, 65535]], dtype='&lt;u2'))
/// </code>
/// </summary>
internal static class NumPyReferenceFiles
{
    public static byte[] SavezCompressed => Convert.FromBase64String(
        "UEsDBBQAAAAIAAAAIQALwLB2VwAAAJgAAAAFABQAYS5ucHkBABAAmAAAAAAAAABXAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CsaaOgq1CmQDLgYIsGdgaADiA0DM4MDAoOAAAFBLAwQUAAAACAAAACEAHV2FBUcAAACDAAAABQAUAGIubnB5AQAQAIMAAAAAAAAARwAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBeU2qorqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RrGOpo6CrUKFAAuRqb/AFBLAwQUAAAACAAAACEA7Y39k0wAAACQAAAABQAUAGMubnB5AQAQAJAAAAAAAAAATAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6CrUKFACu/1DAAAKMDAwAUEsDBBQAAAAIAAAAIQB+EgqITQAAAJAAAAAFABQAZC5ucHkBABAAkAAAAAAAAABNAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6XZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6mjoKtQoUAC77HwxgcIAJQgMAUEsBAhQDFAAAAAgAAAAhAAvAsHZXAAAAmAAAAAUAAAAAAAAAAAAAAIABAAAAAGEubnB5UEsBAhQDFAAAAAgAAAAhAB1dhQVHAAAAgwAAAAUAAAAAAAAAAAAAAIABjgAAAGIubnB5UEsBAhQDFAAAAAgAAAAhAO2N/ZNMAAAAkAAAAAUAAAAAAAAAAAAAAIABDAEAAGMubnB5UEsBAhQDFAAAAAgAAAAhAH4SCohNAAAAkAAAAAUAAAAAAAAAAAAAAIABjwEAAGQubnB5UEsFBgAAAAAEAAQAzAAAABMCAAAAAA==");

    public static byte[] SaveUInt16 => Convert.FromBase64String(
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPHUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAP//");
}
