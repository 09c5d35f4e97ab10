#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# e1000-load.bats - concurrency under load: many writers and readers on one
# NIC at once, while the host end of its wire injects numbered frames and
# captures what the guest sends.  Every frame is a numf frame
# (tests/tools/numf.c): stream, sequence number and CRC-32 in the payload,
# and bytes that are a function of (seed, stream, seq), so each frame seen
# is checked byte for byte against the one that was meant.
#
# One TCG guest (L1, e1000 at 00:03.0 on a -netdev dgram wire; 1536 MiB for
# the nested guest), pcifs mounted in it.
#
# In L1, at once:
#   - 8 writers: 4 on tx (one write() per frame, streams 0-3) and 4 on
#     txbatch (8 records per buffer, written in 3000-byte pieces that cut
#     records, streams 4-7), 150 frames each: 1200 frames of 60-1514 bytes;
#   - 4 readers: 2 on rx and 2 on rxbatch, O_NONBLOCK with poll();
#   - the host injects 768 frames (stream 100) in 12 rounds of 64, each
#     round at 5000 frames/s once the guest's readers have taken the
#     previous one (stats rx_packets), so at most 64 frames wait at any
#     time: well below the 255 free descriptors of the 256-entry RX ring
#     (and below what QEMU's 212 KiB socket buffer holds).
#   Asserted: every writer and reader exits 0; the wire carried exactly the
#   1200 frames written, each once, intact ("numf check": missing,
#   duplicate, corrupt, unexpected all 0); the readers together read exactly
#   the 768 frames injected, each by one reader once, intact; stats show no
#   rx_missed, rx_drops, rx_errors, tx_errors or tx_drops (none lost below
#   ring capacity).
#
# Through 9p, from a nested guest (L2, as tests/9p-nested.bats: QEMU in L1
# exports L1's pcifs mount with -fsdev local,security_model=none, L2 mounts
# it cache=none,msize=131072; tests/vm/9p-load-l2.sh): 2 writers (tx and
# txbatch, 40 frames each, streams 20-21) and 2 readers (rx, rxbatch) at
# once, while the host injects 60 frames (stream 101) in 3 rounds of 20.
# Asserted as above: 80 frames on the wire, 60 read, each exactly once and
# intact, no loss in stats.
#
# The file takes about 4-5 minutes on a loaded 2-core machine (L2 boots in
# 60-100 s under nested TCG).

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
NIC=/mnt/pcifs/$BDF
QDIR=/usr/share/qemu # L1's QEMU data directory (-L), as in 9p-nested.bats
L2_TIMEOUT=${PCIFS_NESTED_TIMEOUT:-480}
SEED=${PCIFS_LOAD_SEED:-42}
OTHER=020000000001 # a locally administered peer on the wire

setup_file() {
	local kernel l2 rom d roms=() qemu_mod numf
	numf=$(numf_tool)
	l2=$("$PCIFS_ROOT/tests/vm/9p-load-l2.sh" "$numf")
	kernel=$(echo "$PCIFS_ROOT"/tests/vm/cache/kernel/boot/vmlinuz-*)
	for rom in bios-256k.bin kvmvapic.bin linuxboot_dma.bin; do
		for d in /usr/share/qemu /usr/share/seabios; do
			[ -e "$d/$rom" ] && roms+=("$d/$rom:$QDIR/$rom") && break
		done
	done
	qemu_mod=/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
	export PCIFS_VM_EXTRA="$numf
		/usr/bin/qemu-system-x86_64:/usr/bin/qemu-system-x86_64
		$qemu_mod:$qemu_mod ${roms[*]} $kernel:/boot/vmlinuz $l2:/boot/l2.cpio"
	export PCIFS_VM_MEM=1536 PCIFS_VM_BOOT_TIMEOUT=300
	vm_nic dgram 3
	e1000_boot
	guest_mount
}

teardown_file() {
	e1000_teardown_file
}

setup() {
	GUEST_MAC=$(mac_hex "$(vm_mac 3)")
}

teardown() {
	vm_wire_cleanup
}

numf_host() {
	"$(numf_tool)" "$@"
}

# stat_sum KEY...: the sum of the NIC's stats counters KEY...
stat_sum() {
	local keys=" $* "
	vm_run "awk -v k='$keys' 'index(k, \" \" \$1 \" \") { n += \$2 } END { print n + 0 }' $NIC/stats"
}

# wait_taken N: wait (bounded) until the guest's readers have taken N
# frames off the RX ring since $RX_BASE.
wait_taken() {
	local i n
	for ((i = 0; i < 600; i++)); do
		n=$(($(stat_sum rx_packets) - RX_BASE))
		[ "$n" -ge "$1" ] && return 0
		sleep 0.2
	done
	echo "only $n of $1 injected frames were taken off the RX ring" >&2
	return 1
}

# inject STREAM ROUNDS PER: inject frames STREAM:0..ROUNDS*PER-1, PER at a
# time at 5000 frames/s, each round once the last is taken off the ring.
inject() {
	local stream=$1 rounds=$2 per=$3 r f=$BATS_TEST_TMPDIR/round.hex
	for ((r = 0; r < rounds; r++)); do
		numf_host gen -x "$SEED" -d "$GUEST_MAC" -S "$OTHER" \
			"$stream:$((r * per)):$per" >"$f"
		vm_wire_send 3 -f "$f" -r 5000 2>/dev/null
		wait_taken $(((r + 1) * per)) || return 1
	done
}

# check_frames LABEL SPEC... < HEXLINES: every SPEC frame exactly once, intact.
check_frames() {
	local label=$1
	shift
	run numf_host check -x "$SEED" "$@"
	echo "$label: $output" >&2
	assert_success
	assert_line --regexp "^frames ([0-9]+) ok \1 missing 0 duplicate 0 corrupt 0 unexpected 0$"
}

# no_loss: stats show no frame missed, dropped or in error.
no_loss() {
	run -0 stat_sum rx_missed rx_drops rx_errors tx_errors tx_drops
	assert_output 0
}

@test "8 writers on tx/txbatch and 4 readers on rx/rxbatch at once: every frame accounted for, none lost below ring capacity" {
	local out=$BATS_TEST_TMPDIR/wire.hex f="-x $SEED -d $OTHER -S $GUEST_MAC"
	local s spec=() rd=$BATS_TEST_TMPDIR/read.hex
	RX_BASE=$(stat_sum rx_packets)
	vm_wire_recv 3 "$out" -n 1200 -t 120000 -T 600000
	run -0 vm_run "rm -rf /tmp/load && mkdir /tmp/load && cd /tmp/load || exit 1
		for r in 0 1; do
			(numf rx $NIC/rx -s stop -o r\$r.hex 2>r\$r.log; echo \$? >r\$r.rc) &
		done
		for r in 2 3; do
			(numf rx $NIC/rxbatch -B -s stop -o r\$r.hex 2>r\$r.log; echo \$? >r\$r.rc) &
		done
		for w in 0 1 2 3; do
			(numf tx $NIC/tx $f \$w:0:150 2>w\$w.log; echo \$? >w\$w.rc) &
		done
		for w in 4 5 6 7; do
			(numf txbatch $NIC/txbatch -r 8 -c 3000 $f \$w:0:150 2>w\$w.log
				echo \$? >w\$w.rc) &
		done
		echo started"
	inject 100 12 64
	vm_wire_wait "$out"
	# Everything injected was read: the readers may stop.
	run -0 vm_run -t 60 "cd /tmp/load && touch stop
		for i in \$(seq 300); do
			[ \$(ls r?.rc w?.rc 2>/dev/null | wc -l) -eq 12 ] && break; sleep 0.1
		done
		for f in r?.rc w?.rc; do echo \"\$f \$(cat \$f) \$(tail -1 \${f%.rc}.log)\"; done"
	echo "$output" >&2
	for s in r0 r1 r2 r3 w0 w1 w2 w3 w4 w5 w6 w7; do
		assert_line --regexp "^$s.rc 0 "
	done
	for s in 0 1 2 3 4 5 6 7; do spec+=("$s:0:150"); done
	check_frames "wire (1200 written)" -d "$OTHER" -S "$GUEST_MAC" "${spec[@]}" <"$out"
	vm_run "cat /tmp/load/r?.hex" >"$rd"
	check_frames "readers (768 injected)" -d "$GUEST_MAC" -S "$OTHER" 100:0:768 <"$rd"
	no_loss
}

# l2_wait PATTERN: wait (bounded by L2_TIMEOUT from L2's start) until L2's
# console has a line matching PATTERN; print the console; fail if not.
l2_wait() {
	local left
	left=$(($(cat "$BATS_FILE_TMPDIR/l2.start") + L2_TIMEOUT - $(date +%s)))
	[ "$left" -gt 10 ] || left=10
	vm_run -t $((left + 60)) "end=\$((\$(date +%s) + $left))
		while ! grep -q '$1' /tmp/l2/console 2>/dev/null &&
			kill -0 \$(cat /tmp/l2/pid) 2>/dev/null &&
			[ \$(date +%s) -lt \$end ]; do sleep 1; done
		tr -d '\r' </tmp/l2/console; cat /tmp/l2/qemu.log >&2
		grep -q '$1' /tmp/l2/console"
}

@test "through 9p, 2 writers and 2 readers in a nested guest at once: every frame accounted for, none lost" {
	local out=$BATS_TEST_TMPDIR/wire9p.hex rd=$BATS_TEST_TMPDIR/read9p.hex
	RX_BASE=$(stat_sum rx_packets)
	vm_wire_recv 3 "$out" -n 80 -t $((L2_TIMEOUT * 1000)) \
		-T $((L2_TIMEOUT * 1000))
	date +%s >"$BATS_FILE_TMPDIR/l2.start"
	# L2 dies with L1 (teardown_file).
	vm_run "rm -rf /tmp/l2 && mkdir -p /tmp/l2/out && cd /tmp/l2 || exit 1
		qemu-system-x86_64 -L $QDIR -machine pc -accel tcg -m 128 -smp 1 \
		-nodefaults -display none -no-reboot -serial file:/tmp/l2/console \
		-kernel /boot/vmlinuz -initrd /boot/l2.cpio \
		-append 'console=ttyS0 panic=-1 quiet l2bdf=$BDF l2seed=$SEED l2dst=$OTHER l2src=$GUEST_MAC l2n=40' \
		-fsdev local,id=pcifs,path=/mnt/pcifs,security_model=none \
		-device virtio-9p-pci,fsdev=pcifs,mount_tag=pcifs \
		-fsdev local,id=out,path=/tmp/l2/out,security_model=none \
		-device virtio-9p-pci,fsdev=out,mount_tag=out \
		</dev/null >/tmp/l2/qemu.log 2>&1 &
		echo \$! >/tmp/l2/pid"
	run l2_wait '^L2: STARTED'
	assert_success
	vm_run "touch /tmp/l2/out/go" # L2's writers start now
	inject 101 3 20
	vm_wire_wait "$out"
	vm_run "touch /tmp/l2/out/stop"
	run l2_wait '^L2: DONE'
	assert_success
	run -0 vm_run "cd /tmp/l2/out && for f in r0 r1 w0 w1; do
		echo \"\$f.rc \$(cat \$f.rc) \$(tail -1 \$f.log)\"; done"
	echo "$output" >&2
	for s in r0 r1 w0 w1; do
		assert_line --regexp "^$s.rc 0 "
	done
	check_frames "wire (80 written in L2)" -d "$OTHER" -S "$GUEST_MAC" 20:0:40 21:0:40 <"$out"
	vm_run "cat /tmp/l2/out/r?.hex" >"$rd"
	check_frames "L2 readers (60 injected)" -d "$GUEST_MAC" -S "$OTHER" 101:0:60 <"$rd"
	no_loss
}
