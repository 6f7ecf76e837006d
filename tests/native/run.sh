#!/usr/bin/env bash
# Native tests for one target: builds the NativeAOT library, compiles the C ABI test, the minimal
# integration example and the HIL harness against the header, and runs them (arm64 under qemu-aarch64).
#   tests/native/run.sh linux-x64 | linux-arm64
# Needs gcc (x64), or gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, clang-14 and qemu-user (arm64):
# .ci/run installs them. Prints "N passed, M failed" per program; exits non-zero on any failure.
set -euo pipefail
rid="${1:?usage: tests/native/run.sh linux-x64|linux-arm64}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
lib="$root/artifacts/native/$rid"
work="$root/artifacts/native-tests/$rid"
rm -rf "$work"; mkdir -p "$work"

case "$rid" in
  linux-x64) cc=(gcc); run=() ;;
  linux-arm64)
    cc=(aarch64-linux-gnu-gcc)
    if [ "$(uname -m)" = "aarch64" ]; then run=(); else run=(qemu-aarch64 -L /usr/aarch64-linux-gnu); fi ;;
  *) echo "native tests: unsupported runtime identifier '$rid'" >&2; exit 2 ;;
esac

"$root/tools/build-native.sh" "$rid"

# Fixtures: a model with random weights of the compact architecture (its figures are known) and float vectors.
cli=(dotnet run -c Release --project "$root/tools/Eclairs.Cli" --)
"${cli[@]}" make-test-model --arch compact-v1 --seed 11 --out "$work/compact.eclw" >/dev/null
params="$("${cli[@]}" describe --arch compact-v1 --parameters-only)"

cflags=(-std=c99 -O2 -Wall -Wextra -pedantic -Werror -I"$lib/include")
ldflags=(-L"$lib" -leclairs_onboard -Wl,-rpath,"$lib" -lm)
"${cli[@]}" vectors --model "$work/compact.eclw" --count 64 --seed 5 --out "$work/compact.eclv" >/dev/null
# An int8 model (compact architecture, random weights, committed with the int8 golden vectors): its vectors come
# from the scalar reference and must be reproduced bit for bit by whatever kernels this target runs.
int8="$root/tests/Eclairs.Onboard.Inference.Tests/Quantized/Golden/compact-random.int8.eclw"
"${cli[@]}" vectors --model "$int8" --count 64 --seed 5 --out "$work/compact-int8.eclv" >/dev/null
"${cli[@]}" counts --images 6 --seed 3 --out "$work/counts.bin" >/dev/null
# The PyTorch residual network (Add, Branch, stride-2 and 1x1 convolutions, average pool) imported and quantized
# here: its int8 vectors come from the scalar reference and must be reproduced bit for bit through ecl_classify.
torch="$root/tests/Eclairs.Onnx.Tests/Fixtures/torch"
"${cli[@]}" dataset --preset seed --scale 0.02 --seed 2 --threads 1 --out "$work/calibration.npz" >/dev/null
"${cli[@]}" import --from "$torch/residual.onnx" --out "$work/residual.eclw" >/dev/null
"${cli[@]}" quantize --model "$work/residual.eclw" --calibration "$work/calibration.npz" --refine 100 --out "$work/residual.int8.eclw" >/dev/null
"${cli[@]}" vectors --model "$work/residual.int8.eclw" --count 64 --seed 5 --out "$work/residual-int8.eclv" >/dev/null
for program in tests/native/abi_test.c tests/native/kernel_info.c tools/hil/hil.c tools/hil/minimal_example.c; do
  name="$(basename "$program" .c)"
  "${cc[@]}" "${cflags[@]}" "$root/$program" -o "$work/$name" "${ldflags[@]}"
  # The header is C99 and C11 clean with both compilers (only the x64 objects are kept).
  if [ "$rid" = linux-x64 ]; then
    for std in c99 c11; do
      for compiler in gcc clang-14; do
        command -v "$compiler" >/dev/null && "$compiler" "-std=$std" -Wall -Wextra -pedantic -Werror -I"$lib/include" -c "$root/$program" -o /dev/null
      done
    done
  fi
done

cd "$work"
"${run[@]}" ./abi_test "$work/compact.eclw" "$params"
"${run[@]}" ./minimal_example "$work/compact.eclw"
"${run[@]}" ./kernel_info "$root/weights/eclairs-cnn-v1.int8.eclw"
# A longer run on x64 (64 x 50 calls): the harness also fails if the runtime collects garbage meanwhile.
if [ "$rid" = linux-x64 ]; then repeat=50; else repeat=1; fi
"${run[@]}" ./hil vectors "$work/compact.eclw" "$work/compact.eclv" 1e-4 "$repeat"
"${run[@]}" ./hil vectors "$int8" "$work/compact-int8.eclv"
"${run[@]}" ./hil vectors "$work/residual.int8.eclw" "$work/residual-int8.eclv"
# Golden vectors of the shipped models on 64 alerts of an independent simulated test set (weights/MODEL_CARD.md),
# recorded from the managed scalar reference: int8 bit for bit, float within 1e-4. A retrained model must come
# with new vectors (the harness refuses vectors whose model CRC differs).
for v in "$root"/tests/native/vectors/*.eclv; do
  "${run[@]}" ./hil vectors "$root/weights/$(basename "$v" .eclv).eclw" "$v"
  # The same vectors on the memory-lean plans of ecl_model_load_with_options (direct convolutions only, F(2x2) at most).
  for plan in off f2; do "${run[@]}" ./hil vectors "$root/weights/$(basename "$v" .eclv).eclw" "$v" 1e-4 1 "$plan"; done
done
if [ "$rid" = linux-arm64 ] && [ "${#run[@]}" -gt 0 ]; then
  # qemu's default CPU has DotProd, so the int8 dense layers above ran SDOT (Int8DotDense); replay the int8 vectors
  # on a Cortex-A53 too (ARMv8.0, no DotProd), where the same library takes the widened AdvSimd dense.
  echo "int8 vectors on a CPU without DotProd (qemu -cpu cortex-a53):"
  for m in eclairs-compact-v1.int8 eclairs-cnn-v1.int8; do
    QEMU_CPU=cortex-a53 "${run[@]}" ./hil vectors "$root/weights/$m.eclw" "$root/tests/native/vectors/$m.eclv"
  done
  QEMU_CPU=cortex-a53 "${run[@]}" ./hil vectors "$int8" "$work/compact-int8.eclv"
  QEMU_CPU=cortex-a53 "${run[@]}" ./hil vectors "$work/residual.int8.eclw" "$work/residual-int8.eclv"
fi
python3 "$root/tests/native/stream_test.py" "${run[@]}" ./hil -- "$work/compact.eclw" "$work/compact.eclv"
"${run[@]}" ./hil trigger "$work/compact.eclw" "$work/counts.bin" 20 | tee "$work/trigger.txt"
# Every other image holds a burst bright enough to trigger: at least one alert must be raised and classified.
grep -q "alerts raised" "$work/trigger.txt" && ! grep -q " 0 alerts raised" "$work/trigger.txt" \
  && echo "trigger: 1 passed, 0 failed" || { echo "trigger: 0 passed, 1 failed"; exit 1; }

# Robustness (docs/robustness.md): single-bit flips of the parameters in memory must all fail ecl_model_verify;
# one shared model classifying on several threads must give the single-threaded answers bit for bit, with no
# allocation and no collection; a short soak keeps memory flat. Longer runs: tests/native/robustness-long.sh.
for program in tests/native/fault_injection.c tests/native/concurrency_test.c; do
  "${cc[@]}" "${cflags[@]}" -D_POSIX_C_SOURCE=200809L "$root/$program" -o "$work/$(basename "$program" .c)" "${ldflags[@]}" -lpthread
done
vec="$root/tests/native/vectors"
if [ "$rid" = linux-x64 ]; then
  # Every bit of the compact models' arenas (about 2.4 M and 0.9 M flips on x86-64-v3), a seeded sample of the deck's.
  ./fault_injection "$root/weights/eclairs-compact-v1.f32.eclw" all
  ./fault_injection "$root/weights/eclairs-compact-v1.int8.eclw" all
  ./fault_injection "$root/weights/eclairs-cnn-v1.f32.eclw" 20000 1
  ./fault_injection "$root/weights/eclairs-cnn-v1.int8.eclw" 20000 2
  ./concurrency_test "$root/weights/eclairs-compact-v1.f32.eclw" "$vec/eclairs-compact-v1.f32.eclv" threads 4 10000
  ./concurrency_test "$root/weights/eclairs-compact-v1.int8.eclw" "$vec/eclairs-compact-v1.int8.eclv" threads 4 200
  ./concurrency_test "$root/weights/eclairs-compact-v1.f32.eclw" - soak 10000
  # Every compiled variant this CPU runs, through the loader (ECLAIRS_ONBOARD_FLAVOUR forces one; docs/native-paths.md):
  # the scalar-recorded golden vectors bit for bit (int8) and within 1e-4 (float), the planned kernels reported by
  # ecl_model_get_kernel_info, and the int8 threaded run. The default (no variable) must pick the widest variant.
  best=x86-64
  grep -qw avx2 /proc/cpuinfo && best=x86-64-v3
  grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo && best=x86-64-v4
  ./kernel_info "$root/weights/eclairs-cnn-v1.int8.eclw" "$best"
  for flavour in x86-64 x86-64-v3 x86-64-v4; do
    case "$flavour" in
      x86-64) runs=1; path=1 ;;
      x86-64-v3) runs=$([ "$best" != x86-64 ] && echo 1 || echo 0); path=3 ;;
      x86-64-v4) runs=$([ "$best" = x86-64-v4 ] && echo 1 || echo 0); path=4 ;;
    esac
    if [ "$runs" = 0 ]; then echo "variant $flavour: skipped, this CPU does not run it"; continue; fi
    echo "variant $flavour:"
    export ECLAIRS_ONBOARD_FLAVOUR="$flavour"
    ./kernel_info "$root/weights/eclairs-cnn-v1.int8.eclw" "$flavour" "$path"
    for v in "$vec"/*.eclv; do ./hil vectors "$root/weights/$(basename "$v" .eclv).eclw" "$v"; done
    ./hil vectors "$int8" "$work/compact-int8.eclv"
    [ "$flavour" = x86-64 ] || ./concurrency_test "$root/weights/eclairs-compact-v1.int8.eclw" "$vec/eclairs-compact-v1.int8.eclv" threads 4 2000
    unset ECLAIRS_ONBOARD_FLAVOUR
  done
else
  # Under emulation: a sample (it runs the arm64 CRC-32C instructions) and a short threaded run.
  "${run[@]}" ./fault_injection "$root/weights/eclairs-compact-v1.f32.eclw" 2000 3
  "${run[@]}" ./fault_injection "$root/weights/eclairs-compact-v1.int8.eclw" 2000 4
  "${run[@]}" ./concurrency_test "$root/weights/eclairs-compact-v1.f32.eclw" "$vec/eclairs-compact-v1.f32.eclv" threads 2 200
fi
