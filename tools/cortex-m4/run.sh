#!/usr/bin/env bash
# Runs a harness image (tools/cortex-m4/build.sh) under qemu-system-arm -M mps2-an386 and prints its console
# (UART0 on stdout). The image ends the emulation through semihosting: exit status 0, or 1 on a fault.
#   tools/cortex-m4/run.sh <image.elf> [marks-file]
# With a marks file, the counting plugin (tools/qemu-plugin) records the instruction count at every call of the
# harness's ecl_mark() into it (tools/budget/inference-counts.sh turns it into counts per inference).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
elf="${1:?image.elf}"
plugin=()
if [ $# -ge 2 ]; then
  so="$("$here/../qemu-plugin/build.sh" | tail -1)" || exit 1
  # Thumb: the symbol's value has bit 0 set, the instruction is at the even address.
  symbol="$(arm-none-eabi-nm "$elf" | awk '$3 == "ecl_mark" { print $1 }')"
  [ -n "$symbol" ] || { echo "run.sh: no ecl_mark in $elf" >&2; exit 1; }
  mark="$(printf '%x' $(( 0x$symbol & ~1 )))"
  plugin=(-plugin "$so,mark=0x$mark,marks=$2" -d plugin)
fi
timeout 600 qemu-system-arm -M mps2-an386 -nographic -monitor none -semihosting-config enable=on,target=native \
  "${plugin[@]}" -kernel "$elf" </dev/null
