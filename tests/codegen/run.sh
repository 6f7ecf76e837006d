#!/usr/bin/env bash
# The generated C against the golden vectors, bit for bit (docs/leon3.md):
# 1. host: `eclairs codegen` on each shipped int8 model (from the files in the repository, at test time), compiled
#    with gcc -std=c99 -O2 -Wall -Wextra -Werror (kernels and model also with -mgeneral-regs-only: no floating
#    point), replaying every vector of tests/native/vectors/<model>.eclv; also a random-weight int8 model on
#    synthetic alerts (masked NaN pixels, mask values 0..3).
# 2. LEON3: the same code built bare metal with gcc-sparc64-linux-gnu, run under qemu-system-sparc -M leon3_generic
#    (skipped with a message when the toolchain is absent; .ci/run installs it).
# Prints "N passed, M failed" per program; exits non-zero on any failure.
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
)
"${cli[@]}" vectors --model "$root/tests/Eclairs.Onboard.Inference.Tests/Quantized/Golden/compact-random.int8.eclw" \
  --count 64 --seed 5 --out "$work/compact-random.int8.eclv" >/dev/null || status=1

cflags=(-std=c99 -O2 -Wall -Wextra -pedantic -Werror -ffp-contract=off)
for entry in "${models[@]}"; do
  IFS='|' read -r name model vectors <<<"$entry"
  dir="$work/$name"
  echo "== codegen host: $name"
  if ! "${cli[@]}" codegen --model "$model" --out "$dir" --prefix model >/dev/null; then
    echo "0 passed, 1 failed"; status=1; continue
  fi
  if gcc "${cflags[@]}" -mgeneral-regs-only -c "$dir/ecl_int8_kernels.c" -o "$dir/kernels.o" \
     && gcc "${cflags[@]}" -mgeneral-regs-only -c "$dir/model.c" -o "$dir/model.o" \
     && gcc "${cflags[@]}" -c "$dir/ecl_int8_input.c" -o "$dir/input.o" \
     && gcc "${cflags[@]}" -I"$dir" "$root/tests/codegen/replay.c" "$dir/kernels.o" "$dir/model.o" "$dir/input.o" -o "$dir/replay"; then
    "$dir/replay" "$vectors" || status=1
  else
    echo "0 passed, 1 failed"; status=1
  fi
done

if command -v sparc64-linux-gnu-gcc >/dev/null && command -v qemu-system-sparc >/dev/null; then
  for entry in "${models[@]}"; do
    IFS='|' read -r name model vectors <<<"$entry"
    dir="$work/$name"
    echo "== codegen leon3 (qemu-system-sparc -M leon3_generic): $name"
    [ -f "$dir/model.c" ] || { echo "0 passed, 1 failed"; status=1; continue; }
    if ! "$root/tools/leon3/build.sh" "$dir" "$vectors" "$dir/leon3.elf"; then
      echo "0 passed, 1 failed"; status=1; continue
    fi
    # A hang (a trap with no handler stops the CPU in error mode) must fail, not block CI.
    out="$(timeout 300 qemu-system-sparc -M leon3_generic -nographic -monitor none -kernel "$dir/leon3.elf" </dev/null)"
    rc=$?
    echo "$out"
    if [ $rc -ne 0 ] || ! grep -qE '^[0-9]+ passed, 0 failed' <<<"$out"; then
      echo "leon3 $name: qemu exit status $rc"
      grep -qE '[0-9]+ failed' <<<"$out" || echo "0 passed, 1 failed"
      status=1
    fi
  done
else
  echo "== codegen leon3: skipped, no sparc64-linux-gnu-gcc or qemu-system-sparc (.ci/run installs gcc-sparc64-linux-gnu and qemu-system-sparc)"
fi
exit $status
