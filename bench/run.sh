#!/bin/sh
# make bench: runs every benchmark of a release build tree (argument 1) and says what it
# could not run and why. Figures are ratios against baselines measured in the same run.
set -u
dir=${1:-build-bench}/bench
status=0
echo "make bench: $(uname -sm), $(nproc) cores, $(date -u +%Y-%m-%d)"
command -v valgrind >/dev/null 2>&1 ||
	echo "(no valgrind: instruction counts are not taken; scripts/deps.sh --bench installs it)"
for b in bench_request bench_codec bench_stream bench_scale bench_memory bench_threads \
	bench_floor; do
	echo
	if [ ! -x "$dir/$b" ]; then
		case $b in
		bench_codec) echo "$b: not built: libmnl not found (scripts/deps.sh --bench installs libmnl-dev)" ;;
		*) echo "$b: not built on this system" ;;
		esac
		continue
	fi
	"$dir/$b" || { echo "$b: FAILED (exit $?)"; status=1; }
done
exit $status
