#!/usr/bin/env bash
# libFuzzer over the C ABI (tests/fuzz/abi_fuzz.c): model bytes into ecl_model_load (and, behind load options,
# ecl_model_load_with_options), SNR bit patterns and mask values 0..255 into ecl_classify, against the NativeAOT
# x64 library; the harness is built with clang-14 -fsanitize=fuzzer,address (the managed code inside the library
# is not instrumented: see docs/robustness.md).
#   tests/fuzz/run-abi.sh [seconds=60]
# Needs clang-14 and libclang-rt-14-dev (.ci/run installs them). Prints "N passed, M failed".
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
lib="$root/artifacts/native/linux-x64"
work="$root/artifacts/fuzz-abi"
rm -rf "$work"; mkdir -p "$work/corpus"
[ -f "$lib/libeclairs_onboard.so" ] || "$root/tools/build-native.sh" linux-x64
clang-14 -g -O1 -fsanitize=fuzzer,address -I"$lib/include" "$root/tests/fuzz/abi_fuzz.c" -o "$work/abi_fuzz" \
  -L"$lib" -leclairs_onboard -Wl,-rpath,"$lib"

# Seeds: model files behind a 0 byte (load), alerts behind an odd byte (classify). The loader fuzzer's corpus
# (tests/fuzz/run.sh) is reused when it is there; otherwise the compact int8 model and damaged copies of it.
python3 - "$work/corpus" "$root/weights/eclairs-compact-v1.int8.eclw" "$root"/artifacts/fuzz/corpus/* <<'PY'
import os, random, struct, sys
out, files = sys.argv[1], [f for f in sys.argv[2:] if os.path.isfile(f)]
for f in files:
    data = open(f, 'rb').read()
    name = os.path.basename(f)
    k = min(200, len(data) - 1)
    variants = [('', data), ('.cut', data[:len(data) // 3])] + ([('.flip', data[:k] + bytes([data[k] ^ 1]) + data[k + 1:])] if data else [])
    for tag, body in variants:
        open(os.path.join(out, 'load-' + name + tag), 'wb').write(b'\x00' + body)
# ecl_model_load_with_options: byte 2 (options folded to valid codes) or 6 (raw), 32 option bytes, then the model.
if files:
    model = open(files[0], 'rb').read()
    for w in range(4):
        open(os.path.join(out, 'load-options-%d' % w), 'wb').write(b'\x02' + struct.pack('<8I', 0, w, 0, 0, 0, 0, 0, 0) + model)
    open(os.path.join(out, 'load-options-raw'), 'wb').write(b'\x06' + struct.pack('<8I', 1, 3, 0, 0, 0, 0, 0, 9) + model)
rng = random.Random(1)
for k in range(8):
    snr = b''.join(struct.pack('<f', rng.uniform(-4, 8)) for _ in range(3136))
    mask = bytes(rng.choice((0, 1, 1, 1, 2)) for _ in range(3136))
    open(os.path.join(out, 'classify-%d' % k), 'wb').write(bytes([1 + 2 * k]) + snr + mask)
PY

export ECL_FUZZ_MODELS="$root/weights/eclairs-compact-v1.f32.eclw:$root/weights/eclairs-compact-v1.int8.eclw"
export ASAN_OPTIONS=detect_leaks=0   # the runtime's own heap is not freed at exit by design
cd "$work"
# Regressions first: every input that ever failed the harness, run once each.
regressions=("$root"/tests/fuzz/regressions/abi-*)
if [ -e "${regressions[0]}" ]; then
  if ./abi_fuzz "${regressions[@]}" > regressions.log 2>&1; then
    echo "fuzz abi regressions: ${#regressions[@]} passed, 0 failed"
  else
    tail -20 regressions.log; echo "fuzz abi regressions: 0 passed, ${#regressions[@]} failed"; exit 1
  fi
fi
if ./abi_fuzz -max_total_time="$seconds" -timeout=20 -max_len=60000 -rss_limit_mb=4096 -print_final_stats=1 \
     -artifact_prefix="$work/" corpus > fuzz.log 2>&1; then ok=1; else ok=0; fi
runs="$(grep -oE 'Done [0-9]+ runs' fuzz.log | grep -oE '[0-9]+' || echo 0)"
cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' fuzz.log | tail -1)"
artifacts="$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'oom-*' \) | wc -l)"
echo "fuzz abi: ${seconds} s, $runs runs, $cov, crash/timeout artifacts $artifacts"
if [ "$ok" = 1 ] && [ "$artifacts" = 0 ] && [ "$runs" -gt 0 ]; then
  echo "fuzz abi: 1 passed, 0 failed"
else
  tail -40 fuzz.log
  echo "fuzz abi: 0 passed, 1 failed"
  exit 1
fi
