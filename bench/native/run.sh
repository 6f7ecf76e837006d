#!/usr/bin/env bash
# ecl_classify of the default native library against ONNX Runtime's C API, interleaved, one thread (docs/benchmarks.md):
#   bench/native/run.sh [rounds=41] [calls=20]
# Builds the library if artifacts/native/linux-x64 lacks it, exports the shipped models to ONNX (float graphs and int8
# QDQ graphs, `eclairs export-onnx`), compiles bench/native/ecl_vs_ort.c against the libonnxruntime.so of the
# Microsoft.ML.OnnxRuntime NuGet package (restored by the solution's bench and test projects) and runs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-41}" calls="${2:-20}"
lib="$root/artifacts/native/linux-x64"
work="$root/artifacts/bench-native"
mkdir -p "$work"
[ -f "$lib/libeclairs_onboard.so" ] || "$root/tools/build-native.sh" linux-x64
version=$(sed -n 's/.*Microsoft.ML.OnnxRuntime" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
ort="${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.onnxruntime/$version"
if [ ! -f "$ort/runtimes/linux-x64/native/libonnxruntime.so" ]; then
  dotnet restore "$root/bench/Eclairs.Onboard.Benchmarks/Eclairs.Onboard.Benchmarks.csproj" --nologo -v q >/dev/null
fi
# The package ships libonnxruntime.so; its SONAME is libonnxruntime.so.1.
ln -sf "$ort/runtimes/linux-x64/native/libonnxruntime.so" "$work/libonnxruntime.so.1"
dotnet build "$root/tools/Eclairs.Cli/Eclairs.Cli.csproj" -c Release --nologo -v q >/dev/null
cli=(dotnet "$root/tools/Eclairs.Cli/bin/Release/net10.0/eclairs.dll")
for m in cnn compact; do
  for f in f32 int8; do
    "${cli[@]}" export-onnx --model "$root/weights/eclairs-$m-v1.$f.eclw" --out "$work/$m.$f.onnx" >/dev/null
  done
done
gcc -std=c11 -O2 -Wall -Wextra -Werror -I"$lib/include" -I"$ort/build/native/include" "$root/bench/native/ecl_vs_ort.c" \
  -o "$work/ecl_vs_ort" -L"$lib" -leclairs_onboard -Wl,-rpath,"$lib" -L"$ort/runtimes/linux-x64/native" -lonnxruntime \
  -Wl,-rpath,"$work" -lm
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
w="$root/weights"
# The calls cycle through the 64 recorded test-split alerts of the golden vectors (the engine's time depends on the
# alert: its dense layers skip zero inputs); ECL_VS_ORT_SYNTHETIC=1 times the one synthetic alert instead.
alerts=(--alerts "$root/tests/native/vectors/eclairs-cnn-v1.int8.eclv")
[ "${ECL_VS_ORT_SYNTHETIC:-0}" = 1 ] && alerts=()
"$work/ecl_vs_ort" "${alerts[@]}" "$rounds" "$calls" \
  cnn-v1-float "$w/eclairs-cnn-v1.f32.eclw" "$work/cnn.f32.onnx" \
  cnn-v1-int8 "$w/eclairs-cnn-v1.int8.eclw" "$work/cnn.int8.onnx" \
  cnn-v1-int8-vs-ort-precise "$w/eclairs-cnn-v1.int8.eclw" "precise:$work/cnn.int8.onnx"
"$work/ecl_vs_ort" "${alerts[@]}" "$rounds" "$calls" \
  compact-v1-float "$w/eclairs-compact-v1.f32.eclw" "$work/compact.f32.onnx" \
  compact-v1-int8 "$w/eclairs-compact-v1.int8.eclw" "$work/compact.int8.onnx" \
  compact-v1-int8-vs-ort-precise "$w/eclairs-compact-v1.int8.eclw" "precise:$work/compact.int8.onnx"
