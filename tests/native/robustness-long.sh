#!/usr/bin/env bash
# The long robustness runs reported in docs/robustness.md (outside CI: about 20 minutes on one x64 core).
# Needs the x64 library (tools/build-native.sh linux-x64) and gcc.
#   tests/native/robustness-long.sh [soak_calls=1000000] [threaded_calls=100000] [deck_flips=100000]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lib="$root/artifacts/native/linux-x64"
work="$root/artifacts/robustness-long"
soak="${1:-1000000}" threaded="${2:-100000}" flips="${3:-100000}"
mkdir -p "$work"
[ -f "$lib/libeclairs_onboard.so" ] || "$root/tools/build-native.sh" linux-x64
for program in fault_injection concurrency_test; do
  gcc -std=c99 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -pedantic -Werror -I"$lib/include" \
    "$root/tests/native/$program.c" -o "$work/$program" -L"$lib" -leclairs_onboard -Wl,-rpath,"$lib" -lm -lpthread
done
w="$root/weights" v="$root/tests/native/vectors"
"$work/fault_injection" "$w/eclairs-cnn-v1.f32.eclw" "$flips" 11
"$work/fault_injection" "$w/eclairs-cnn-v1.int8.eclw" "$flips" 12
"$work/concurrency_test" "$w/eclairs-compact-v1.f32.eclw" "$v/eclairs-compact-v1.f32.eclv" threads 4 "$threaded"
"$work/concurrency_test" "$w/eclairs-compact-v1.f32.eclw" "$v/eclairs-compact-v1.f32.eclv" soak "$soak"
