#!/usr/bin/env bash
# Builds the native library for one runtime identifier with NativeAOT:
#   tools/build-native.sh linux-x64 | linux-arm64
# writes artifacts/native/<rid>/libeclairs_onboard.so and artifacts/native/<rid>/include/eclairs_onboard.h.
# Installs nothing: linux-arm64 on an x64 host needs clang-14, llvm and Debian's aarch64 GNU cross
# toolchain (gcc-aarch64-linux-gnu libc6-dev-arm64-cross), which .ci/run installs.
set -euo pipefail
rid="${1:?usage: tools/build-native.sh linux-x64|linux-arm64}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts/native/$rid"
project="$root/src/Eclairs.Onboard.Native/Eclairs.Onboard.Native.csproj"

extra=()
case "$rid" in
  linux-x64) ;;
  linux-arm64)
    if [ "$(uname -m)" != "aarch64" ]; then
      # ILCompiler passes clang's --target flag to the linker, so cross-link with clang (TOOLCHAIN.md).
      extra+=(-p:CppCompilerAndLinker=clang-14 -p:ObjCopyName=llvm-objcopy-14)
    fi ;;
  *) echo "build-native: unsupported runtime identifier '$rid' (linux-x64, linux-arm64)" >&2; exit 2 ;;
esac

rm -rf "$out"
mkdir -p "$out/include"
dotnet publish "$project" -c Release -r "$rid" -o "$out/publish" -p:NativeLib=Shared "${extra[@]}" --nologo -v quiet
cp "$out/publish/eclairs_onboard.so" "$out/libeclairs_onboard.so"
cp "$root/src/Eclairs.Onboard.Native/eclairs_onboard.h" "$out/include/"
rm -rf "$out/publish"
echo "build-native: $out/libeclairs_onboard.so ($(stat -c %s "$out/libeclairs_onboard.so") bytes)"
