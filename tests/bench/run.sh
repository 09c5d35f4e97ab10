#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/run.sh [--quick] - pcifs against the kernel paths, in one boot.
#
# Boots ONE TCG guest (tests/test_helper/vm.bash) with three NICs, each on
# its own user-network (slirp) subnet, and measures issue 5:
#   00:03.0 virtio-net-pci  10.0.2.15 -> gw 10.0.2.2  kernel virtio_net
#   00:04.0 e1000           10.0.3.15 -> gw 10.0.3.2  kernel e1000 driver
#   00:05.0 e1000           10.0.4.15 -> gw 10.0.4.2  pcifs's own driver
# Each NIC sits on a QEMU hub with its slirp netdev and a dgram netdev (the
# host injects frames through it with tests/tools/wire); a filter-dump on
# the dgram port records (first 64 bytes of) every frame that leaves the
# guest, which is how TX is counted on the host side.
#
#  1. ping RTT to each gateway: busybox `ping` on virtio-net and on the
#     kernel e1000, bench-echo over pcifs tx/rx, write then read ("pcifs")
#     with a read kept posted by a reader thread ("pcifs-posted"), with one
#     PCIFS_IOC_XCHG ioctl per echo ("pcifs-xchg"), and
#     bench-echo over AF_PACKET on the kernel e1000 (same client, kernel
#     path).
#  2. TX frames/s for 60-byte (64 on the wire) and 1514-byte frames:
#     AF_PACKET send() and sendmmsg() on the kernel e1000; pcifs one write
#     per frame, writev, 4 parallel writers, and the batched queue file
#     ($PCIFS_BENCH_TXB, default txbatch) with 32, 64 and 256 frames per write
#     if pcifs has one.  Counted on the host.
#  3. RX: the host injects N frames at increasing rates; bench-rx counts
#     them on AF_PACKET (kernel e1000), on pcifs rx, and on a batched
#     queue file ($PCIFS_BENCH_RXB, default rxbatch) if pcifs has one.
#  4. register ops/s: pread regs/bar0/STATUS and bar0@8 on an open fd vs an
#     mmap load of resource0@8; per process: cat regs/config/COMMAND vs
#     setpci, cat regs/bar0/STATUS vs busybox devmem.  And the floor of
#     every FUSE call: pipe round trips to another process (and thread).
#     In the ping rounds, the same at the echo interval ("pipe"), and one
#     FUSE request alone: a non-blocking read of the silent rx ("fuse").
#  VFIO rows (PCIFS_BENCH_VFIO=1, the default): the guest gets an emulated
#  IOMMU (q35, intel_iommu=on iommu=pt: the other devices keep identity
#  DMA, so the pagemap path still works) and a fourth NIC
#   00:06.0 e1000           10.0.5.15 -> gw 10.0.5.2  pcifs through VFIO
#  bound to vfio-pci and driven by the same pcifs: ping ("vfio"), one
#  write per frame TX ("vfio-write"), RX ("vfio") and a blocked reader's
#  CPU ("idle-reader-vfio", on the eventfd interrupt).
#  Event loops and the floor: bench-echo on pcifs waiting in poll() and in
#  epoll_wait() before each read ("pcifs-poll", "pcifs-epoll"), and the
#  same client with pcifs's driver linked in, driving its own NIC with no
#  FUSE and no kernel ("floor", netio's driver:BDF):
#   00:09.0 e1000           10.0.8.15 -> gw 10.0.8.2  bench-echo's own driver
#  82574L rows (PCIFS_BENCH_E1000E=1, the default): two e1000e NICs
#   00:07.0 e1000e          10.0.6.15 -> gw 10.0.6.2  kernel e1000e driver
#   00:08.0 e1000e          10.0.7.15 -> gw 10.0.7.2  pcifs's own driver
#  with ping (busybox ping on the kernel e1000e; bench-echo write-then-read
#  and PCIFS_IOC_XCHG on pcifs), TX (AF_PACKET send on the kernel e1000e;
#  pcifs one write per frame and txbatch 256) and RX (AF_PACKET; pcifs rx
#  and rxbatch), against the same model under its kernel driver.
#  5. daemon RSS and CPU from /proc: idle, idle with a reader blocked on
#     rx (the driver polls the ring then), the same with uio_pci_generic
#     bound (the reader sleeps on the NIC's interrupt; measured last, as it
#     remounts), and during a TX blast.
#
# Output: tests/bench/results/<UTC timestamp>/ with results.json (every raw
# sample), summary.md (the ratio table, also printed), bench.png (gnuplot:
# RTT CDF per path, TX bars, RX received/injected), and the guest's logs.
# --quick: short runs (CI, < 3 minutes); exit 0 only if every path produced
# numbers.  The full run also exits 1 when a path produced none.
# Env: PCIFS_BENCH_OUT (results root), PCIFS_BENCH_TXB/RXB (batched queue
# file names), plus vm.bash's PCIFS_VM_* variables (PCIFS_VM_PCIFS: the
# pcifs binary to measure).
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench=$top/tests/bench
quick=0
case ${1:-} in
--quick) quick=1 ;;
"") ;;
*) echo "usage: $0 [--quick]" >&2 && exit 2 ;;
esac

if [ "$quick" = 1 ]; then
	ECHOES=200 INTERVAL_MS=20 PING_ROUNDS=2 TX_SECS=1 TX_ROUNDS=6 RX_N=2000
	RX_RATES="2000 10000"
	REG_N=2000 MMAP_N=100000 SPAWN_N=30 REPS=2 IDLE_SECS=5
else
	ECHOES=200 INTERVAL_MS=100 PING_ROUNDS=10 TX_SECS=4 TX_ROUNDS=10 RX_N=10000
	RX_RATES="1000 2000 5000 10000 20000 50000"
	REG_N=20000 MMAP_N=1000000 SPAWN_N=200 REPS=5 IDLE_SECS=20
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${PCIFS_BENCH_OUT:-$bench/results}/$stamp
mkdir -p "$out/raw"
export VM_DIR
VM_DIR=$(mktemp -d /tmp/pcifs-bench.XXXXXX)
# shellcheck source=../test_helper/vm.bash
. "$top/tests/test_helper/vm.bash"

log() { echo "bench: $*" >&2; }

cleanup() {
	vm_stop
	[ -f "$VM_DIR/console.log" ] && cp "$VM_DIR/console.log" "$out/"
	[ -f "$VM_DIR/qemu.cmdline" ] && cp "$VM_DIR/qemu.cmdline" "$out/"
	rm -rf "$VM_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

SLOT_VIRTIO=3 SLOT_KE1000=4 SLOT_PE1000=5 SLOT_VE1000=6
BDF_PE1000=$(vm_bdf $SLOT_PE1000)
PCIFS_DIR=/mnt/pcifs/$BDF_PE1000
BDF_VE1000=$(vm_bdf $SLOT_VE1000)
VFIO_DIR=/mnt/pcifs/$BDF_VE1000
VFIO=${PCIFS_BENCH_VFIO:-1} have_vfio=0
SLOT_KE1000E=7 SLOT_PE1000E=8 SLOT_FLOOR=9
BDF_FLOOR=$(vm_bdf $SLOT_FLOOR)
BDF_PE1000E=$(vm_bdf $SLOT_PE1000E)
E1000E_DIR=/mnt/pcifs/$BDF_PE1000E
E1000E=${PCIFS_BENCH_E1000E:-1} have_e1000e=0
if [ "$VFIO" = 1 ]; then
	export PCIFS_VM_IOMMU=1
	export PCIFS_VM_APPEND="${PCIFS_VM_APPEND:-} iommu=pt"
fi
GUEST_SRC_MAC=02:00:00:00:00:02 # what the host's injected frames claim

# ---- host side: tools, QEMU arguments ----

make -s -C "$bench" >&2 || exit 1
WIRE=$(vm_wire) || exit 1
tools=()
for t in bench-echo bench-tx bench-rx bench-regs; do
	tools+=("$bench/bin/$t")
done
export PCIFS_VM_EXTRA="${tools[*]}"
have_pcifs=0
[ -x "${PCIFS_VM_PCIFS:-$top/pcifs}" ] && have_pcifs=1
# Batched queue files (fs/nic.c txbatch/rxbatch), measured when the mounted
# pcifs has them: one write/read carries several frames, each a 4-byte
# big-endian length and the frame.
TXB=${PCIFS_BENCH_TXB:-txbatch} RXB=${PCIFS_BENCH_RXB:-rxbatch}
have_txb=0 have_rxb=0

# nic_args SLOT MODEL NET: the NIC on hub SLOT, with a slirp netdev on NET
# and a dgram netdev (host injection), filter-dump on the dgram side.
nic_args() {
	local s=$1 model=$2 net=$3 mac gp hp
	mac=$(vm_mac "$s")
	gp=$(_vm_free_udp_port)
	hp=$(_vm_free_udp_port)
	echo "$gp" >"$VM_DIR/nic-$s.guestport"
	printf '%s\n' \
		-netdev "user,id=u$s,net=$net" \
		-netdev "dgram,id=d$s,local.type=inet,local.host=127.0.0.1,local.port=$gp,remote.type=inet,remote.host=127.0.0.1,remote.port=$hp" \
		-object "filter-dump,id=f$s,netdev=d$s,file=$VM_DIR/nic-$s.pcap,maxlen=64" \
		-netdev "hubport,id=hu$s,hubid=$s,netdev=u$s" \
		-netdev "hubport,id=hd$s,hubid=$s,netdev=d$s" \
		-netdev "hubport,id=n$s,hubid=$s" \
		-device "$model,netdev=n$s,mac=$mac,addr=$(printf '0x%x' "$s")"
}

# ---- statistics helpers ----

# stats FILE: "n min median p99 max mean" of one number per line
# (nearest-rank percentiles).
stats() {
	sort -g "$1" | awk '{v[NR] = $1; s += $1}
	function rank(p,  r) { r = int(p * NR + 0.999999); return v[r < 1 ? 1 : r] }
	END { if (NR == 0) { print "0 - - - - -"; exit }
	      printf "%d %.1f %.1f %.1f %.1f %.1f\n", NR, v[1], rank(0.5),
	             rank(0.99), v[NR], s / NR }'
}

# field KEY LINE: the value of KEY=VALUE in LINE.
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# Every result goes to one "kind key value" line of $out/raw/metrics.
metric() { echo "$*" >>"$out/raw/metrics"; }

# guest_run [-t SECS] SCRIPT: where the ping, TX and RX runs below run:
# vm_run (this guest), or $BENCH_GUEST (vm-bypass.sh: the nested guest).
guest_run() { "${BENCH_GUEST:-vm_run}" "$@"; }

# ---- guest setup ----

guest_setup() {
	vm_run "set -e
modprobe e1000
# virtio-net's interface hangs below its virtio device.
ifname() {
	for d in /sys/bus/pci/devices/\$1/net /sys/bus/pci/devices/\$1/virtio*/net; do
		[ -d \$d ] && ls \$d
	done; true
}
v=\$(ifname $(vm_bdf $SLOT_VIRTIO)); k=\$(ifname $(vm_bdf $SLOT_KE1000))
# The kernel e1000 probed every e1000: give the others back to pcifs.
echo $BDF_PE1000 >/sys/bus/pci/drivers/e1000/unbind
echo $BDF_FLOOR >/sys/bus/pci/drivers/e1000/unbind
if [ $VFIO = 1 ]; then
	echo $BDF_VE1000 >/sys/bus/pci/drivers/e1000/unbind
	modprobe vfio-pci; modprobe vfio_iommu_type1
	echo vfio-pci >/sys/bus/pci/devices/$BDF_VE1000/driver_override
	echo $BDF_VE1000 >/sys/bus/pci/drivers_probe
fi
ip addr add 10.0.2.15/24 dev \$v; ip link set \$v up
ip addr add 10.0.3.15/24 dev \$k; ip link set \$k up
echo \$v >/tmp/if.virtio; echo \$k >/tmp/if.ke1000
if [ $E1000E = 1 ]; then
	modprobe e1000e
	echo $BDF_PE1000E >/sys/bus/pci/drivers/e1000e/unbind
	k=\$(ifname $(vm_bdf $SLOT_KE1000E))
	ip addr add 10.0.6.15/24 dev \$k; ip link set \$k up
	echo \$k >/tmp/if.ke1000e
fi
sleep 1" || return 1
	IF_VIRTIO=$(vm_run 'cat /tmp/if.virtio')
	IF_KE1000=$(vm_run 'cat /tmp/if.ke1000')
	log "virtio-net is $IF_VIRTIO, kernel e1000 is $IF_KE1000"
	if [ "$E1000E" = 1 ]; then
		IF_KE1000E=$(vm_run 'cat /tmp/if.ke1000e')
		log "kernel e1000e is $IF_KE1000E"
	fi
	[ "$have_pcifs" = 1 ] || { log "no ./pcifs built: pcifs paths skipped"; return 0; }
	# force: bar0 reads are allowed while pcifs drives the NIC (the
	# register benchmark reads STATUS through bar0; nothing is written).
	local devs=$BDF_PE1000
	[ "$VFIO" = 1 ] && devs+=:$BDF_VE1000
	[ "$E1000E" = 1 ] && devs+=:$BDF_PE1000E
	vm_run "setsid pcifs -f /mnt/pcifs -o devices=$devs,force \
		</dev/null >/tmp/pcifs.log 2>&1 &
for i in \$(seq 50); do grep -q ' /mnt/pcifs ' /proc/mounts && break; sleep 0.2; done
grep -q ' /mnt/pcifs ' /proc/mounts || { cat /tmp/pcifs.log; exit 1; }
ls $PCIFS_DIR; cat $PCIFS_DIR/info
[ $VFIO = 1 ] && cat $VFIO_DIR/info; true" >"$out/raw/pcifs-tree.txt" 2>&1 ||
		{ log "pcifs did not mount: $(tail -3 "$out/raw/pcifs-tree.txt")"; have_pcifs=0; return 0; }
	vm_run "test -e $PCIFS_DIR/$TXB" && have_txb=1
	vm_run "test -e $PCIFS_DIR/$RXB" && have_rxb=1
	log "batched queue files: $TXB $([ $have_txb = 1 ] && echo present || echo absent), $RXB $([ $have_rxb = 1 ] && echo present || echo absent)"
	if [ "$VFIO" = 1 ] && vm_run "test -e $VFIO_DIR/tx"; then
		have_vfio=1
	elif [ "$VFIO" = 1 ]; then
		log "no VFIO rows: $(grep -A3 "^slot: $BDF_VE1000" "$out/raw/pcifs-tree.txt" | tail -1)"
	fi
	# Asked for: report.sh then wants its numbers.
	[ "$E1000E" = 1 ] && echo e1000e >"$out/raw/e1000e"
	if [ "$E1000E" = 1 ] && vm_run "test -e $E1000E_DIR/tx"; then
		have_e1000e=1
	elif [ "$E1000E" = 1 ]; then
		log "no 82574L rows: $(grep -A3 "^slot: $BDF_PE1000E" "$out/raw/pcifs-tree.txt" | tail -1)"
	fi
	if ! vm_run "test -e $PCIFS_DIR/tx && test -e $PCIFS_DIR/rx"; then
		log "pcifs mounted but $PCIFS_DIR has no tx/rx: $(grep pcifs_driver "$out/raw/pcifs-tree.txt")"
		have_pcifs=0
	fi
}

# ---- 1. ping RTT ----

# ping_kernel NAME GW N: N echoes of busybox ping through the kernel stack,
# appended to rtt-NAME.txt.
ping_kernel() {
	local name=$1 gw=$2 f=$out/raw/rtt-$1.txt
	guest_run -t 600 "ping -c $3 -i $(awk "BEGIN{print $INTERVAL_MS/1000}") -W 2 $gw" \
		>>"$out/raw/ping-$name.log" 2>&1
	sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' "$out/raw/ping-$name.log" |
		awk '{printf "%.3f\n", $1 * 1000}' >"$f"
}

# ping_echo NAME SPEC SRC GW N [-P|-X]: N echoes of bench-echo over a raw
# path, appended to rtt-NAME.txt.
ping_echo() {
	local name=$1 f=$out/raw/rtt-$1.txt
	guest_run -t 600 "bench-echo -p $2 -s $3 -g $4 -c $5 -i $INTERVAL_MS ${6:-}" \
		>>"$out/raw/ping-$name.log" 2>&1
	awk '$2 != "lost" && NF == 2 && $1 ~ /^[0-9]+$/ {print $2}' \
		"$out/raw/ping-$name.log" >"$f"
}

# ping_local NAME COMMAND: a round-trip client in the guest that prints
# "SEQ RTT_US" lines like bench-echo, appended to rtt-NAME.txt.
ping_local() {
	vm_run -t 600 "$2" >>"$out/raw/ping-$1.log" 2>&1
	awk 'NF == 2 && $1 ~ /^[0-9]+$/ {print $2}' "$out/raw/ping-$1.log" \
		>"$out/raw/rtt-$1.txt"
}

# ping_pipe N: N one-byte round trips to another process over pipes at the
# echo interval ("pipe"): the least any request to a daemon costs.
ping_pipe() {
	ping_local pipe "bench-regs pingrtt $1 $INTERVAL_MS"
}

# ping_fuse N: N non-blocking reads of the silent pcifs NIC's rx at the
# echo interval ("fuse"): what one FUSE request costs pcifs, with the
# driver's work a look at one descriptor.
ping_fuse() {
	ping_local fuse "bench-regs readrtt $PCIFS_DIR/rx $1 $INTERVAL_MS"
}

# ping_round N: N echoes on every path, one path after the other.
ping_round() {
	ping_kernel virtio 10.0.2.2 "$1"
	ping_kernel ke1000 10.0.3.2 "$1"
	ping_echo ke1000-packet "packet:$IF_KE1000" 10.0.3.15 10.0.3.2 "$1"
	[ "$have_pcifs" = 1 ] || return 0
	ping_echo pcifs "pcifs:$PCIFS_DIR" 10.0.4.15 10.0.4.2 "$1"
	ping_echo pcifs-posted "pcifs:$PCIFS_DIR" 10.0.4.15 10.0.4.2 "$1" -P
	ping_echo pcifs-xchg "pcifs:$PCIFS_DIR" 10.0.4.15 10.0.4.2 "$1" -X
	ping_echo pcifs-poll "pcifs:$PCIFS_DIR" 10.0.4.15 10.0.4.2 "$1" "-w poll"
	ping_echo pcifs-epoll "pcifs:$PCIFS_DIR" 10.0.4.15 10.0.4.2 "$1" "-w epoll"
	ping_echo floor "driver:$BDF_FLOOR" 10.0.8.15 10.0.8.2 "$1"
	ping_pipe "$1"
	ping_fuse "$1"
	if [ "$have_e1000e" = 1 ]; then
		ping_kernel ke1000e 10.0.6.2 "$1"
		ping_echo e1000e "pcifs:$E1000E_DIR" 10.0.7.15 10.0.7.2 "$1"
		ping_echo e1000e-xchg "pcifs:$E1000E_DIR" 10.0.7.15 10.0.7.2 "$1" -X
	fi
	[ "$have_vfio" = 1 ] || return 0
	ping_echo vfio "pcifs:$VFIO_DIR" 10.0.5.15 10.0.5.2 "$1"
}

# ping_rounds ROUND PATH...: the paths take turns, PING_ROUNDS calls of the
# function ROUND with ECHOES/PING_ROUNDS echoes each, so that the host's
# load, which drifts over minutes, weighs on all of them alike; one
# warm-up call of 3 echoes is not counted.  Then each PATH's statistics.
ping_rounds() {
	local r p round=$1
	shift
	log "ping: $ECHOES echoes per path every $INTERVAL_MS ms, in $PING_ROUNDS rounds"
	"$round" 3 >/dev/null
	rm -f "$out"/raw/rtt-*.txt "$out"/raw/ping-*.log
	for r in $(seq "$PING_ROUNDS"); do
		"$round" $((ECHOES / PING_ROUNDS))
	done
	for p in "$@"; do
		[ -f "$out/raw/rtt-$p.txt" ] || continue
		metric rtt "$p" "$(stats "$out/raw/rtt-$p.txt")"
		log "  rtt $p (n min median p99 max mean, us): $(stats "$out/raw/rtt-$p.txt")"
	done
}

bench_ping() {
	ping_rounds ping_round virtio ke1000 ke1000-packet pcifs pcifs-posted \
		pcifs-xchg vfio pcifs-poll pcifs-epoll floor pipe fuse ke1000e e1000e e1000e-xchg
}

# ---- 2. TX ----

TAG=256 # TX tags 0x100.., RX tags 0x10000..

# tx_run NAME SLOT SPEC LEN ARGS...: blast in the guest for TX_SECS (or
# TX_RUN_SECS); host counts later.
tx_run() {
	local name=$1 slot=$2 spec=$3 len=$4 line
	shift 4
	TAG=$((TAG + 1))
	line=$(guest_run -t 120 "bench-tx -p $spec -l $len -t ${TX_RUN_SECS:-$TX_SECS} -T $TAG $*" 2>&1 | tail -n 1)
	echo "$name $len $slot $TAG $line" >>"$out/raw/tx-guest.txt"
	log "  tx $name len $len: guest says $line"
}

# CPU time in ns of every thread of every pcifs process (schedstat: the
# clock ticks of /proc/PID/stat, 10 ms each, are too coarse for a blocked
# reader's fraction of a percent), and their RSS.
PCIFS_PROC='t=0; r=0; for p in $(pidof pcifs); do
for s in /proc/$p/task/*/schedstat; do read -r ns _ <$s; t=$((t + ns)); done
r=$((r + $(awk "/^VmRSS/ {print \$2}" /proc/$p/status))); done
echo "cpu_ns=$t rss_kb=$r uptime=$(cut -d" " -f1 /proc/uptime) pids=$(pidof pcifs | tr " " ,)"'

# cpu_window NAME SECONDS [COMMAND]: pcifs CPU use while COMMAND runs (or
# while idle for SECONDS).
cpu_window() {
	local name=$1 secs=$2 cmd=${3:-"sleep $2"} a b
	a=$(vm_run "$PCIFS_PROC")
	vm_run -t 300 "$cmd" >/dev/null 2>&1
	b=$(vm_run "$PCIFS_PROC")
	echo "$name before $a" >>"$out/raw/cpu.txt"
	echo "$name after $b" >>"$out/raw/cpu.txt"
	awk -v n="$name" -v t0="$(field cpu_ns "$a")" -v t1="$(field cpu_ns "$b")" \
		-v u0="$(field uptime "$a")" -v u1="$(field uptime "$b")" \
		-v rss="$(field rss_kb "$b")" 'BEGIN {
		pct = (t1 - t0) / 1e9 / (u1 - u0) * 100
		printf "%s %.2f %d %.1f\n", n, pct, rss, u1 - u0 }' >>"$out/raw/cpu-summary.txt"
}

# tx_write_rounds LEN: one write per frame on the pagemap NIC and, when
# there is one, on the VFIO NIC, in TX_ROUNDS pairs of 1 s runs,
# the two NICs taking turns to go first (ABBA), so that the host's
# drifting load weighs on both alike; report.sh takes the median of the
# pairs' ratios.
tx_write_rounds() {
	local len=$1 r TX_RUN_SECS=1
	local pm=(pcifs-write "$SLOT_PE1000" "pcifs:$PCIFS_DIR" "$len" -m write)
	local vf=(vfio-write "$SLOT_VE1000" "pcifs:$VFIO_DIR" "$len" -m write)
	[ "$have_vfio" = 1 ] || { TX_RUN_SECS=$TX_SECS tx_run "${pm[@]}"; return 0; }
	for r in $(seq "$TX_ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then
			tx_run "${pm[@]}" && tx_run "${vf[@]}"
		else
			tx_run "${vf[@]}" && tx_run "${pm[@]}"
		fi
	done
}

bench_tx() {
	local len k=$SLOT_KE1000 p=$SLOT_PE1000
	log "tx: $TX_SECS s per run, counted where frames leave QEMU (filter-dump)"
	for len in 60 1514; do
		tx_run ke1000-send $k "packet:$IF_KE1000" $len -m write
		tx_run ke1000-sendmmsg $k "packet:$IF_KE1000" $len -m sendmmsg -b 32
		[ "$have_pcifs" = 1 ] || continue
		tx_write_rounds $len
		tx_run pcifs-writev8 $p "pcifs:$PCIFS_DIR" $len -m writev -b 8
		tx_run pcifs-write-j4 $p "pcifs:$PCIFS_DIR" $len -m write -j 4
		[ "$have_txb" = 1 ] || continue
		tx_run pcifs-$TXB-32 $p "pcifs:$PCIFS_DIR" $len -m framed -b 32 -F "$TXB"
		tx_run pcifs-$TXB-64 $p "pcifs:$PCIFS_DIR" $len -m framed -b 64 -F "$TXB"
		tx_run pcifs-$TXB-256 $p "pcifs:$PCIFS_DIR" $len -m framed -b 256 -F "$TXB"
	done
	[ "$have_e1000e" = 1 ] || return 0
	for len in 60 1514; do
		tx_run ke1000e-send $SLOT_KE1000E "packet:$IF_KE1000E" $len -m write
		tx_run e1000e-write $SLOT_PE1000E "pcifs:$E1000E_DIR" $len -m write
		[ "$have_txb" = 1 ] &&
			tx_run e1000e-$TXB-256 $SLOT_PE1000E "pcifs:$E1000E_DIR" $len -m framed -b 256 -F "$TXB"
	done
	if [ "$have_pcifs" = 1 ]; then
		log "cpu: pcifs during a 60-byte TX blast"
		TAG=$((TAG + 1))
		cpu_window load $TX_SECS "bench-tx -p pcifs:$PCIFS_DIR -l 60 -t $TX_SECS -T $TAG"
	fi
}

# tx_count: count each TX tag in the pcaps (one pass per NIC).
tx_count() {
	local s counts=$out/raw/tx-host-counts.txt
	: >"$counts"
	for s in $SLOT_KE1000 $SLOT_PE1000 $SLOT_VE1000 $SLOT_KE1000E $SLOT_PE1000E; do
		[ -f "$VM_DIR/nic-$s.pcap" ] || continue
		"$WIRE" pcap "$VM_DIR/nic-$s.pcap" |
			awk -v s="$s" 'substr($0, 25, 4) == "88b5" {
				c[substr($0, 29, 8)]++ }
			END { for (t in c) print s, t, c[t] }' >>"$counts"
	done
	while read -r name len slot tag line; do
		local host secs
		host=$(awk -v s="$slot" -v t="$(printf '%08x' "$tag")" \
			'$1 == s && $2 == t {print $3}' "$counts")
		secs=$(field seconds "$line")
		host=${host:-0}
		metric tx "$name-$len" "$(field frames "$line") $host $secs $(awk -v h="$host" -v s="$secs" -v l="$len" \
			'BEGIN { if (s > 0) printf "%.0f %.2f", h / s, h * l * 8 / s / 1e6; else print "0 0" }') $(field first_error "$line")"
	done <"$out/raw/tx-guest.txt"
}

# ---- 3. RX ----

# rx_frame MAC TAG SEQ: a 60-byte test frame as hex: dst MAC, src
# GUEST_SRC_MAC, EtherType 0x88b5, TAG, SEQ, zeros.
rx_frame() {
	local f
	f=$(printf '%s%s88b5%08x%08x' "$1" "$(tr -d : <<<"$GUEST_SRC_MAC")" "$2" "$3")
	printf '%s%0*d\n' "$f" $((120 - ${#f})) 0
}

# rx_run NAME SLOT SPEC RATE [BENCH-RX ARGS]: inject RX_N frames at RATE;
# count in guest.  The frames go to NIC SLOT's MAC, or to $RX_MAC.
rx_run() {
	local name=$1 slot=$2 spec=$3 rate=$4 tag line gp mac
	shift 4
	TAG=$((TAG + 1))
	tag=$((0x10000 + TAG))
	mac=$(tr -d : <<<"${RX_MAC:-$(vm_mac "$slot")}")
	gp=$(cat "$VM_DIR/nic-$slot.guestport")
	# dst = the NIC, src = GUEST_SRC_MAC, EtherType 0x88b5, tag, seq 0.
	rx_frame "$mac" "$tag" 0 >"$VM_DIR/frame.hex"
	rx_frame "$mac" "$tag" 4294967295 >"$VM_DIR/end.hex"
	guest_run "rm -f /tmp/rx.ready /tmp/rx.out
setsid bench-rx -p $spec -T $tag -n $RX_N -i 3000 -t 120 -R /tmp/rx.ready $* \
	</dev/null >/tmp/rx.out 2>&1 &
for i in \$(seq 100); do [ -e /tmp/rx.ready ] && exit 0; sleep 0.1; done; exit 1" ||
		{ log "  rx $name: bench-rx did not start"; return; }
	local t0=$SECONDS
	"$WIRE" send "$gp" -f "$VM_DIR/frame.hex" -c "$RX_N" -r "$rate"
	local sent_secs=$((SECONDS - t0))
	sleep 0.5 # then the end marker, a few times in case one is lost
	"$WIRE" send "$gp" -f "$VM_DIR/end.hex" -c 3 -r 10
	line=$(guest_run -t 200 'while pidof bench-rx >/dev/null; do sleep 0.2; done; cat /tmp/rx.out')
	metric rx "$name" "$rate $RX_N $(field frames "$line") $(field lost "$line") $(field fps "$line") $sent_secs"
	log "  rx $name at $rate/s: $line"
}

bench_rx() {
	local rate
	log "rx: $RX_N frames per rate, rates $RX_RATES frames/s"
	for rate in $RX_RATES; do
		rx_run ke1000-packet $SLOT_KE1000 "packet:$IF_KE1000" "$rate"
		[ "$have_pcifs" = 1 ] &&
			rx_run pcifs $SLOT_PE1000 "pcifs:$PCIFS_DIR" "$rate"
		[ "$have_vfio" = 1 ] &&
			rx_run vfio $SLOT_VE1000 "pcifs:$VFIO_DIR" "$rate"
		[ "$have_rxb" = 1 ] &&
			rx_run pcifs-$RXB $SLOT_PE1000 "pcifs:$PCIFS_DIR" "$rate" -F "$RXB"
		[ "$have_e1000e" = 1 ] || continue
		rx_run ke1000e-packet $SLOT_KE1000E "packet:$IF_KE1000E" "$rate"
		rx_run e1000e $SLOT_PE1000E "pcifs:$E1000E_DIR" "$rate"
		[ "$have_rxb" = 1 ] &&
			rx_run e1000e-$RXB $SLOT_PE1000E "pcifs:$E1000E_DIR" "$rate" -F "$RXB"
	done
}

# ---- 4. registers ----

# reg_run NAME GUEST_COMMAND: REPS repetitions; one ops/s sample each.
reg_run() {
	local name=$1 line
	for _ in $(seq "$REPS"); do
		line=$(vm_run -t 300 "$2" 2>&1 | tail -n 1)
		echo "$name $line" >>"$out/raw/regs.txt"
		[ -n "$(field ops_per_s "$line")" ] ||
			{ log "  regs $name: $line"; return; }
		metric reg "$name" "$(field ops_per_s "$line") $(field last "$line")"
	done
	log "  regs $name: $line"
}

bench_regs() {
	local bdf=$BDF_PE1000 bar0
	local sys=/sys/bus/pci/devices/$bdf
	bar0=$(vm_run "head -n 1 $sys/resource | cut -d' ' -f1")
	log "regs: on $bdf (BAR0 $bar0), $REPS repetitions"
	reg_run mmap-STATUS "bench-regs mmap $sys/resource0 8 $MMAP_N"
	reg_run spawn-setpci "bench-regs spawn $SPAWN_N setpci -s $bdf COMMAND"
	reg_run spawn-devmem "bench-regs spawn $SPAWN_N devmem $(printf '0x%x' $((bar0 + 8))) 32"
	# The floor under any FUSE call: a request to another process and its
	# reply over pipes, nothing done in between; and the same between two
	# threads, which keep the address space.
	reg_run pingpong-process "bench-regs pingpong process $REG_N"
	reg_run pingpong-thread "bench-regs pingpong thread $REG_N"
	[ "$have_pcifs" = 1 ] || return 0
	reg_run pread-regs-STATUS "bench-regs pread $PCIFS_DIR/regs/bar0/STATUS 0 32 $REG_N"
	reg_run pread-bar0-8 "bench-regs pread $PCIFS_DIR/bar0 8 4 $REG_N"
	reg_run spawn-cat-COMMAND "bench-regs spawn $SPAWN_N cat $PCIFS_DIR/regs/config/COMMAND"
	reg_run spawn-cat-STATUS "bench-regs spawn $SPAWN_N cat $PCIFS_DIR/regs/bar0/STATUS"
}

# reader_window NAME [DIR]: pcifs CPU over IDLE_SECS while a reader sits
# blocked on the silent NIC's rx (started before, killed after the window).
reader_window() {
	vm_run "cat ${2:-$PCIFS_DIR}/rx >/dev/null 2>&1 & echo \$! >/tmp/reader.pid; sleep 1"
	cpu_window "$1" "$IDLE_SECS"
	vm_run 'kill $(cat /tmp/reader.pid); wait $(cat /tmp/reader.pid) 2>/dev/null; true'
}

# The pcifs NIC handed to uio_pci_generic and pcifs mounted again: its
# waits then sleep on the NIC's interrupt (e1000/irq.c).
remount_with_uio() {
	vm_run "fusermount3 -u /mnt/pcifs
for i in \$(seq 50); do pidof pcifs >/dev/null || break; sleep 0.1; done
modprobe uio_pci_generic &&
echo uio_pci_generic >/sys/bus/pci/devices/$BDF_PE1000/driver_override &&
echo $BDF_PE1000 >/sys/bus/pci/drivers_probe || exit 1
setsid pcifs -f /mnt/pcifs -o devices=$BDF_PE1000,force </dev/null >/tmp/pcifs.log 2>&1 &
for i in \$(seq 50); do test -e $PCIFS_DIR/rx && break; sleep 0.2; done
grep pcifs_wait $PCIFS_DIR/info" >"$out/raw/pcifs-uio.txt" 2>&1
}

bench_idle() {
	[ "$have_pcifs" = 1 ] || return 0
	log "cpu: pcifs idle for $IDLE_SECS s, then $IDLE_SECS s with a reader blocked on rx, polling and with interrupts"
	cpu_window idle "$IDLE_SECS"
	reader_window idle-reader
	[ "$have_vfio" = 1 ] && reader_window idle-reader-vfio "$VFIO_DIR"
	if remount_with_uio && grep -q "interrupts from" "$out/raw/pcifs-uio.txt"; then
		sleep "$IDLE_SECS" # the same silence before the window
		reader_window idle-reader-irq
	else
		log "  no interrupts: $(cat "$out/raw/pcifs-uio.txt")"
	fi
	while read -r n pct rss secs; do
		metric cpu "$n" "$pct $rss $secs"
		log "  cpu $n: $pct% of a core over $secs s, RSS $rss kB"
	done <"$out/raw/cpu-summary.txt"
}

# ---- main ----

# bench_boot: boot the guest with the three NICs and set it up.
bench_boot() {
	local args=()
	mapfile -t args < <(
		nic_args $SLOT_VIRTIO virtio-net-pci 10.0.2.0/24
		nic_args $SLOT_KE1000 e1000 10.0.3.0/24
		nic_args $SLOT_PE1000 e1000 10.0.4.0/24
		nic_args $SLOT_FLOOR e1000 10.0.8.0/24
		[ "$VFIO" = 1 ] && nic_args $SLOT_VE1000 e1000 10.0.5.0/24
		if [ "$E1000E" = 1 ]; then
			nic_args $SLOT_KE1000E e1000e 10.0.6.0/24
			nic_args $SLOT_PE1000E e1000e 10.0.7.0/24
		fi
	)
	vm_boot "${args[@]}" || return 1
	guest_setup || { log "guest setup failed"; return 1; }
}

main() {
	log "results in $out"
	# Which pcifs was measured (the tree changes under parallel work).
	[ "$have_pcifs" = 1 ] && ls -l --time-style=+%FT%TZ "${PCIFS_VM_PCIFS:-$top/pcifs}" \
		>"$out/raw/pcifs-binary.txt" && sha256sum "${PCIFS_VM_PCIFS:-$top/pcifs}" >>"$out/raw/pcifs-binary.txt"
	log "booting the guest (TCG; pcifs $([ $have_pcifs = 1 ] && echo built || echo NOT built))"
	bench_boot || exit 1
	bench_ping
	bench_tx
	bench_rx
	bench_regs
	bench_idle
	vm_run 'cat /tmp/pcifs.log 2>/dev/null; [ -d '"$PCIFS_DIR"' ] && cat '"$PCIFS_DIR"'/stats' \
		>"$out/raw/pcifs-guest.log" 2>&1
	vm_stop
	tx_count
	"$bench/report.sh" "$out" "$quick"
}

# BENCH_NO_MAIN=1: only define the functions (for debugging by hand).
if [ -z "${BENCH_NO_MAIN:-}" ]; then
	main
	exit $?
fi
