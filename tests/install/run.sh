#!/bin/sh
# meson install into a scratch folder, then build and run consumer.c with nothing but
# `pkg-config --cflags --libs libkctl libkctl-sim` pointing at that folder.
set -eu
build=$1 src=$2 cc=${3:-cc} extra=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
pc=$(find "$tmp/root" -name libkctl.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no libkctl.pc installed"; exit 1; }
pcdir=$(dirname "$pc")
prefix=$(sed -n 's/^prefix=//p' "$pc")
root_prefix="$tmp/root$prefix"
PKG_CONFIG_PATH=$pcdir
export PKG_CONFIG_PATH
flags=$(pkg-config --define-variable=prefix="$root_prefix" --cflags --libs libkctl libkctl-sim)
echo "pkg-config: $flags"
for h in kctl.h kctl_abi.h kctl_frame.h kctl_sim.h; do
	[ -f "$root_prefix/include/$h" ] || { echo "FAIL: $h not installed"; exit 1; }
done
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror $extra -o "$tmp/consumer" "$src/tests/install/consumer.c" $flags
libdir=$(pkg-config --define-variable=prefix="$root_prefix" --variable=libdir libkctl)
LD_LIBRARY_PATH=$libdir DYLD_LIBRARY_PATH=$libdir "$tmp/consumer"
echo "1 passed, 0 failed"
