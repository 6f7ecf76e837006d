#!/usr/bin/env python3
"""Checks the HIL harness's stream mode against its documented framing (docs/integration.md).

usage: stream_test.py <runner...> -- <model.eclw> <vectors.eclv>
Builds request frames from the recorded vectors (plus one frame with a corrupted CRC), pipes them through
`<runner> stream <model>`, and checks every result frame: marker, sequence, CRC, status, logit, decision.
Prints "stream: N passed, M failed".
"""
import struct
import subprocess
import sys
import zlib

PIXELS = 3136


def main() -> int:
    split = sys.argv.index("--")
    runner, (model, vectors_path) = sys.argv[1:split], sys.argv[split + 1:]
    data = open(vectors_path, "rb").read()
    magic, version, count, fmt, _crc = struct.unpack_from("<4sIIII", data, 0)
    assert magic == b"ECLV" and version == 1
    record = 5 * PIXELS + 12
    requests, expected = [], []
    for i in range(count):
        rec = data[20 + i * record: 20 + (i + 1) * record]
        body = b"ECLQ" + struct.pack("<I", 1000 + i) + rec[: 5 * PIXELS]
        requests.append(body + struct.pack("<I", zlib.crc32(body)))
        expected.append(struct.unpack_from("<fii", rec, 5 * PIXELS))
    bad = bytearray(requests[0])
    bad[-1] ^= 0xFF  # corrupted CRC: must be refused, not classified
    requests.append(bytes(bad))

    out = subprocess.run(runner + ["stream", model], input=b"".join(requests), capture_output=True, check=True).stdout
    passed = failed = 0

    def check(ok: bool, what: str) -> None:
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL", what, file=sys.stderr)

    check(len(out) == 36 * len(requests), f"{len(out)} result bytes for {len(requests)} frames")
    for i in range(min(len(requests), len(out) // 36)):
        frame = out[36 * i: 36 * (i + 1)]
        marker, seq, status, prob, logit, raw, decision, _us, crc = struct.unpack("<4sIiffiiII", frame)
        check(marker == b"ECLR" and crc == zlib.crc32(frame[:-4]), f"frame {i}: marker or CRC")
        if i < count:
            want_logit, want_raw, want_decision = expected[i]
            close = abs(logit - want_logit) <= 1e-4 * max(1.0, abs(want_logit)) if fmt == 0 else raw == want_raw
            check(seq == 1000 + i and status == 0 and close and decision == want_decision and 0 <= prob <= 1,
                  f"frame {i}: seq {seq} status {status} logit {logit} (want {want_logit}) decision {decision}")
        else:
            check(seq == 1000 and status == -9, f"corrupted frame answered with status {status}")
    print(f"stream: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
