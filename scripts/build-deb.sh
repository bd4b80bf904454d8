#!/bin/sh
# Builds libkctl's Debian packages (debian/) from a copy of this tree, so that neither
# the build folder nor the packages land in the tree or beside it, then checks them
# with lintian: any error fails; warnings are printed.
#   scripts/build-deb.sh [OUTDIR]     OUTDIR: where the .deb files go (build-deb/)
# Needs what `scripts/deps.sh --deb` installs. DEB_BUILD_OPTIONS is passed on
# (nocheck skips the test suites, which make check runs anyway).
set -eu
cd "$(dirname "$0")/.."
out=${1:-build-deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

version=$(dpkg-parsechangelog -S Version)
src=$tmp/libkctl-$version
mkdir "$src"
# the tree as git knows it, uncommitted changes included; build folders left out
git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\n" "$f"; done' sh |
	tar -cf - -T - | tar -xf - -C "$src"

echo "== dpkg-buildpackage -us -uc -b (libkctl $version), log in $out/build.log"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 100 "$out/build.log"
	echo "dpkg-buildpackage failed (the whole log: $out/build.log)"
	exit 1
fi
# what the build's test suites said (none with DEB_BUILD_OPTIONS=nocheck)
sed -n '/^Ok:/,/^Timeout:/p' "$out/build.log"

changes=$(ls "$tmp"/libkctl_"$version"_*.changes)
rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes # a previous run's
cp "$tmp"/*.deb "$tmp"/*.buildinfo "$changes" "$out"/
echo "== lintian (errors fail; warnings and info are listed)"
status=0
lintian --fail-on error --display-info --tag-display-limit 0 "$changes" \
	>"$out/lintian.txt" 2>&1 || status=$?
cat "$out/lintian.txt"
n_err=$(grep -c '^E: ' "$out/lintian.txt" || true)
n_warn=$(grep -c '^W: ' "$out/lintian.txt" || true)
echo "lintian: $n_err errors, $n_warn warnings ($out/lintian.txt)"
[ $status = 0 ] || exit $status
echo "== the packages, unpacked and used (tests/debian/smoke.sh)"
sh tests/debian/smoke.sh "$tmp" .
ls "$out"/*.deb
