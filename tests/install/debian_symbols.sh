#!/bin/sh
# The Debian symbols files (debian/*.symbols) list exactly what each library exports,
# with its version node: a function added to a header (and so exported) without its
# line there fails here, in make check, not only in the CI's package build (where
# dh_makeshlibs -c4 fails on any difference too). ELF only (nm -D).
#   debian_symbols.sh BUILD SRC
set -eu
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
for symbols in "$src"/debian/*.symbols; do
	soname=$(awk 'NR == 1 { print $1 }' "$symbols")
	lib=$(find "$build/lib" -name "$soname" | head -n 1)
	if [ -z "$lib" ]; then
		echo "FAIL: $(basename "$symbols"): $soname is not built"
		failn=$((failn + 1))
		continue
	fi
	sed -n 's/^ \([^ ]*\) .*/\1/p' "$symbols" | sort >"$tmp/listed"
	# name@@NODE -> name@NODE; a version node (A NODE) -> NODE@NODE; unversioned -> @Base
	nm -D --defined-only "$lib" | awk '
		$2 == "A" { print $3 "@" $3; next }
		$2 ~ /^[TDBRVW]$/ { n = $3; sub(/@@/, "@", n); if (n !~ /@/) n = n "@Base"; print n }' |
		sort >"$tmp/exported"
	if diff "$tmp/listed" "$tmp/exported" >"$tmp/diff"; then
		echo "ok: $(basename "$symbols") lists the $(wc -l <"$tmp/exported") symbols $soname exports"
		pass=$((pass + 1))
	else
		echo "FAIL: $(basename "$symbols") differs from what $soname exports (< listed, > exported):"
		grep '^[<>]' "$tmp/diff"
		failn=$((failn + 1))
	fi
done
echo "$pass passed, $failn failed"
[ $failn = 0 ]
