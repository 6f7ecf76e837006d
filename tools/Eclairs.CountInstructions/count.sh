#!/usr/bin/env bash
# Instructions per InferenceContext.Classify call on x64, counted by valgrind's callgrind over a NativeAOT build.
# Usage: tools/Eclairs.CountInstructions/count.sh [work-dir]   (prints a markdown table; takes ~2 minutes)
# Two builds: NativeAOT's default instruction set ("baseline": no AVX, so Vector128 is SSE, Vector256 is not accelerated, no FMA) and
# x86-64-v3 (AVX2 + FMA: Vector256). AVX-512 (x86-64-v4) is left out: valgrind 3.19 does not decode it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-/tmp/eclairs-count-instructions}"
symbol=eclairs_count_instructions_Eclairs_CountInstructions_Workload__ClassifyRepeatedly
mkdir -p "$work"

publish() { # name, extra msbuild args...
    local name="$1"; shift
    dotnet publish "$repo/tools/Eclairs.CountInstructions" -c Release -r linux-x64 -o "$work/$name" \
        -p:IntermediateOutputPath="$work/obj-$name/" "$@" >"$work/publish-$name.log" 2>&1 \
        || { cat "$work/publish-$name.log"; exit 1; }
    # Keep the symbol table (callgrind needs the function's name) but drop the DWARF 5 that valgrind 3.19 rejects.
    strip --strip-debug -o "$work/$name/count" "$work/$name/eclairs-count-instructions"
}

count() { # build, network, path, calls -> instructions executed inside the toggled function
    (cd "$work" && env -i /usr/bin/valgrind --tool=callgrind --toggle-collect="$symbol" \
        --callgrind-out-file="$work/callgrind.out" "$work/$1/count" "$2" "$3" "$4" 2>&1) \
        | awk '/Collected :/ { print $4 }'
}

publish baseline
publish x86-64-v3 -p:IlcInstructionSet=x86-64-v3

echo "| network | build | kernel path | instructions per call (run 1) | (run 2) | per call from 3 calls | MACs | instructions per MAC |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for network in CnnV1 CompactV1; do
    macs=$([ "$network" = CnnV1 ] && echo 17862784 || echo 8242976)
    for spec in baseline:Scalar baseline:Vector128 x86-64-v3:Vector128 x86-64-v3:Vector256; do
        build="${spec%%:*}"; path="${spec##*:}"
        one=$(count "$build" "$network" "$path" 1)
        again=$(count "$build" "$network" "$path" 1)
        three=$(count "$build" "$network" "$path" 3)
        awk -v n="$network" -v b="$build" -v p="$path" -v a="$one" -v r="$again" -v t="$three" -v m="$macs" \
            'BEGIN { printf "| %s | %s | %s | %d | %d | %.0f | %d | %.3f |\n", n, b, p, a, r, t / 3, m, a / m }'
    done
done
