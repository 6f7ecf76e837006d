#!/usr/bin/env bash
# LEON3 budget of the generated C for the shipped int8 models (docs/leon3.md): instructions per inference, counted
# by the TCG plugin (tools/qemu-plugin) under qemu-system-sparc -M leon3_generic as the difference between a run of
# N classifications of one alert and a run of 0 (same program otherwise), and the classifier's code, parameters and
# scratch: text, rodata and bss of ecl_int8_kernels.o + ecl_int8_input.o + model.o as linked (sparc64-linux-gnu-size).
# Writes docs/leon3-measured.tsv (read by `eclairs budget`). Instructions, not cycles.
#   tools/leon3/budget.sh [runs]      (default 4)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-4}"
work="$root/artifacts/leon3-budget"
rm -rf "$work"; mkdir -p "$work"
plugin="$("$root/tools/qemu-plugin/build.sh" | tail -1)"
dotnet build "$root/tools/Eclairs.Cli/Eclairs.Cli.csproj" -c Release -v q -nologo >/dev/null
cli=(dotnet "$root/tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll")

count() { # elf -> instructions executed by the whole program
  timeout 600 qemu-system-sparc -M leon3_generic -nographic -monitor none -plugin "$plugin,outfile=$1.count" -d plugin \
    -kernel "$1" </dev/null >/dev/null 2>&1
  cat "$1.count"
}
section() { # object section -> bytes (sum of sections whose name starts with section)
  sparc64-linux-gnu-size -A "$1" | awk -v s="$2" '$1 == s || index($1, s ".") == 1 { n += $2 } END { print n + 0 }'
}

tsv="$root/docs/leon3-measured.tsv"
printf 'model\tinstructions_per_inference\ttext_bytes\trodata_bytes\tbss_bytes\tfits_64k\n' > "$tsv.tmp"
for model in eclairs-compact-v1.int8 eclairs-cnn-v1.int8; do
  dir="$work/$model"
  "${cli[@]}" codegen --model "$root/weights/$model.eclw" --out "$dir" --prefix model >/dev/null
  vectors="$root/tests/native/vectors/$model.eclv"
  "$here/build.sh" "$dir" "$vectors" "$dir/runs0.elf" -DECL_LEON3_RUNS=0
  "$here/build.sh" "$dir" "$vectors" "$dir/runs$runs.elf" -DECL_LEON3_RUNS="$runs"
  zero="$(count "$dir/runs0.elf")"
  many="$(count "$dir/runs$runs.elf")"
  per=$(( (many - zero) / runs ))
  text=0; rodata=0; bss=0; data=0
  for o in model ecl_int8_kernels ecl_int8_input; do
    obj="$dir/runs$runs.build/$o.o"
    text=$(( text + $(section "$obj" .text) ))
    rodata=$(( rodata + $(section "$obj" .rodata) ))
    bss=$(( bss + $(section "$obj" .bss) ))
    data=$(( data + $(section "$obj" .data) ))
  done
  [ "$data" -eq 0 ] || { echo "budget: $model has $data bytes of .data (not expected)" >&2; exit 1; }
  total=$(( text + rodata + bss ))
  fits=no; [ "$total" -le 65536 ] && fits=yes
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$model" "$per" "$text" "$rodata" "$bss" "$fits" >> "$tsv.tmp"
  echo "== $model: $per instructions per inference ($runs runs: $many, 0 runs: $zero)"
  echo "   classifier: text $text + rodata $rodata + bss $bss = $total bytes (64 KB: $fits)"
  for mhz in 50 100 250; do
    awk -v n="$per" -v f="$mhz" 'BEGIN { printf "   at %d MHz and one instruction per cycle (instructions, not cycles): %.0f ms\n", f, n / (f * 1000) }'
  done
  echo "   whole test program (crt0, UART, replay harness; vectors apart):"
  sparc64-linux-gnu-size -A "$dir/runs$runs.elf" | awk '$1 ~ /^\.(text|rodata|bss|vectors|data)$/ { printf "     %-9s %9d\n", $1, $2 }'
done
mv "$tsv.tmp" "$tsv"
echo "wrote $tsv"
