#!/bin/sh
# KCTL_TRACE on an unchanged program: the kctl tool (native backend) run under
# `kctl-sim run` with the sample kext, its whole trace compared line by line.
# Usage: test_trace_kctl_sim.sh KCTL_SIM KCTL SAMPLE_SO OUTDIR
set -eu
kctl_sim=$1 kctl=$2 sample=$3 out=$4/trace_kctl_sim.log
rm -f "$out"
reply=$(KCTL_TRACE="$out" "$kctl_sim" run --kext "$sample" -- \
	"$kctl" request org.libkctl.sample 1 hello 2>/dev/null)
[ "$reply" = hello ] || { echo "FAIL: the request answered '$reply'"; exit 1; }
fd=$(sed -n '1s/.* = \([0-9]*\)$/\1/p' "$out")
[ -n "$fd" ] || { echo "FAIL: no socket line in the trace:"; cat "$out"; exit 1; }
# utun is registered first in kctl-sim's kernel (a Mac's), so the sample is id 2
sed "s/FD/$fd/g" >"$out.want" <<'WANT'
socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD
ioctl(FD, FIOCLEX) = 0
ioctl(FD, FIONBIO, [1]) = 0
setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0
ioctl(FD, CTLIOCGINFO, {ctl_name="org.libkctl.sample"} => {ctl_id=2}) = 0
close(FD) = 0
socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD
ioctl(FD, FIOCLEX) = 0
ioctl(FD, FIONBIO, [1]) = 0
setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0
connect(FD, {sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, sc_id=2, sc_unit=0}, 32) = 0
getpeername(FD, {sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, sc_id=2, sc_unit=1}, [32]) = 0
sendmsg(FD, 24 bytes [{REQUEST type=1 seq=1 len=21 "hello"}], 0) = 24
recvmsg(FD, 8192 bytes, 0) = 24 [{REPLY type=1 seq=1 len=21 "hello"}] msg_flags=MSG_EOR
close(FD) = 0
WANT
if ! diff -u "$out.want" "$out"; then
	echo "FAIL: the trace differs"
	exit 1
fi
echo "ok: $(wc -l <"$out") lines traced through kctl-sim run, as expected"
