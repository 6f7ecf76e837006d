#!/usr/bin/env bash
# Instructions per ecl_classify call of the native library, for the four shipped models, written to one
# machine-readable file (default docs/instruction-counts.tsv) that `eclairs budget` reads.
#   tools/budget/count-instructions.sh [out.tsv]          (about 15 minutes on 2 loaded cores)
#   REUSE_BUILDS=1 tools/budget/count-instructions.sh     (keeps the builds already in artifacts/budget: recount only)
# - x64: valgrind's callgrind with --toggle-collect=ecl_classify (callees included) on two NativeAOT builds of
#   src/Eclairs.Onboard.Native: NativeAOT's default instruction set ("baseline": SSE only, Vector128) and
#   IlcInstructionSet=x86-64-v3 (AVX2 + FMA, Vector256). Exact: two runs give the same count.
# - arm64: qemu-aarch64 -cpu cortex-a53 with the TCG plugin of tools/qemu-plugin (whole-process count), on a linux-arm64 build
#   (NEON, Vector128). Repeatable to a few tens of instructions per process.
# - x64 scalar reference: the managed engine's scalar kernels (KernelPath.Scalar / Int8KernelPath.Scalar), counted by
#   callgrind over tools/Eclairs.CountInstructions: the figure the LEON-class projection of `eclairs budget` uses.
# Per inference = (count of a run with N calls - count of a run with 0 calls) / N, after one warm-up call in both
# runs (tools/budget/classify_n.c), so start-up, loading and first-call costs cancel. Every case runs twice.
# Needs: valgrind, gcc, aarch64-linux-gnu-gcc + libc6-dev-arm64-cross, clang-14, llvm-14, qemu-user, and what
# tools/qemu-plugin/build.sh needs. Runs everything under `env -i` in a fixed directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/docs/instruction-counts.tsv}"
work="$root/artifacts/budget"
vectors="$root/tests/native/vectors/eclairs-compact-v1.f32.eclv"   # its first alert is the workload's input
models=(eclairs-cnn-v1.f32 eclairs-cnn-v1.int8 eclairs-compact-v1.f32 eclairs-compact-v1.int8)
calls_x64=2     # callgrind is exact: two calls are enough
calls_arm64=10  # qemu's count moves by a few tens per process: spread over 10 calls
mkdir -p "$work"
log() { echo "count-instructions: $*" >&2; }

publish_native() { # name rid extra-msbuild-args...
    local name="$1" rid="$2"; shift 2
    if [ "${REUSE_BUILDS:-0}" = 1 ] && [ -f "$work/$name/eclairs_onboard.so" ]; then return; fi
    log "publishing the native library ($name)"
    dotnet publish "$root/src/Eclairs.Onboard.Native/Eclairs.Onboard.Native.csproj" -c Release -r "$rid" \
        -o "$work/$name" -p:NativeLib=Shared -p:IntermediateOutputPath="$work/obj-$name/" "$@" --nologo \
        >"$work/publish-$name.log" 2>&1 || { cat "$work/publish-$name.log" >&2; exit 1; }
    cp "$root/src/Eclairs.Onboard.Native/eclairs_onboard.h" "$work/$name/"
    # valgrind 3.19 gives up on NativeAOT's DWARF 5 (.dbg); the exported symbols it needs are in .dynsym.
    rm -f "$work/$name/eclairs_onboard.so.dbg"
}

publish_native x64-baseline linux-x64
publish_native x64-v3 linux-x64 -p:IlcInstructionSet=x86-64-v3
cross=()
[ "$(uname -m)" = aarch64 ] || cross=(-p:CppCompilerAndLinker=clang-14 -p:ObjCopyName=llvm-objcopy-14)
publish_native arm64 linux-arm64 "${cross[@]}"

log "publishing tools/Eclairs.CountInstructions (scalar reference)"
[ "${REUSE_BUILDS:-0}" = 1 ] && [ -f "$work/scalar/count" ] || dotnet publish "$root/tools/Eclairs.CountInstructions" -c Release -r linux-x64 -o "$work/scalar" \
    -p:IntermediateOutputPath="$work/obj-scalar/" --nologo >"$work/publish-scalar.log" 2>&1 \
    || { cat "$work/publish-scalar.log" >&2; exit 1; }
# callgrind needs the symbol table but cannot read NativeAOT's DWARF 5: keep one, drop the other.
[ "${REUSE_BUILDS:-0}" = 1 ] && [ -f "$work/scalar/count" ] \
    || strip --strip-debug -o "$work/scalar/count" "$work/scalar/eclairs-count-instructions"

cflags=(-std=c99 -O2 -Wall -Wextra -pedantic -Werror)
for name in x64-baseline x64-v3; do
    gcc "${cflags[@]}" -I"$work/$name" "$root/tools/budget/classify_n.c" -o "$work/$name/classify_n" \
        -L"$work/$name" -l:eclairs_onboard.so -Wl,-rpath,"$work/$name"
done
aarch64-linux-gnu-gcc "${cflags[@]}" -I"$work/arm64" "$root/tools/budget/classify_n.c" -o "$work/arm64/classify_n" \
    -L"$work/arm64" -l:eclairs_onboard.so -Wl,-rpath,"$work/arm64"
plugin="$("$root/tools/qemu-plugin/build.sh" "$work/qemu-plugin" | tail -1)"

callgrind_native() { # build model calls -> instructions inside ecl_classify (all calls, warm-up included)
    (cd "$work" && env -i /usr/bin/valgrind --tool=callgrind --toggle-collect=ecl_classify \
        --callgrind-out-file="$work/callgrind.out" "$work/$1/classify_n" "$root/weights/$2.eclw" "$vectors" "$3" 2>&1) \
        | awk '/Collected :/ { print $4 }'
}
callgrind_scalar() { # model calls -> instructions inside Workload.ClassifyRepeatedly (N calls, after warm-up)
    (cd "$work" && env -i /usr/bin/valgrind --tool=callgrind \
        --toggle-collect='eclairs_count_instructions_Eclairs_CountInstructions_Workload__ClassifyRepeatedly*' \
        --callgrind-out-file="$work/callgrind.out" "$work/scalar/count" "$root/weights/$1.eclw" Scalar "$2" 2>&1) \
        | awk '/Collected :/ { print $4 }'
}
qemu_native() { # model calls -> whole-process instructions
    # A Cortex-A53 (ARMv8.0, no DotProd), the core class `eclairs budget` projects to: the int8 dense layers take the
    # widened AdvSimd kernel. qemu's default CPU has DotProd, where they run SDOT (Int8DotDense; docs/int8.md).
    (cd "$work" && env -i /usr/bin/qemu-aarch64 -cpu cortex-a53 -L /usr/aarch64-linux-gnu -plugin "$plugin" -d plugin \
        "$work/arm64/classify_n" "$root/weights/$1.eclw" "$vectors" "$2" 2>&1) \
        | awk '/insn_count:/ { print $2 }'
}
per_call() {
    [[ "$1" =~ ^[0-9]+$ && "$2" =~ ^[0-9]+$ ]] || { log "a count failed (got '$1' and '$2')"; exit 1; }
    awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (b - a) / n }'; }

tmp="$(mktemp)"
printf 'target\tbuild\tkernels\tmodel\tcalls\tinstructions_per_inference_run1\tinstructions_per_inference_run2\tlibrary_bytes\tcounter\n' >"$tmp"
for model in "${models[@]}"; do
    for name in x64-baseline x64-v3; do
        # Auto picks these; the int8 SIMD kernels need AVX2 on x64 (none on the baseline build), AdvSimd on arm64 (docs/int8.md).
        case "$name:$model" in
            x64-baseline:*.f32) kernels=Vector128-SSE ;;
            x64-baseline:*.int8) kernels=Scalar-reference ;;
            *) kernels=Vector256-AVX2 ;;
        esac
        runs=()
        for run in 1 2; do
            zero=$(callgrind_native "$name" "$model" 0); many=$(callgrind_native "$name" "$model" "$calls_x64")
            runs+=("$(per_call "$zero" "$many" "$calls_x64")")
        done
        log "$model $name: ${runs[*]}"
        printf 'x64\t%s\t%s\t%s\t%d\t%s\t%s\t%d\tcallgrind --toggle-collect=ecl_classify\n' "$name" "$kernels" "$model" \
            "$calls_x64" "${runs[0]}" "${runs[1]}" "$(stat -c %s "$work/$name/eclairs_onboard.so")" >>"$tmp"
    done
    runs=()
    for run in 1 2; do
        zero=$(qemu_native "$model" 0); many=$(qemu_native "$model" "$calls_arm64")
        runs+=("$(per_call "$zero" "$many" "$calls_arm64")")
    done
    log "$model arm64: ${runs[*]}"
    case "$model" in *.f32) kernels=Vector128-NEON ;; *) kernels=Vector128-AdvSimd ;; esac
    printf 'arm64\tarmv8-a\t%s\t%s\t%d\t%s\t%s\t%d\tqemu-aarch64 TCG plugin, difference of runs\n' "$kernels" "$model" \
        "$calls_arm64" "${runs[0]}" "${runs[1]}" "$(stat -c %s "$work/arm64/eclairs_onboard.so")" >>"$tmp"
    runs=()
    for run in 1 2; do
        one=$(callgrind_scalar "$model" 1); two=$(callgrind_scalar "$model" 2)
        runs+=("$(per_call "$one" "$two" 1)")
    done
    log "$model scalar: ${runs[*]}"
    printf 'x64\tmanaged-scalar\tScalar-reference\t%s\t1\t%s\t%s\t0\tcallgrind over tools/Eclairs.CountInstructions\n' "$model" \
        "${runs[0]}" "${runs[1]}" >>"$tmp"
done
mv "$tmp" "$out"
log "wrote $out"
