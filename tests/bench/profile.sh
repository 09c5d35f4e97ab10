#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/profile.sh - where pcifs's time goes, for the targets run.sh
# reports as missed.  Same guest as run.sh (sourced), plus perf and strace
# from the host (Debian's linux-perf matches the guest's 6.1 kernel).
#
#   tests/bench/profile.sh [OUTDIR]
#
# In one boot:
#  1. FUSE round-trip cost: pread of regs/bar0/STATUS, TX one write per
#     frame and the echo client, with pcifs mounted multi-threaded (the
#     default), single-threaded (-s), and with max_idle_threads=8.
#     Then txbatch with 8/32/64 frames per write and 1/2 writers.
#  2. perf record -a -g (cpu-clock) during pcifs TX blasts (txbatch and one
#     write per frame), a pread loop and an AF_PACKET blast; perf report
#     --stdio, by comm/dso and by symbol.
#  3. strace -c -f on the daemon during a TX blast (syscalls per frame).
# Writes DIR/profile.txt (and the perf reports) and prints it.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_NO_MAIN=1
PCIFS_BENCH_OUT=$(mktemp -d /tmp/pcifs-profile-scratch.XXXXXX)
export PCIFS_BENCH_OUT
pout=${1:-$here/results/profile-$(date -u +%Y%m%dT%H%M%SZ)}
# shellcheck source=run.sh
. "$here/run.sh" ""
mkdir -p "$pout"
trap 'vm_stop; rm -rf "$VM_DIR" "$PCIFS_BENCH_OUT"' EXIT
export PCIFS_VM_EXTRA="$PCIFS_VM_EXTRA /usr/bin/perf /usr/bin/strace"
rep=$pout/profile.txt
: >"$rep"

say() { echo "$*" | tee -a "$rep" >&2; }

# remount OPTIONS...: remount pcifs on the pcifs NIC with extra options.
remount() {
	vm_run "fusermount3 -u /mnt/pcifs; for i in \$(seq 50); do pidof pcifs >/dev/null || break; sleep 0.1; done
setsid pcifs -f $* /mnt/pcifs -o devices=$BDF_PE1000,force </dev/null >/tmp/pcifs.log 2>&1 &
for i in \$(seq 50); do test -e $PCIFS_DIR/tx && exit 0; sleep 0.2; done; cat /tmp/pcifs.log; exit 1"
}

# round_trips LABEL: the three FUSE-bound measurements in this mount.
round_trips() {
	local l
	l=$(vm_run "bench-regs pread $PCIFS_DIR/regs/bar0/STATUS 0 32 5000" 2>&1)
	say "[$1] pread regs/bar0/STATUS: $l"
	l=$(vm_run "bench-tx -p pcifs:$PCIFS_DIR -l 60 -t 2 -T 9" 2>&1)
	say "[$1] tx 60 B one write/frame: $l"
	l=$(vm_run "bench-tx -p pcifs:$PCIFS_DIR -l 60 -t 2 -T 9 -j 4" 2>&1)
	say "[$1] tx 60 B 4 writers: $l"
	vm_run "bench-echo -p pcifs:$PCIFS_DIR -s 10.0.4.15 -g 10.0.4.2 -c 100 -i 20" \
		>"$pout/echo-$1.txt" 2>&1
	say "[$1] echo RTT us (n min median p99 max mean): $(awk 'NF == 2 && $2 != "lost" {print $2}' "$pout/echo-$1.txt" >"$pout/e.tmp"; stats "$pout/e.tmp")"
}

perf_during() {
	local name=$1
	shift
	vm_run -t 300 "perf record -q -a -g -e cpu-clock -o /tmp/perf.data -- $* >/dev/null 2>&1
perf report -i /tmp/perf.data --stdio --no-children --sort comm,dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
echo ----
perf report -i /tmp/perf.data --stdio --no-children --sort sym -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -60" \
		>"$pout/perf-$name.txt" 2>&1
	say "perf ($name): $pout/perf-$name.txt"
	head -n 25 "$pout/perf-$name.txt" >>"$rep"
}

main_profile() {
	bench_boot || exit 1
	[ "$have_pcifs" = 1 ] || { say "pcifs not usable"; exit 1; }
	vm_run "bench-echo -p pcifs:$PCIFS_DIR -s 10.0.4.15 -g 10.0.4.2 -c 3 >/dev/null"
	say "== 1. FUSE round trips by mount mode =="
	round_trips multithread
	say "kernel reference: $(vm_run "bench-tx -p packet:$IF_KE1000 -l 60 -t 2 -T 9" 2>&1)"
	remount -s && round_trips singlethread
	remount -o max_idle_threads=8 && round_trips idle8
	remount
	say "== 1b. txbatch: frames per write x parallel writers (60 B) =="
	say "kernel AF_PACKET send: $(vm_run "bench-tx -p packet:$IF_KE1000 -l 60 -t 2 -T 9" 2>&1)"
	for b in 8 32 64; do
		for j in 1 2; do
			say "[txbatch b=$b j=$j] $(vm_run "bench-tx -p pcifs:$PCIFS_DIR -l 60 -t 2 -T 9 -m framed -F txbatch -b $b -j $j" 2>&1)"
		done
	done
	say "== 2. perf =="
	perf_during txbatch-pcifs "bench-tx -p pcifs:$PCIFS_DIR -l 60 -t 3 -T 9 -m framed -F txbatch -b 32"
	perf_during tx-pcifs "bench-tx -p pcifs:$PCIFS_DIR -l 60 -t 3 -T 9"
	perf_during pread-pcifs "bench-regs pread $PCIFS_DIR/regs/bar0/STATUS 0 32 5000"
	perf_during tx-packet "bench-tx -p packet:$IF_KE1000 -l 60 -t 3 -T 9"
	say "== 3. strace -c of the daemon during 2 s of TX =="
	vm_run -t 120 "strace -c -f -o /tmp/strace.txt -p \$(pidof pcifs | tr ' ' ,) & s=\$!; sleep 1
bench-tx -p pcifs:$PCIFS_DIR -l 60 -t 2 -T 9; kill -INT \$s; wait \$s; cat /tmp/strace.txt" \
		>"$pout/strace-tx.txt" 2>&1
	cat "$pout/strace-tx.txt" >>"$rep"
	vm_stop
	cat "$rep"
}

main_profile
