#!/usr/bin/env bash
# Checks the sample kext as macOS kernel code without a Mac (called by
# scripts/darwin-check.sh as `kext-sample/darwin-check-kext.sh <path-to-darwin-check>`,
# with XNU_SRC exported): its sources and the frame codec it carries compile with
# -mkernel -DKERNEL against Apple's published headers (x86_64 and arm64), and every
# kernel symbol they use is exported by the KPI bundles bundle.conf declares in
# OSBundleLibraries. Exit status: darwin-check's (0 ok, 1 failure, 2 bad usage).
set -euo pipefail
tool=${1:?usage: darwin-check-kext.sh PATH-TO-DARWIN-CHECK}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

# "OSBundleLibraries = com.apple.kpi.bsd 8.0.0" lines -> com.apple.kpi.bsd,...
libs=$(sed -n 's/^[[:space:]]*OSBundleLibraries[[:space:]]*=[[:space:]]*\([^[:space:]]*\).*/\1/p' \
  "$here/bundle.conf" | paste -sd, -)
[[ -n $libs ]] || { echo "darwin-check-kext.sh: no OSBundleLibraries in bundle.conf" >&2; exit 1; }

cd "$root"
sources=(kext-sample/sample_*.c lib/frame/frame.c lib/frame/attr.c)
# - XNU_PLATFORM_MacOSX: xnu's build resolves it when it installs the SDK's headers
#   (makedefs/MakeInc.def, PLATFORM_UNIFDEF); raw xnu sources need it defined, or
#   <libkern/OSMalloc.h> declares nothing.
# - The network KPIs (mbuf_*) are marked deprecated since macOS 10.15.4: still exported
#   and the only way for a kern_control kext to read its input, so not an error here.
exec "$tool" kpi --libs "$libs" "${sources[@]}" -- -I include -I kext-sample \
  -DXNU_PLATFORM_MacOSX=1 -Werror -Wextra -Wno-deprecated-declarations
