#!/bin/sh
# Installs the build into a scratch folder, then checks that libkctl's Clang modules work
# from the installed tree alone: user.c (C, `#pragma clang module import`) and an
# Objective-C `@import CKctl;` (the lookup Swift's `import CKctl` does) compile with
# -fmodules and -I <includedir> only, the module files are really built, a plain
# `#include <kctl.h>` maps to the module given -fmodule-map-file, and user.c runs.
set -eu
build=$1 src=$2 clang=$3 extra=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
map=$(find "$tmp/root" -path '*/CKctl/module.modulemap' | head -n 1)
[ -n "$map" ] || fail "no CKctl/module.modulemap installed"
inc=$(dirname "$(dirname "$map")")
[ -f "$inc/kctl.h" ] || fail "the module map is not beside the headers ($inc)"
lib=$(dirname "$(find "$tmp/root" -name 'libkctl.so*' -o -name 'libkctl*.dylib' | head -n 1)")
passed=0

# 1. C, importing both modules by name
# shellcheck disable=SC2086
"$clang" -std=c11 -Wall -Wextra -Werror $extra -fmodules -fmodules-cache-path="$tmp/mc" \
	-I "$inc" -o "$tmp/user" "$src/bindings/modulemap/user.c" -L "$lib" -lkctl -lkctl-sim
for m in CKctl CKctlSim; do
	find "$tmp/mc" -name "$m-*.pcm" | grep -q . || fail "module $m was not built"
done
out=$(LD_LIBRARY_PATH=$lib DYLD_LIBRARY_PATH=$lib "$tmp/user") || fail "user.c failed: $out"
echo "$out"
echo "$out" | grep -q 'echoed "module" (name max 96, frame of 5 bytes: 24' || fail "unexpected output"
passed=$((passed + 1))

# 2. Objective-C @import, found by module name under -I as Swift's importer finds it
printf '@import CKctl;\nint main(void) { return kctl_name_check("org.x") == 0 ? 0 : 1; }\n' > "$tmp/objc.m"
# shellcheck disable=SC2086
"$clang" -x objective-c -Wall -Werror $extra -fmodules -fmodules-cache-path="$tmp/mc2" \
	-I "$inc" -o "$tmp/objc" "$tmp/objc.m" -L "$lib" -lkctl
LD_LIBRARY_PATH=$lib DYLD_LIBRARY_PATH=$lib "$tmp/objc" || fail "@import CKctl program failed"
passed=$((passed + 1))

# 3. a textual #include becomes a module import with the map named
printf '#include <kctl.h>\nint main(void) { return kctl_name_check("") == -22 ? 0 : 1; }\n' > "$tmp/inc.c"
# shellcheck disable=SC2086
"$clang" -std=c11 -Wall -Werror $extra -fmodules -fmodules-cache-path="$tmp/mc3" \
	-fmodule-map-file="$map" -I "$inc" -c -o "$tmp/inc.o" "$tmp/inc.c"
find "$tmp/mc3" -name 'CKctl-*.pcm' | grep -q . || fail "#include <kctl.h> did not use the module"
passed=$((passed + 1))

echo "$passed passed, 0 failed"
