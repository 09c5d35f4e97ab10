#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# 9p-nested.bats - the real frame path of issue 4, nested: pcifs drives
# QEMU's emulated e1000 in a TCG guest (L1), and a QEMU inside L1 exports
# that pcifs mount over virtio-9p to its own TCG guest (L2), with the
# README's configuration (-fsdev local,security_model=none; guest mount
# cache=none,msize=131072).  L2 (tests/vm/9p-nested-l2.sh) writes one frame
# to tx and reads one frame from rx, through 9p.  L1's e1000 is a
# -netdev dgram to this host: the frame L2 wrote must arrive here
# byte-identical, and the frame injected here must come out of L2's rx
# read byte-identical.  One L1 boot; L2 runs once, in the background.
# L2's kernel boots in about 60-100 s under nested TCG; the file takes
# about 2-3 minutes.

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
QDIR=$VM_NESTED_QDIR # L1's QEMU data directory (-L)
# How long L2 may take to boot and do its work (nested TCG is slow).
L2_TIMEOUT=${PCIFS_NESTED_TIMEOUT:-480}

setup_file() {
	local l2
	date +%s >"$BATS_FILE_TMPDIR/t.0"
	l2=$("$PCIFS_ROOT/tests/vm/9p-nested-l2.sh")
	PCIFS_VM_EXTRA=$(vm_nested_extra "$l2")
	export PCIFS_VM_EXTRA
	export PCIFS_VM_MEM=1536 PCIFS_VM_BOOT_TIMEOUT=300
	vm_nic dgram 3
	vm_boot
	echo "$(($(date +%s) - $(cat "$BATS_FILE_TMPDIR/t.0")))" \
		>"$BATS_FILE_TMPDIR/t.l1"
	guest_mount

	GUEST_MAC=$(mac_hex "$(vm_mac 3)")
	OTHER=020000000001
	TX=$BATS_FILE_TMPDIR/tx.hex
	RX=$BATS_FILE_TMPDIR/rx.hex
	OUT=$BATS_FILE_TMPDIR/wire.hex
	export GUEST_MAC OTHER TX RX OUT
	frame_hex "$OTHER" "$GUEST_MAC" 100 >"$TX"
	frame_hex "$GUEST_MAC" "$OTHER" 200 >"$RX"
	# The tx frame, then 128 txbatch records.
	vm_wire_recv 3 "$OUT" -n 129 -t $((L2_TIMEOUT * 1000)) \
		-T $((L2_TIMEOUT * 1000))

	# L2: the README's 9p export of L1's pcifs mount.  It dies with L1.
	vm_run "mkdir -p /tmp/l2 && cd /tmp/l2 || exit 1
		qemu-system-x86_64 -L $QDIR -machine pc -accel tcg -m 128 -smp 1 \
		-nodefaults -display none -no-reboot -serial file:/tmp/l2/console \
		-kernel /boot/vmlinuz -initrd /boot/l2.cpio \
		-append 'console=ttyS0 panic=-1 quiet l2bdf=$BDF l2tx=$(cat "$TX")' \
		-fsdev local,id=pcifs,path=/mnt/pcifs,security_model=none \
		-device virtio-9p-pci,fsdev=pcifs,mount_tag=pcifs \
		</dev/null >/tmp/l2/qemu.log 2>&1 &
		echo \$! >/tmp/l2/pid"
	date +%s >"$BATS_FILE_TMPDIR/t.l2start"
}

teardown_file() {
	# L2's QEMU runs inside L1: stopping L1 ends it.
	vm_stop
	[ ! -f "$OUT.pid" ] || kill "$(cat "$OUT.pid")" 2>/dev/null || true
}

# l2_wait PATTERN [SECS]: wait (at most SECS, and not past L2_TIMEOUT after
# L2's start) until L2's console has a line matching PATTERN; print the
# console (and L2's QEMU log on stderr).  Fails if the line did not come.
l2_wait() {
	local now deadline
	now=$(date +%s)
	deadline=$(($(cat "$BATS_FILE_TMPDIR/t.l2start") + L2_TIMEOUT))
	[ -z "${2:-}" ] || [ $((now + $2)) -ge "$deadline" ] ||
		deadline=$((now + $2))
	vm_run -t $((deadline - now + 60)) "
		end=\$((\$(date +%s) + $((deadline - now))))
		while ! grep -q '$1' /tmp/l2/console 2>/dev/null &&
			kill -0 \$(cat /tmp/l2/pid) 2>/dev/null &&
			[ \$(date +%s) -lt \$end ]; do sleep 1; done
		tr -d '\r' </tmp/l2/console; cat /tmp/l2/qemu.log >&2
		grep -q '$1' /tmp/l2/console"
}

elapsed() { # elapsed NAME: seconds since setup_file began, into fd 3
	echo "# $1 at $(($(date +%s) - $(cat "$BATS_FILE_TMPDIR/t.0"))) s" \
		"(L1 ready at $(cat "$BATS_FILE_TMPDIR/t.l1") s)" >&3
}

@test "L2 mounts L1's pcifs over 9p and sees the e1000's queue files" {
	run l2_wait '^L2: TX'
	assert_success
	elapsed "L2 wrote tx"
	assert_line "L2: MOUNTED"
	assert_line --regexp '^L2: LS .*rx .*tx '
	assert_line --regexp "^L2: INFO pcifs_driver: $NIC_FAMILY .*driving"
	assert_line "L2: TX 100 bytes"
}

@test "a frame L2 writes to tx leaves L1's e1000 byte-identical" {
	run l2_wait '^L2: TXBATCH'
	assert_line "L2: TXBATCH 194304 bytes"
	vm_wire_wait "$OUT"
	assert_equal "$(sed -n 1p "$OUT")" "$(cat "$TX")"
}

@test "one txbatch write larger than msize crosses 9p in pieces and leaves as 128 whole frames" {
	local want
	want=$(cat "$TX")$(printf '%0*d' $(((1514 - 100) * 2)) 0)
	assert_equal "$(wc -l <"$OUT")" 129
	assert_equal "$(sed -n '2,$p' "$OUT" | sort -u)" "$want"
}

@test "a frame injected on the wire is one rx read in L2, byte-identical" {
	vm_wire_send 3 -f "$RX"
	# L2 is blocked in its rx read by now; it must print the frame soon.
	run l2_wait '^L2: DONE' 120
	local rx_packets
	rx_packets=$(guest_stat $BDF rx_packets)
	echo "L1's e1000: rx_packets $rx_packets" >&2
	assert_success
	elapsed "L2 done"
	assert_line "L2: RX $(cat "$RX")"
	# The NIC received that one frame, and L2's one read took it.
	assert_equal "$rx_packets" 1
}
