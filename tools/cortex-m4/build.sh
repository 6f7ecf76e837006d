#!/usr/bin/env bash
# Builds a bare-metal Cortex-M4 image for qemu-system-arm -M mps2-an386 that replays golden vectors through a
# generated int8 model, with the harness of tools/leon3 (main.c, console.c, extremes.h) and this directory's
# start-up, UART and target hooks.
#   tools/cortex-m4/build.sh <model-dir> <vectors.eclv> <out.elf> [extra cflags]
# <model-dir> holds `eclairs codegen --prefix model` output. Needs Debian's gcc-arm-none-eabi (libnewlib-arm-none-eabi
# provides the multilib directories; nothing of newlib or libgcc is linked: -nostdlib, and a missing helper fails the
# link). Thumb-2 with the single-precision FPU (FPv4-SP, hard float ABI); the code-generation flags are
# CStackTarget.CortexM4's (the stack bound is computed with the same).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
leon3="$here/../leon3"
model="$(cd "${1:?model dir}" && pwd)"
vectors="${2:?vectors.eclv}"
out="${3:?out.elf}"
shift 3
cc=arm-none-eabi-gcc
flags=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -ffreestanding -std=c99 -Os -ffp-contract=off
       -nostdlib -static -Wl,-z,noexecstack -Wall -Wextra -Werror -I"$model" -I"$leon3" "$@")
build="$(dirname "$out")/$(basename "$out" .elf).build"
rm -rf "$build"; mkdir -p "$build"
cp "$vectors" "$build/vectors.eclv"
objects=()
for src in "$model"/ecl_int8_*.c "$model/model.c" "$here/startup.c" "$here/uart.c" "$leon3/console.c" "$leon3/main.c"; do
  "$cc" "${flags[@]}" -c "$src" -o "$build/$(basename "$src" .c).o"
  objects+=("$build/$(basename "$src" .c).o")
done
(cd "$build" && "$cc" "${flags[@]}" -c "$leon3/vectors.S" -o vectors.o)
"$cc" "${flags[@]}" -T "$here/mps2-an386.ld" "${objects[@]}" "$build"/vectors.o -o "$out"
