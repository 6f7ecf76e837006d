#!/usr/bin/env bash
# Embedded budget of the generated C for the shipped int8 models (docs/leon3.md, docs/cortex-m4.md), both kernel sets,
# on LEON3 (qemu-system-sparc -M leon3_generic) and, when its toolchain is there, Cortex-M4 (qemu-system-arm -M
# mps2-an386): instructions per inference from the counting plugin's marks around each classification of the
# harness (the same count for every input: the 64 golden vectors and the extreme inputs; the worst case with every
# register window full on LEON3), the classifier's code, parameters and RAM (text, rodata and bss of the kernel
# objects and the generated model as linked, from the target's size tool), and the worst-case stack `eclairs codegen
# --stack` computes. Writes docs/leon3-measured.tsv (read by `eclairs budget`). Instructions, not cycles.
#   tools/leon3/budget.sh                     builds and runs each case (~10 min on a loaded machine)
#   tools/leon3/budget.sh --from <directory>  reads the builds and marks tests/codegen/run.sh left there
#                                             (artifacts/codegen-tests: <model>-<kernels>-<target>), runs nothing
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
from=""
if [ "${1:-}" = "--from" ]; then
  from="$(cd "${2:?directory of tests/codegen/run.sh}" && pwd)"
else
  work="$root/artifacts/embedded-budget"
  rm -rf "$work"; mkdir -p "$work"
  "$root/tools/qemu-plugin/build.sh" >/dev/null
  dotnet build "$root/tools/Eclairs.Cli/Eclairs.Cli.csproj" -c Release -v q -nologo >/dev/null
  cli=(dotnet "$root/tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll")
fi

section() { # size tool, object, section -> bytes (sections whose name starts with it)
  "$1" -A "$2" | awk -v s="$3" '$1 == s || index($1, s ".") == 1 { n += $2 } END { print n + 0 }'
}

targets=(leon3)
command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null && targets+=(cortex-m4)
tsv="$root/docs/leon3-measured.tsv"
printf 'target\tmodel\tkernels\tinstructions_per_inference\tworst_case_instructions\tinputs\ttext_bytes\trodata_bytes\tbss_bytes\tstack_bytes\tfits_64k\n' > "$tsv.tmp"
for target in "${targets[@]}"; do
  case "$target" in
    leon3) size=sparc64-linux-gnu-size; macro=LEON3 ;;
    cortex-m4) size=arm-none-eabi-size; macro=CORTEX_M4 ;;
  esac
  for model in eclairs-compact-v1.int8 eclairs-cnn-v1.int8; do
    for kernels in small fast; do
      if [ -n "$from" ]; then
        dir="$from/$model-$kernels-$target"
        [ -s "$dir/marks" ] || { echo "budget: no marks in $dir (run tests/codegen/run.sh with the counting plugin)" >&2; exit 1; }
        grep -qE '^[0-9]+ passed, 0 failed' "$dir/run.out" || { echo "budget: $target $model $kernels did not pass ($dir/run.out)" >&2; exit 1; }
      else
        dir="$work/$target-$model-$kernels"
        "${cli[@]}" codegen --model "$root/weights/$model.eclw" --out "$dir" --prefix model --kernels "$kernels" --stack "$target" >/dev/null
        "$root/tools/$target/build.sh" "$dir" "$root/tests/native/vectors/$model.eclv" "$dir/image.elf"
        out="$("$root/tools/$target/run.sh" "$dir/image.elf" "$dir/marks" 2>/dev/null)"
        grep -qE '^[0-9]+ passed, 0 failed' <<<"$out" || { echo "budget: $target $model $kernels failed: $out" >&2; exit 1; }
      fi
      counts="$("$root/tools/budget/inference-counts.sh" "$dir/marks")"
      per="$(sed -E 's/.*min ([0-9]+),.*/\1/' <<<"$counts")"
      worst="$(sed -E 's/.*worst case ([0-9]+).*/\1/' <<<"$counts")"
      inputs="$(sed -E 's/^inferences ([0-9]+),.*/\1/' <<<"$counts")"
      stack="$(awk -v m="MODEL_STACK_BYTES_$macro" '$1 == "#define" && $2 == m { sub(/u$/, "", $3); print $3 }' "$dir/model.h")"
      text=0; rodata=0; bss=0; data=0
      for obj in "$dir/image.build/model.o" "$dir"/image.build/ecl_int8_*.o; do
        text=$(( text + $(section "$size" "$obj" .text) ))
        rodata=$(( rodata + $(section "$size" "$obj" .rodata) ))
        bss=$(( bss + $(section "$size" "$obj" .bss) ))
        data=$(( data + $(section "$size" "$obj" .data) ))
      done
      [ "$data" -eq 0 ] || { echo "budget: $model has $data bytes of .data (not expected)" >&2; exit 1; }
      total=$(( text + rodata + bss ))
      fits=no; [ "$total" -le 65536 ] && fits=yes
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$model" "$kernels" "$per" "$worst" "$inputs" "$text" "$rodata" "$bss" "$stack" "$fits" >> "$tsv.tmp"
      echo "== $target $model --kernels $kernels: $per instructions per inference ($counts)"
      echo "   classifier: text $text + rodata $rodata + bss $bss = $total bytes (64 KiB: $fits); worst-case stack $stack bytes"
    done
  done
done
mv "$tsv.tmp" "$tsv"
echo "wrote $tsv"
