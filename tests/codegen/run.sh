#!/usr/bin/env bash
# The generated C against the golden vectors, bit for bit (docs/leon3.md), with both kernel sets (small, fast):
# 1. host: `eclairs codegen` on each shipped int8 model (from the files in the repository, at test time), compiled
#    with gcc -std=c99 -O2 -Wall -Wextra -pedantic -Werror -fsanitize=undefined (kernels and model also with
#    -mgeneral-regs-only: no floating point), replaying every vector of tests/native/vectors/<model>.eclv, the refused
#    inputs and the extreme inputs; also a random-weight int8 model on synthetic alerts (masked NaN pixels, mask 0..3)
#    and the PyTorch residual network of tests/Eclairs.Onnx.Tests/Fixtures/torch, imported and quantized at test time.
# 2. LEON3: the same code built bare metal with gcc-sparc64-linux-gnu (tools/leon3), run under qemu-system-sparc -M
#    leon3_generic: every vector bit for bit, the extreme inputs' raw logits equal to the host's, the painted stack
#    peak under the bound `eclairs codegen --stack leon3` wrote, and, with the counting plugin (tools/qemu-plugin),
#    the same instruction count for every input and the goals: compact-v1 fast <= 15 M, deck fast <= 35 M
#    instructions per inference, compact-v1 small text + rodata + bss <= 64 KiB.
# 3. Cortex-M4 (tools/cortex-m4/run.sh): the same on qemu-system-arm -M mps2-an386.
# Each target stage is skipped with a message when its toolchain is absent (.ci/run installs them).
# Prints "N passed, M failed" per program; exits non-zero on any failure. CODEGEN_ONLY=<model name> runs one model.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/artifacts/codegen-tests"
rm -rf "$work"; mkdir -p "$work"
status=0

dotnet build "$root/tools/Eclairs.Cli/Eclairs.Cli.csproj" -c Release -v q -nologo >/dev/null || { echo "codegen: CLI build failed"; echo "0 passed, 1 failed"; exit 1; }
cli=(dotnet "$root/tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll")

# name, model, vectors (made by `eclairs vectors` from the managed scalar reference)
models=(
  "eclairs-compact-v1.int8|$root/weights/eclairs-compact-v1.int8.eclw|$root/tests/native/vectors/eclairs-compact-v1.int8.eclv"
  "eclairs-cnn-v1.int8|$root/weights/eclairs-cnn-v1.int8.eclw|$root/tests/native/vectors/eclairs-cnn-v1.int8.eclv"
  "compact-random.int8|$root/tests/Eclairs.Onboard.Inference.Tests/Quantized/Golden/compact-random.int8.eclw|$work/compact-random.int8.eclv"
  "torch-residual.int8|$work/torch-residual.int8.eclw|$work/torch-residual.int8.eclv"
)
"${cli[@]}" vectors --model "$root/tests/Eclairs.Onboard.Inference.Tests/Quantized/Golden/compact-random.int8.eclw" \
  --count 64 --seed 5 --out "$work/compact-random.int8.eclv" >/dev/null || status=1
# The chain of issue 17: the PyTorch residual network (tools/torch-fixtures: Add, Branch, stride-2 and 1x1
# convolutions, average pool), imported and quantized here as tests/native/run.sh does; its vectors come from the
# engine's scalar reference, and the generated C must reproduce them bit for bit on every target.
torch="$root/tests/Eclairs.Onnx.Tests/Fixtures/torch"
{ "${cli[@]}" dataset --preset seed --scale 0.02 --seed 2 --threads 1 --out "$work/calibration.npz" &&
  "${cli[@]}" import --from "$torch/residual.onnx" --out "$work/torch-residual.eclw" &&
  "${cli[@]}" quantize --model "$work/torch-residual.eclw" --calibration "$work/calibration.npz" --refine 100 --out "$work/torch-residual.int8.eclw" &&
  "${cli[@]}" vectors --model "$work/torch-residual.int8.eclw" --count 64 --seed 5 --out "$work/torch-residual.int8.eclv"; } >/dev/null || status=1

fail() { echo "$1"; echo "0 passed, 1 failed"; status=1; }

# CODEGEN_ONLY=<name>: only that model (a quicker local run; CI runs them all).
if [ -n "${CODEGEN_ONLY:-}" ]; then
  only=()
  for entry in "${models[@]}"; do [ "${entry%%|*}" = "$CODEGEN_ONLY" ] && only+=("$entry"); done
  models=("${only[@]}")
fi

cflags=(-std=c99 -O2 -Wall -Wextra -pedantic -Werror -ffp-contract=off -fsanitize=undefined -fno-sanitize-recover=all)
for entry in "${models[@]}"; do
  IFS='|' read -r name model vectors <<<"$entry"
  for kernels in small fast; do
    dir="$work/$name-$kernels"
    echo "== codegen host: $name, --kernels $kernels"
    if ! "${cli[@]}" codegen --model "$model" --out "$dir" --prefix model --kernels "$kernels" >/dev/null; then
      fail "codegen failed"; continue
    fi
    objects=()
    ok=1
    for src in "$dir"/ecl_int8_*.c "$dir/model.c"; do
      extra=(-mgeneral-regs-only); [ "$(basename "$src")" = ecl_int8_input.c ] && extra=()
      gcc "${cflags[@]}" "${extra[@]}" -c "$src" -o "$src.o" || ok=0
      objects+=("$src.o")
    done
    if [ $ok -eq 1 ] && gcc "${cflags[@]}" -I"$dir" -I"$root/tools/leon3" "$root/tests/codegen/replay.c" "${objects[@]}" -o "$dir/replay"; then
      "$dir/replay" "$vectors" | tee "$dir/host.out" || status=1
    else
      fail "host build failed"
    fi
  done
done

# Bare-metal targets: tools/<target>/build.sh and run.sh, the same harness (tools/leon3/main.c).
#   target name, stack target, toolchain check, size tool
bare_metal() {
  local target="$1" stack="$2" size="$3"
  local plugin_ok=1
  "$root/tools/qemu-plugin/build.sh" >/dev/null 2>&1 || plugin_ok=0
  [ $plugin_ok -eq 1 ] || echo "== $target: instruction counts skipped, the counting plugin does not build (tools/qemu-plugin/build.sh needs deb-src and libglib2.0-dev)"
  for entry in "${models[@]}"; do
    IFS='|' read -r name model vectors <<<"$entry"
    for kernels in small fast; do
      dir="$work/$name-$kernels-$target"
      echo "== codegen $target: $name, --kernels $kernels"
      if ! "${cli[@]}" codegen --model "$model" --out "$dir" --prefix model --kernels "$kernels" --stack "$stack" >/dev/null; then
        fail "codegen failed"; continue
      fi
      if ! "$root/tools/$target/build.sh" "$dir" "$vectors" "$dir/image.elf"; then
        fail "$target build failed"; continue
      fi
      marks=(); [ $plugin_ok -eq 1 ] && marks=("$dir/marks")
      out="$("$root/tools/$target/run.sh" "$dir/image.elf" "${marks[@]}" 2>/dev/null)"
      rc=$?
      echo "$out" | tee "$dir/run.out" # read by tools/leon3/budget.sh --from
      if [ $rc -ne 0 ] || ! grep -qE '^[0-9]+ passed, 0 failed' <<<"$out"; then
        echo "$target $name: exit status $rc"
        grep -qE '[0-9]+ failed' <<<"$out" || echo "0 passed, 1 failed"
        status=1
        continue
      fi
      host="$(grep '^extremes:' "$work/$name-$kernels/host.out" 2>/dev/null)"
      if [ "$host" != "$(grep '^extremes:' <<<"$out")" ]; then
        fail "$target $name: extreme inputs differ from the host's ($host)"
      fi
      if [ $plugin_ok -eq 1 ]; then
        counts="$("$root/tools/budget/inference-counts.sh" "$dir/marks")" || { fail "$target $name: $counts: the count depends on the input"; continue; }
        echo "instructions: $counts"
        per="$(sed -E 's/.*min ([0-9]+),.*/\1/' <<<"$counts")"
        goal=""
        [ "$target/$name/$kernels" = "leon3/eclairs-compact-v1.int8/fast" ] && goal=15000000
        [ "$target/$name/$kernels" = "leon3/eclairs-cnn-v1.int8/fast" ] && goal=35000000
        if [ -n "$goal" ]; then
          if [ "$per" -le "$goal" ]; then echo "goal: $per <= $goal instructions per inference"; echo "1 passed, 0 failed"
          else fail "goal: $per > $goal instructions per inference"; fi
        fi
      fi
      if [ "$name/$kernels" = "eclairs-compact-v1.int8/small" ]; then
        bytes=0
        for o in "$dir/image.build/model.o" "$dir"/image.build/ecl_int8_*.o; do
          bytes=$(( bytes + $("$size" -A "$o" | awk '$1 ~ /^\.(text|rodata|bss|data)/ { n += $2 } END { print n + 0 }') ))
        done
        if [ "$bytes" -le 65536 ]; then echo "size: classifier text + rodata + bss $bytes <= 65536 bytes"; echo "1 passed, 0 failed"
        else fail "size: classifier text + rodata + bss $bytes > 65536 bytes"; fi
      fi
    done
  done
}

# The two targets run side by side (each qemu is one thread; CI has 2 cores), each into its own log, printed in order.
"$root/tools/qemu-plugin/build.sh" >/dev/null 2>&1 || true # built once, before the targets would both build it
pids=()
logs=()
if command -v sparc64-linux-gnu-gcc >/dev/null && command -v qemu-system-sparc >/dev/null; then
  ( bare_metal leon3 leon3 sparc64-linux-gnu-size; exit $status ) > "$work/leon3.log" 2>&1 &
  pids+=($!); logs+=("$work/leon3.log")
else
  echo "== codegen leon3: skipped, no sparc64-linux-gnu-gcc or qemu-system-sparc (.ci/run installs gcc-sparc64-linux-gnu and qemu-system-sparc)"
fi
if command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null && [ -f "$root/tools/cortex-m4/build.sh" ]; then
  ( bare_metal cortex-m4 cortex-m4 arm-none-eabi-size; exit $status ) > "$work/cortex-m4.log" 2>&1 &
  pids+=($!); logs+=("$work/cortex-m4.log")
else
  echo "== codegen cortex-m4: skipped, no arm-none-eabi-gcc or qemu-system-arm (.ci/run installs gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm)"
fi
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || status=1
  cat "${logs[$i]}"
done
exit $status
