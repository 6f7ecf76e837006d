#!/usr/bin/env bash
# Builds insn_count.so, the TCG instruction-counting plugin, against the qemu-plugin.h of Debian's qemu
# source package for the installed qemu version (Debian ships plugin support in its qemu binaries but no
# header, TOOLCHAIN.md). Needs: deb-src entries for apt (added here when missing, as root), gcc, glib headers.
# Usage: tools/qemu-plugin/build.sh [out-dir]   (default: artifacts/qemu-plugin)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/artifacts/qemu-plugin}"
mkdir -p "$out"
if [ -f "$out/insn_count.so" ] && [ "$out/insn_count.so" -nt "$here/insn_count.c" ]; then
  echo "$out/insn_count.so"; exit 0
fi

work="$out/src"
mkdir -p "$work"
header="$(find "$work" -path '*/include/qemu/qemu-plugin.h' 2>/dev/null | head -1)"
if [ -z "$header" ]; then
  if ! apt-get indextargets --format '$(IDENTIFIER)' 2>/dev/null | grep -qx Sources; then
    [ "$(id -u)" -eq 0 ] || { echo "build.sh: no deb-src entries and not root to add them" >&2; exit 1; }
    cat > /etc/apt/sources.list.d/eclairs-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
  fi
  for pkg in dpkg-dev libglib2.0-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg"
  done
  (cd "$work" && apt-get source --download-only qemu >/dev/null 2>&1)
  tarball="$(ls "$work"/qemu_*.orig.tar.xz | head -1)"
  tar -C "$work" -xJf "$tarball" --wildcards '*/include/qemu/qemu-plugin.h'
  header="$(find "$work" -path '*/include/qemu/qemu-plugin.h' | head -1)"
fi
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -I"$(dirname "$header")" $(pkg-config --cflags glib-2.0) \
  -o "$out/insn_count.so" "$here/insn_count.c"
echo "$out/insn_count.so"
