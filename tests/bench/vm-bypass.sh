#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/vm-bypass.sh [--quick] - the paper's experiment with a VM
# (issue 12): a VM's NIC through pcifs's driver against the virtio bridge.
#
# The benchmark's TCG guest (L1) plays the host; a nested TCG guest (L2,
# tests/vm/bypass-l2.sh) is the VM.  L1 has three e1000 NICs, each on a hub
# with slirp and a dgram port as in run.sh (nic_args: a filter-dump counts
# TX on this host, tests/tools/wire injects RX):
#   00:04.0 e1000 kernel e1000, in bridge br0 with tap0   10.0.3.0/24
#   00:05.0 e1000 pcifs, -o netdev socket                 10.0.4.0/24
#   00:06.0 e1000 pcifs, files exported to L2 over 9p     10.0.5.0/24
# and L2 has one interface on each path:
#   bridge  virtio-net on -netdev tap (tap0)    10.0.3.16 -> gw 10.0.3.2
#   socket  virtio-net on -netdev stream        10.0.4.15 -> gw 10.0.4.2
#           (L1's pcifs socket /run/pcifs/0000:00:05.0)
#   9p      tap0 of pcifs-tap on 00:06.0's      10.0.5.15 -> gw 10.0.5.2
#           files, L1's pcifs mount over virtio-9p (only when pcifs-tap
#           is built: ./pcifs-tap, or $PCIFS_BENCH_TAP; else "not built")
# L1 itself is on br0, 10.0.3.15: "host", the paper's Fig. 1.
#
# In one L1 boot, the paths taking turns in rounds:
#  1. ping RTT to each path's gateway: busybox ping ("bridge", "socket",
#     "9p", and "host" in L1) and bench-echo over AF_PACKET ("*-packet");
#  2. L2's TX frames/s per path, AF_PACKET send() of 60-byte frames (and
#     1514 in the full run), counted on this host;
#  3. L2's RX: the host injects frames at increasing rates, bench-rx counts
#     them on L2's interface; the highest lossless rate per path;
#  4. where the time goes during an L2 TX blast on the socket and the 9p
#     paths: L1's and L2's CPU by command (tests/bench/cpu-by-comm.sh,
#     schedstat), then strace -c of pcifs in L1; the full run adds perf in
#     L1 (by command, then by symbol) during pings and blasts on every
#     path.
# Output: tests/bench/results/vm-bypass/<UTC timestamp>/ with summary.md
# (the ratio table, also printed), results.json (every raw sample),
# bench.png, raw/ and both guests' consoles.  --quick: short runs (CI);
# the L2 boot is most of it (1 minute on a quiet host, 4 on a loaded one).  Exit 1 if a path produced no number;
# timings are never asserted.
# Env: PCIFS_BENCH_OUT (results root; vm-bypass/ below it), PCIFS_BENCH_TAP
# (the pcifs-tap binary), PCIFS_BENCH_IRQ (1, the default: pcifs's NICs on
# uio_pci_generic, it sleeps on their interrupts; 0: it polls the rings,
# which costs L1 a few hundred wake-ups a second next to L2's QEMU),
# PCIFS_BENCH_L1_CPUS (1, the default; 2: L1 gets two vCPUs, pcifs is pinned
# to CPU 1 and L2's QEMU to CPU 0, as a host gives a userspace driver its
# own core), PCIFS_NESTED_TIMEOUT (L2 boot, default 480 s) and vm.bash's
# PCIFS_VM_* variables.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_NO_MAIN=1 PCIFS_BENCH_VFIO=0 PCIFS_BENCH_E1000E=0
PCIFS_BENCH_OUT=${PCIFS_BENCH_OUT:-$here/results}/vm-bypass
# run.sh's helpers (nic_args, stats, metric, ping_*, tx_run, tx_count,
# rx_run), its output directory, VM_DIR and cleanup trap.
# shellcheck source=tests/bench/run.sh
. "$here/run.sh" "${1:-}"

if [ "$quick" = 1 ]; then
	ECHOES=32 INTERVAL_MS=100 PING_ROUNDS=4 TX_SECS=2 TX_ROUNDS=2
	RX_SECS=2 RX_RATES=1000 TX_LENS=60 PROF_SECS=5
else
	ECHOES=200 INTERVAL_MS=200 PING_ROUNDS=10 TX_SECS=5 TX_ROUNDS=4
	RX_SECS=5 RX_RATES="250 500 1000 2000 4000" TX_LENS="60 1514" PROF_SECS=5
fi
# The interval is longer than L2's RTT (10-50 ms, nested): a shorter one
# measures the queue that builds up, not the path.
L2_TIMEOUT=${PCIFS_NESTED_TIMEOUT:-480}

SLOT_BRIDGE=$SLOT_KE1000 SLOT_SOCKET=$SLOT_PE1000 SLOT_9P=$SLOT_VE1000
BDF_BRIDGE=$(vm_bdf $SLOT_BRIDGE) BDF_SOCKET=$(vm_bdf $SLOT_SOCKET)
BDF_9P=$(vm_bdf $SLOT_9P)
SOCK=/run/pcifs/$BDF_SOCKET
L2_MAC_BRIDGE=52:54:00:12:35:04 L2_MAC_SOCKET=52:54:00:12:35:05
MAC_9P=$(vm_mac $SLOT_9P) # pcifs-tap's interface: the NIC's own address
L2_CTL=/tmp/l2ctl         # L1's directory that L2 takes commands from

IRQ=${PCIFS_BENCH_IRQ:-1}
L1_CPUS=${PCIFS_BENCH_L1_CPUS:-1}
PIN_PCIFS="" PIN_L2=""
if [ "$L1_CPUS" -gt 1 ]; then
	PIN_PCIFS="taskset 2" PIN_L2="taskset 1"
fi
TAP_BIN=${PCIFS_BENCH_TAP:-$top/pcifs-tap}
have_tap=0
[ -x "$TAP_BIN" ] && have_tap=1
PATHS="bridge socket"
[ "$have_tap" = 1 ] && PATHS+=" 9p"

export PCIFS_VM_MEM=1536 PCIFS_VM_BOOT_TIMEOUT=300
export PCIFS_VM_MODULES="${PCIFS_VM_MODULES:-} bridge tun"

# l2_stop: keep L2's console, and stop its QEMU (in L1) by its pid.
l2_stop() {
	_vm_qemu_pid >/dev/null || return 0
	vm_run 'tr -d "\r" </tmp/l2/console; cat /tmp/l2/qemu.log' \
		>"$out/l2-console.log" 2>&1
	vm_run 'p=$(cat /tmp/l2/pid 2>/dev/null) || exit 0; kill $p
for i in $(seq 50); do kill -0 $p 2>/dev/null || exit 0; sleep 0.1; done; kill -9 $p'
}
trap 'l2_stop; cleanup' EXIT

# l2_run [-t SECS] SCRIPT: run SCRIPT in L2 (bypass-l2.sh's /init reads
# its number on a virtio-serial port and answers it there when done; it and
# its output are files of L1's $L2_CTL, shared over 9p); stdout, stderr
# and status come back as with vm_run.  The command number lives in a file: callers run in subshells.
l2_run() {
	local t=${PCIFS_VM_TIMEOUT:-120} n
	if [ "${1:-}" = -t ]; then
		t=$2
		shift 2
	fi
	n=$(($(cat "$VM_DIR/l2.n" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$VM_DIR/l2.n"
	vm_run -t $((t + 30)) "c=$L2_CTL
cat >\$c/.$n.sh <<'L2_SCRIPT_END'
$*
L2_SCRIPT_END
mv \$c/.$n.sh \$c/$n.sh
# Asleep until L2 says N is done (lines of earlier commands that timed out
# are skipped): L2's QEMU shares L1's one CPU with this wait.
exec 9<>/tmp/l2/ctl.out
echo $n >/tmp/l2/ctl.in
k=
while [ \"\$k\" != $n ]; do
	read -t $((t + 20)) -r k <&9 || { echo 'l2_run: no answer from L2' >&2; exit 255; }
done
cat \$c/$n.out; cat \$c/$n.err >&2; exit \$(cat \$c/$n.rc)"
}

# ---- boot: L1 with the bridge and pcifs, then L2 ----

l1_setup() {
	vm_run "set -e
modprobe e1000; modprobe bridge; modprobe tun
echo $BDF_SOCKET >/sys/bus/pci/drivers/e1000/unbind
echo $BDF_9P >/sys/bus/pci/drivers/e1000/unbind
# IRQ=1: pcifs's waits sleep on the NICs' interrupts (uio_pci_generic
# bound, e1000/irq.c) instead of polling the rings.
if [ $IRQ = 1 ]; then
	modprobe uio_pci_generic
	for b in $BDF_SOCKET $BDF_9P; do
		echo uio_pci_generic >/sys/bus/pci/devices/\$b/driver_override
		echo \$b >/sys/bus/pci/drivers_probe
	done
fi
k=\$(ls /sys/bus/pci/devices/$BDF_BRIDGE/net)
# The paper's virtio bridge: the kernel e1000 and the VM's tap in br0.
brctl addbr br0; brctl addif br0 \$k
tunctl -t tap0 >/dev/null; brctl addif br0 tap0
ip link set \$k up; ip link set tap0 up; ip link set br0 up
ip addr add 10.0.3.15/24 dev br0
echo \$k >/tmp/if.bridge
mkdir -p /tmp/l2 $L2_CTL
setsid $PIN_PCIFS pcifs -f /mnt/pcifs -o devices=$BDF_SOCKET:$BDF_9P,netdev=/run/pcifs \
	</dev/null >/tmp/pcifs.log 2>&1 &
for i in \$(seq 50); do grep -q ' /mnt/pcifs ' /proc/mounts && break; sleep 0.2; done
ls /mnt/pcifs >/dev/null
[ -S $SOCK ] || { cat /tmp/pcifs.log; exit 1; }
cat /mnt/pcifs/$BDF_SOCKET/info /mnt/pcifs/$BDF_9P/info" >"$out/raw/l1-setup.txt" 2>&1 ||
		{ log "L1 setup failed: $(tail -3 "$out/raw/l1-setup.txt")"; return 1; }
	IF_L1=$(vm_run 'cat /tmp/if.bridge')
}

# l2_start: L2's QEMU in L1, one virtio-net on each path, the command port
# and share (and L1's pcifs mount for pcifs-tap); waits for "L2: READY".
l2_start() {
	local share9p="" t0=$SECONDS
	[ "$have_tap" = 1 ] && share9p="-fsdev local,id=pcifs,path=/mnt/pcifs,security_model=none \
		-device virtio-9p-pci,fsdev=pcifs,mount_tag=pcifs,addr=6"
	vm_run "cd /tmp/l2 && mkfifo ctl.in ctl.out && $PIN_L2 qemu-system-x86_64 -L $VM_NESTED_QDIR \
		-name l2,debug-threads=on -machine pc -accel tcg \
		-m 192 -smp 1 -nodefaults -display none -no-reboot \
		-serial file:/tmp/l2/console -kernel /boot/vmlinuz -initrd /boot/l2.cpio \
		-append 'console=ttyS0 panic=-1 quiet' \
		-netdev tap,id=nb,ifname=tap0,script=no,downscript=no \
		-device virtio-net-pci,netdev=nb,mac=$L2_MAC_BRIDGE,addr=3,romfile= \
		-netdev stream,id=ns,server=off,addr.type=unix,addr.path=$SOCK \
		-device virtio-net-pci,netdev=ns,mac=$L2_MAC_SOCKET,addr=4,romfile= \
		-fsdev local,id=ctl,path=$L2_CTL,security_model=none \
		-device virtio-9p-pci,fsdev=ctl,mount_tag=ctl,addr=5 $share9p \
		-device virtio-serial-pci,addr=7 -chardev pipe,id=l2c,path=/tmp/l2/ctl \
		-device virtserialport,chardev=l2c,name=l2.ctl \
		</dev/null >/tmp/l2/qemu.log 2>&1 & echo \$! >/tmp/l2/pid"
	vm_run -t $((L2_TIMEOUT + 30)) "end=\$((\$(date +%s) + $L2_TIMEOUT))
while ! grep -q 'L2: READY' /tmp/l2/console 2>/dev/null; do
	kill -0 \$(cat /tmp/l2/pid) 2>/dev/null && [ \$(date +%s) -lt \$end ] ||
		{ tr -d '\r' </tmp/l2/console; cat /tmp/l2/qemu.log; exit 1; }
	sleep 1
done" >"$out/raw/l2-boot.txt" 2>&1 ||
		{ log "L2 did not boot: $(tail -5 "$out/raw/l2-boot.txt")"; return 1; }
	metric boot l2 $((SECONDS - t0))
	log "L2 up after $((SECONDS - t0)) s"
}

# l2_setup: addresses on L2's interfaces (found by MAC), and pcifs-tap.
l2_setup() {
	l2_run -t 60 "set -e
ifmac() { for i in /sys/class/net/*; do [ \$(cat \$i/address) = \$1 ] && echo \${i##*/}; done; true; }
b=\$(ifmac $L2_MAC_BRIDGE); s=\$(ifmac $L2_MAC_SOCKET)
ip addr add 10.0.3.16/24 dev \$b; ip link set \$b up
ip addr add 10.0.4.15/24 dev \$s; ip link set \$s up
echo \$b >/tmp/if.bridge; echo \$s >/tmp/if.socket
# A 9p route that fails costs only its own numbers.
set +e
if [ $have_tap = 1 ]; then
	mkdir -p /mnt/pcifs
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=131072 pcifs /mnt/pcifs
	setsid pcifs-tap /mnt/pcifs/$BDF_9P -i tap0 -m $MAC_9P </dev/null >/tmp/tap.log 2>&1 &
	for i in \$(seq 100); do [ -e /sys/class/net/tap0 ] && break; sleep 0.2; done
	ip addr add 10.0.5.15/24 dev tap0 && ip link set tap0 up && echo tap0 >/tmp/if.9p
fi
sleep 1" >"$out/raw/l2-setup.txt" 2>&1 ||
		{ log "L2 setup failed: $(tail -3 "$out/raw/l2-setup.txt")"; return 1; }
	L2_IF_bridge=$(l2_run 'cat /tmp/if.bridge')
	L2_IF_socket=$(l2_run 'cat /tmp/if.socket')
	if [ "$have_tap" = 1 ] && ! L2_IF_9p=$(l2_run 'cat /tmp/if.9p'); then
		log "pcifs-tap did not start: $(l2_run 'cat /tmp/tap.log')"
		PATHS="bridge socket"
	fi
	log "L2: bridge $L2_IF_bridge, socket $L2_IF_socket, 9p $([ $have_tap = 1 ] && echo "$L2_IF_9p" || echo "not built")"
}

bypass_boot() {
	local args=()
	mapfile -t args < <(
		nic_args $SLOT_BRIDGE e1000 10.0.3.0/24
		nic_args $SLOT_SOCKET e1000 10.0.4.0/24
		nic_args $SLOT_9P e1000 10.0.5.0/24
	)
	PCIFS_VM_SMP=$L1_CPUS vm_boot "${args[@]}" || return 1
	l1_setup && l2_start && l2_setup
}

# ---- measurements ----

# path_if NAME, path_ip NAME, path_gw NAME: L2's interface, address and
# gateway on path NAME; path_slot NAME: L1's NIC (the host's pcap) of it.
path_if() { local v=L2_IF_$1; echo "${!v}"; }
path_ip() { case $1 in bridge) echo 10.0.3.16 ;; socket) echo 10.0.4.15 ;; 9p) echo 10.0.5.15 ;; esac; }
path_gw() { case $1 in bridge) echo 10.0.3.2 ;; socket) echo 10.0.4.2 ;; 9p) echo 10.0.5.2 ;; esac; }
path_slot() { case $1 in bridge) echo $SLOT_BRIDGE ;; socket) echo $SLOT_SOCKET ;; 9p) echo $SLOT_9P ;; esac; }
path_mac() { case $1 in bridge) echo $L2_MAC_BRIDGE ;; socket) echo $L2_MAC_SOCKET ;; 9p) echo "$MAC_9P" ;; esac; }

# round_median NAME N: the median of NAME's last N samples (this round's),
# as a metric "rround NAME MEDIAN", for the per-round ratios.
round_median() {
	local f=$out/raw/rtt-$1.txt
	[ -s "$f" ] || return 0
	metric rround "$1" "$(tail -n "$2" "$f" >"$f.round" && stats "$f.round" | cut -d" " -f3)"
}

# bypass_ping_round N: N echoes on every path, one path after the other:
# L1's own first (Fig. 1), then L2's.
bypass_ping_round() {
	local p
	ping_kernel host 10.0.3.2 "$1"
	ping_echo host-packet "packet:$IF_L1" 10.0.3.15 10.0.3.2 "$1"
	for p in $PATHS; do
		BENCH_GUEST=l2_run ping_kernel "$p" "$(path_gw "$p")" "$1"
		BENCH_GUEST=l2_run ping_echo "$p-packet" "packet:$(path_if "$p")" \
			"$(path_ip "$p")" "$(path_gw "$p")" "$1"
		round_median "$p" "$1"
		round_median "$p-packet" "$1"
	done
}

bypass_ping() {
	# shellcheck disable=SC2046 # the path names are words
	ping_rounds bypass_ping_round host host-packet \
		$(printf '%s\n' $PATHS | sed 's/.*/\0 \0-packet/')
	# The warm-up round is no round.
	awk '!($1 == "rround" && !seen[$2]++)' "$out/raw/metrics" >"$out/raw/metrics.new" &&
		mv "$out/raw/metrics.new" "$out/raw/metrics"
}

bypass_tx() {
	local len r p
	log "tx: AF_PACKET send() in L2, $TX_ROUNDS rounds of $TX_SECS s per path, counted on this host"
	for len in $TX_LENS; do
		tx_run host-send $SLOT_BRIDGE "packet:$IF_L1" "$len" -m write
		for r in $(seq "$TX_ROUNDS"); do
			for p in $PATHS; do
				BENCH_GUEST=l2_run tx_run "$p-send" "$(path_slot "$p")" \
					"packet:$(path_if "$p")" "$len" -m write
			done
		done
	done
}

# L2 takes a few hundred frames a second, and the bridge path buffers more
# than a thousand (tap0's queue, the virtio ring): each rate is injected
# for RX_SECS, so that a rate L2 cannot keep up with loses frames.
bypass_rx() {
	local rate p RX_N
	log "rx: $RX_SECS s into L2 at each rate, $RX_RATES frames/s"
	for rate in $RX_RATES; do
		RX_N=$((rate * RX_SECS))
		for p in $PATHS; do
			RX_MAC=$(path_mac "$p") BENCH_GUEST=l2_run rx_run "$p" \
				"$(path_slot "$p")" "packet:$(path_if "$p")" "$rate"
		done
	done
}

# perf_window LABEL L2SCRIPT: perf record -a in L1 while L2 runs L2SCRIPT;
# the report by command, by thread and by command and symbol goes to
# raw/profile-LABEL.txt.
perf_window() {
	local f=$out/raw/profile-$1.txt
	vm_run "setsid perf record -q -a -g -e cpu-clock -o /tmp/perf.data -- sleep 3600 \
		</dev/null >/dev/null 2>&1 & sleep 1"
	{
		echo "== $1: L2 runs: $2"
		l2_run -t 120 "$2" 2>&1 | tail -n 3
		vm_run -t 120 "kill -INT \$(pidof perf); while pidof perf >/dev/null; do sleep 0.5; done
r() { perf report -i /tmp/perf.data --stdio --no-children -g none --sort \$1 2>/dev/null |
	grep -v '^#' | grep -v '^\$' | head -\$2; }
echo '-- perf in L1, by command (cpu-clock)'; r comm 10
echo '-- perf in L1, by thread'; r pid 12
echo '-- perf in L1, by command and symbol'; r comm,sym 30"
	} >>"$f" 2>&1
	log "  perf during $1: $f"
}

# strace_window LABEL L2SCRIPT: strace -c -f of L1's pcifs while L2 runs
# L2SCRIPT; appended to raw/profile-LABEL.txt.  (Not of L2's pcifs-tap:
# attached under nested TCG, strace held up L2's command channel for
# minutes.  L2's CPU by command, from split_window, says where L2's time
# goes instead.)
strace_window() {
	vm_run "setsid strace -c -f -p \$(pidof pcifs | tr ' ' ,) -o /tmp/strace.txt \
		</dev/null >/dev/null 2>&1 & sleep 1"
	{
		l2_run -t 120 "$2 >/dev/null" 2>&1
		echo "-- strace -c -f of L1's pcifs"
		vm_run -t 60 'kill -INT $(pidof strace); while pidof strace >/dev/null; do sleep 0.5; done
head -20 /tmp/strace.txt'
	} >>"$out/raw/profile-$1.txt" 2>&1
}

# split_window LABEL L2SCRIPT: L1's and L2's CPU by command (schedstat, every
# task; no tracer running) while L2 runs L2SCRIPT, which must run for
# PROF_SECS + 4 s: both guests take their snapshots PROF_SECS - 2 s apart
# from about 1 s into it, while its processes live (an exited task's time
# is gone from /proc).  Appended to raw/profile-LABEL.txt.
split_window() {
	local w=$((PROF_SECS - 2))
	{
		echo "== $1: L2 runs: $2"
		vm_run "(sleep 2; cpu-by-comm.sh snap /tmp/cpu0.txt; sleep $w
cpu-by-comm.sh snap /tmp/cpu1.txt; : >/tmp/cpu.done) </dev/null >/dev/null 2>&1 &"
		l2_run -t 120 "$2 >/tmp/blast.out 2>&1 & b=\$!
sleep 1; cpu-by-comm.sh snap /tmp/cpu0.txt; sleep $w; cpu-by-comm.sh snap /tmp/cpu1.txt
wait \$b; tail -n 3 /tmp/blast.out
echo \"-- L2's CPU by command, % of its one CPU (schedstat, ${w} s in the blast)\"
cpu-by-comm.sh diff /tmp/cpu0.txt /tmp/cpu1.txt" 2>&1
		echo "-- L1's CPU by command, % of its one CPU (schedstat, ${w} s in the blast)"
		vm_run "while [ ! -e /tmp/cpu.done ]; do sleep 0.2; done
cpu-by-comm.sh diff /tmp/cpu0.txt /tmp/cpu1.txt; rm -f /tmp/cpu0.txt /tmp/cpu1.txt /tmp/cpu.done"
	} >>"$out/raw/profile-$1.txt" 2>&1
}

# bypass_profile: where the time goes during a 60-byte TX blast of L2 on
# the pcifs paths: L1's and L2's CPU by command, then strace -c of L1's
# pcifs.  The full run adds perf in L1, by symbol, during pings and blasts
# on every path.
bypass_profile() {
	local p blast
	log "profile: L1's and L2's CPU by command during L2's TX blasts, strace of L1's pcifs"
	for p in ${PATHS#bridge }; do
		TAG=$((TAG + 1))
		blast="bench-tx -p packet:$(path_if "$p") -l 60 -t $PROF_SECS -T $TAG -m write"
		split_window "tx-$p" "${blast/-t $PROF_SECS/-t $((PROF_SECS + 4))}"
		strace_window "tx-$p" "$blast"
	done
	[ "$quick" = 1 ] && return 0
	log "profile: perf in L1 during L2's pings and TX blasts"
	for p in $PATHS; do
		perf_window "ping-$p" "bench-echo -p packet:$(path_if "$p") -s $(path_ip "$p") \
-g $(path_gw "$p") -c 40 -i $INTERVAL_MS"
		TAG=$((TAG + 1))
		blast="bench-tx -p packet:$(path_if "$p") -l 60 -t $PROF_SECS -T $TAG -m write"
		perf_window "tx-$p" "$blast"
	done
}

# ---- report ----

# rtt_rows A B TARGET: median and p99 of path A against path B.
rtt_rows() {
	local a b r
	a=$(get rtt "$1" 3)
	b=$(get rtt "$2" 3)
	r=$(ratio "$a" "$b")
	row "VM ping median RTT, us: $1 vs $2" "${a:-none}" "${b:-none}" "$r" "$3" \
		"$(case $3 in "(info)") echo - ;; *) verdict "$r" "<=" "${3#<= }" ;; esac)"
	a=$(get rtt "$1" 4)
	b=$(get rtt "$2" 4)
	row "VM ping p99 RTT, us: $1 vs $2" "${a:-none}" "${b:-none}" "$(ratio "$a" "$b")" "(info)" -
}

# best_rx_fps PATH: the highest rate bench-rx counted frames at on PATH.
best_rx_fps() {
	awk -v n="$1" '$1 == "rx" && $2 == n && $7 + 0 > b {b = $7} END {if (b) print b}' "$m"
}

# vs_bridge LABEL FUNCTION: a row for each pcifs path, FUNCTION PATH against
# FUNCTION bridge.
vs_bridge() {
	local a b p
	b=$("$2" bridge)
	for p in ${PATHS#bridge }; do
		a=$("$2" "$p")
		row "$1: $p vs bridge" "${a:-none}" "${b:-none}" "$(ratio "$a" "$b")" "(info)" -
	done
}

# noise_rows: the same comparisons round by round, beside the bridge's
# rounds against each other (odd / even): how far one path moves from one
# round to the next here, which a ratio must clear to mean something.
noise_rows() {
	local p n
	n=$(awk '$1 == "rround" && $2 == "bridge"' "$m" | wc -l)
	for p in "" -packet; do
		row "VM ping RTT, median of the $n rounds' ratios of medians: socket$p / bridge$p" \
			- - "$(pair_ratio_of rround 1 "socket$p" "bridge$p")" "(info)" -
		row "VM ping RTT, the bridge$p's rounds against each other (odd / even): the noise" \
			- - "$(pair_ratio_of rround 1 "bridge$p" "bridge$p")" "(info)" -
	done
}

bypass_table() {
	local a b r len p
	echo "| metric | pcifs | baseline | pcifs / baseline | target | verdict |"
	echo "|---|---|---|---|---|---|"
	rtt_rows socket bridge "<= 0.8"
	rtt_rows socket-packet bridge-packet "<= 0.8"
	noise_rows
	if [ "$have_tap" = 1 ]; then
		rtt_rows 9p bridge "(info)"
		rtt_rows 9p-packet bridge-packet "(info)"
	else
		row "9p route (L2's pcifs-tap on L1's pcifs over virtio-9p)" "not built" - - "(info)" -
	fi
	for p in bridge socket; do
		a=$(get rtt "$p" 3)
		b=$(get rtt host 3)
		row "VM ping median RTT, us: L2 over $p (Fig. 2) vs L1's own ping on the kernel e1000 (Fig. 1)" \
			"${a:-none}" "${b:-none}" "$(ratio "$a" "$b")" "(info)" -
	done
	for len in $TX_LENS; do
		b=$(median_of tx bridge-send-$len 4)
		for p in socket 9p; do
			[ "$p" = 9p ] && [ "$have_tap" = 0 ] && continue
			a=$(median_of tx $p-send-$len 4)
			r=$(ratio "$a" "$b")
			if [ "$p" = socket ]; then
				row "VM TX $len B frames/s (host-counted, median of $TX_ROUNDS): socket vs bridge" \
					"${a:-none}" "${b:-none}" "$r" ">= 1.5" "$(verdict "$r" ">=" 1.5)"
			else
				row "VM TX $len B frames/s (host-counted, median of $TX_ROUNDS): 9p vs bridge" \
					"${a:-none}" "${b:-none}" "$r" "(info)" -
			fi
		done
		row "VM TX $len B frames/s, median of the $TX_ROUNDS rounds' ratios: socket / bridge" \
			- - "$(pair_ratio socket-send-$len bridge-send-$len)" "(info)" -
		row "VM TX $len B frames/s, the bridge's rounds against each other (odd / even): the noise" \
			- - "$(pair_ratio bridge-send-$len bridge-send-$len)" "(info)" -
		a=$(get tx host-send-$len 4)
		row "TX $len B frames/s: L2 over the bridge vs L1's own AF_PACKET send on the kernel e1000" \
			"${b:-none}" "${a:-none}" "$(ratio "$b" "$a")" "(info)" -
	done
	vs_bridge "VM RX highest lossless injected rate, frames/s" lossless
	vs_bridge "VM RX frames/s L2 took (bench-rx, best rate)" best_rx_fps
	row "L2 boot (QEMU start to its /init's READY), s" "$(get boot l2 1)" - - "(info)" -
}

bypass_details() {
	local p
	details
	for p in $(printf '%s\n' $PATHS | sed 's/.*/ping-\0 tx-\0/'); do
		[ -f "$out/raw/profile-$p.txt" ] || continue
		echo
		echo "Profile, $p (all of it: raw/profile-$p.txt):"
		echo '```'
		grep -h -A11 -e "-- L[12]'s CPU by command" "$out/raw/profile-$p.txt"
		grep -A10 -e '-- perf in L1, by thread' "$out/raw/profile-$p.txt"
		grep -A12 -e '-- strace' "$out/raw/profile-$p.txt" | grep -v '^--$'
		echo '```'
	done
}

# bypass_missing: the paths that produced no number.
bypass_missing() {
	local n p need=("rtt host" "rtt host-packet" "tx host-send-60")
	for p in bridge socket $([ "$have_tap" = 1 ] && echo 9p); do
		need+=("rtt $p" "rtt $p-packet" "tx $p-send-60" "rx $p")
	done
	for n in "${need[@]}"; do
		awk -v k="${n% *}" -v p="${n#* }" '$1 == k && $2 == p {
			v = (k == "rtt") ? $3 : (k == "tx") ? $4 : $5
			if (v + 0 > 0) ok = 1 } END { exit !ok }' "$out/raw/metrics" || echo "$n"
	done
}

bypass_intro() {
	echo "## pcifs VM bypass benchmark $(basename "$out")$([ "$quick" = 1 ] && echo " (quick)")"
	echo
	echo "L1: one QEMU TCG guest (the host); L2: a TCG guest nested in it (the VM)."
	echo "Emulated twice: absolute times are not hardware numbers; compare the"
	echo "ratios, all taken in this one L1 boot. Host: $(host_line)."
	[ "$L1_CPUS" -gt 1 ] && echo "L1 has $L1_CPUS vCPUs: pcifs pinned to CPU 1, L2's QEMU to CPU 0."
	echo "pcifs in L1 waits $([ "$IRQ" = 1 ] && echo "on its NICs' interrupts (uio_pci_generic)" || echo "polling its NICs' rings") ($(grep -m1 '^pcifs_wait' "$out/raw/l1-setup.txt" 2>/dev/null || echo "pcifs_wait: ?"))."
}

bypass_report() {
	# shellcheck source=tests/bench/report.sh
	REPORT_NO_MAIN=1 . "$bench/report.sh" "$out" "$quick"
	PLOT_TITLE="pcifs VM bypass (L2 nested in L1)" \
		PLOT_RTT="host host-packet bridge bridge-packet socket socket-packet 9p 9p-packet" \
		report_write bypass_intro bypass_table bypass_details bypass_missing
}

# bypass_prepare: L2's initramfs, and what L1 carries for it.
bypass_prepare() {
	local l2 l2tools=("$bench/bin/bench-echo" "$bench/bin/bench-tx" "$bench/bin/bench-rx")
	[ "$have_pcifs" = 1 ] || { log "no ./pcifs built"; return 1; }
	if [ "$have_tap" = 1 ]; then
		l2tools+=("$TAP_BIN")
	fi
	l2tools+=("$bench/cpu-by-comm.sh")
	l2=$("$top/tests/vm/bypass-l2.sh" "${l2tools[@]}") ||
		{ log "tests/vm/bypass-l2.sh failed: no L2 archive"; return 1; }
	PCIFS_VM_EXTRA+=" $(vm_nested_extra "$l2" | tr '\n' ' ')"
	PCIFS_VM_EXTRA+=" $bench/cpu-by-comm.sh /usr/bin/strace"
	[ "$quick" = 1 ] || PCIFS_VM_EXTRA+=" /usr/bin/perf"
}

bypass_main() {
	log "results in $out"
	bypass_prepare || exit 1
	log "booting L1 and L2 (TCG, nested; pcifs-tap $([ $have_tap = 1 ] && echo "$TAP_BIN" || echo "not built"))"
	bypass_boot || exit 1
	bypass_ping
	bypass_tx
	bypass_rx
	bypass_profile
	vm_run "cat /tmp/pcifs.log; for d in /mnt/pcifs/0*; do echo \$d; cat \$d/info \$d/stats; done" \
		>"$out/raw/pcifs-guest.log" 2>&1
	l2_run 'cat /tmp/tap.log 2>/dev/null; true' >"$out/raw/pcifs-tap.log" 2>&1
	l2_stop
	vm_stop
	tx_count
	bypass_report
}

# BYPASS_NO_MAIN=1: only define the functions (for debugging by hand).
[ -n "${BYPASS_NO_MAIN:-}" ] || bypass_main
