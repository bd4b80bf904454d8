#!/bin/sh
# Installs what building and testing libkctl needs, when it is missing: apt-get on
# Debian/Ubuntu when run as root, Homebrew on macOS; otherwise prints the command.
#   scripts/deps.sh        meson, ninja, pkg-config, cmocka, a C compiler, python3 (and pip), cargo
#   scripts/deps.sh --demo only what `make demo` needs: the build (meson configures the
#                          tests too, so cmocka), not pip, cargo or mandoc
#   scripts/deps.sh --ci   also clang and valgrind (the CI's sanitizer and leak runs)
#   scripts/deps.sh --deb  what scripts/build-deb.sh needs: debian/control's build
#                          dependencies, dpkg-dev and lintian (Debian only)
#   scripts/deps.sh --bench  what `make demo` needs, and libmnl (the codec's yardstick)
#                          and valgrind (instruction counts): `make bench`
# It says what it is about to install, and why, before it does.
set -eu
ci=0 demo=0 bench=0 deb=0
[ "${1:-}" = "--ci" ] && ci=1
[ "${1:-}" = "--demo" ] && demo=1
[ "${1:-}" = "--deb" ] && deb=1
[ "${1:-}" = "--bench" ] && bench=1 demo=1

missing_deb=""
need() { # command-or-check debian-package
	if ! eval "$1" >/dev/null 2>&1; then missing_deb="$missing_deb $2"; fi
}
need "command -v meson" meson
need "command -v ninja" ninja-build
need "command -v pkg-config" pkg-config
need "command -v python3" python3
need "command -v ${CC:-cc}" "$( [ "${CC:-cc}" = clang ] && echo clang || echo gcc)"
need "pkg-config --exists cmocka" libcmocka-dev
if [ $demo = 0 ]; then
	need "python3 -m pip --version" python3-pip # bindings/python installs with pip
	need "command -v cargo" cargo # the Rust binding's tests (Debian 12: rustc 1.63)
	need "command -v mandoc" mandoc # the manuals' lint (tests/cli)
fi
if [ $ci = 1 ]; then
	need "command -v clang" clang
	need "command -v valgrind" valgrind
	need "command -v cppcheck" cppcheck
	need "command -v clang-tidy" clang-tidy
fi
if [ $deb = 1 ]; then
	need "command -v dpkg-buildpackage" dpkg-dev
	need "command -v lintian" lintian
	# debian/control's Build-Depends, as dpkg-checkbuilddeps reads them
	need "dpkg-checkbuilddeps debian/control" "debhelper dh-python python3-all \
pybuild-plugin-pyproject python3-build python3-installer libcmocka-dev mandoc"
fi
if [ $bench = 1 ]; then
	need "pkg-config --exists libmnl" libmnl-dev
	need "command -v valgrind" valgrind
fi
[ -z "$missing_deb" ] && exit 0
what="make check"
[ $demo = 1 ] && what="make demo"
[ $bench = 1 ] && what="make bench"
[ $ci = 1 ] && what="the CI"
[ $deb = 1 ] && what="scripts/build-deb.sh"

if [ "$(uname -s)" = Darwin ]; then
	brew_pkgs=$(echo "$missing_deb" | sed 's/ninja-build/ninja/; s/libcmocka-dev/cmocka/; s/cargo/rust/; s/python3-pip//; s/gcc//; s/clang//; s/valgrind//; s/libmnl-dev//')
	if command -v brew >/dev/null 2>&1; then
		echo "deps: about to install, for $what: brew install$brew_pkgs"
		exec brew install $brew_pkgs
	fi
	echo "deps: missing:$brew_pkgs; install Homebrew, then: brew install$brew_pkgs" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: about to install, for $what (apt-get, as root):$missing_deb"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing_deb
	exit 0
fi
echo "deps: missing, for $what:$missing_deb" >&2
echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing_deb" >&2
exit 1
