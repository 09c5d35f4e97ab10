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
# read byte-identical.  Then L2 runs pcifs-tap (fs/tap.c) on the 9p mount
# of L1's second e1000, whose wire is QEMU user networking (slirp,
# 10.0.2.0/24) with a filter-dump on this host: L2's pings to 10.0.2.2 go
# through the tap, txbatch and rxbatch, and the echo requests must be in
# that dump.  One L1 boot; L2 runs once, in the background.  L2's kernel
# boots in about 60-100 s under nested TCG; the file takes about 3-4
# minutes.

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
TAP_BDF=0000:00:04.0 # pcifs-tap's NIC, on slirp
TAP_MAC=020000000015 # pcifs-tap -m in L2
GW_MAC=52550a000202  # slirp's gateway, 10.0.2.2
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
	vm_nic user 4 dump=1
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
		-append 'console=ttyS0 panic=-1 quiet l2bdf=$BDF l2tap=$TAP_BDF l2tx=$(cat "$TX")' \
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
	run l2_wait '^L2: RX' 120
	local rx_packets
	rx_packets=$(guest_stat $BDF rx_packets)
	echo "L1's e1000: rx_packets $rx_packets" >&2
	assert_success
	elapsed "L2 read rx"
	assert_line "L2: RX $(cat "$RX")"
	# The NIC received that one frame, and L2's one read took it.
	assert_equal "$rx_packets" 1
}

# echo_re SEQ: an ICMP echo request from pcifs-tap's MAC and 10.0.2.15 to
# the gateway's MAC and 10.0.2.2, sequence number SEQ, as a hex frame.
echo_re() {
	# Ethernet; IPv4 (tos, length, id, fragment, ttl), protocol 1 and
	# checksum; the addresses; ICMP type 8 code 0, checksum, id, SEQ.
	printf '^%s%s0800' "$GW_MAC" "$TAP_MAC"
	printf '45.{16}01.{4}0a00020f0a000202'
	printf '0800.{8}%04x' "$1"
}

@test "pcifs-tap in L2 on the 9p mount: pings of 10.0.2.2 through its tap cross L1's e1000" {
	run l2_wait '^L2: TAPPROMISC'
	assert_success
	elapsed "L2 pinged through pcifs-tap"
	assert_line "L2: TAP 02:00:00:00:00:15 mtu 1500 promisc 1"
	local l2=$output
	# The echo requests left L1's e1000: this host's dump of its wire.
	run -0 vm_pcap 4
	[ -n "$output" ] || fail "no frame at all on the wire of L1's $TAP_BDF"
	assert_line --regexp "$(echo_re 0)"
	assert_line --regexp "$(echo_re 1)"
	assert_line --regexp "$(echo_re 2)"
	# The replies went back to the tap's MAC (NIC promiscuous meanwhile),
	# and ping in L2 got them.
	assert_line --regexp "^$TAP_MAC${GW_MAC}080045.{16}01.{4}0a0002020a00020f0000"
	run -0 printf '%s\n' "$l2"
	assert_line --regexp '^L2: TAPPING .*bytes from 10.0.2.2: seq=[0-9]+ ttl='
	assert_line --regexp '^L2: TAPPING 3 packets transmitted, [1-3] packets received'
}

@test "SIGTERM ends pcifs-tap in L2 promptly: exit 0, one line of counts, tap gone, promisc back" {
	run l2_wait '^L2: TAPPROMISC'
	assert_success
	# 2 to 5 s measured in nested TCG on a loaded machine (about 20 ms on
	# a local stand-in): under 30 s.  A blocking rxbatch read would hold it
	# until the next frame came.
	grep -E '^L2: (TAPEXIT|TAPPING round-trip)' <<<"$output" | sed 's/^/# /' >&3
	assert_line --regexp '^L2: TAPEXIT 0 in [12]?[0-9](\.[0-9]+)? s$'
	assert_line --regexp '^L2: TAPERR pcifs-tap: pcifs0 \(02:00:00:00:00:15, mtu 1500\) on /mnt/pcifs/'"$TAP_BDF"'$'
	assert_line --regexp '^L2: TAPERR pcifs-tap: pcifs0: to txbatch [1-9][0-9]* frames [0-9]+ bytes, 0 dropped over 1514 bytes, 0 lost; from rxbatch [1-9][0-9]* frames [0-9]+ bytes, 0 lost$'
	assert_equal "$(grep -c '^L2: TAPERR' <<<"$output")" 2
	assert_line "L2: TAPGONE yes"
	assert_line "L2: TAPPROMISC 0"
}

@test "pcifs-tap in L2 on a directory that is no driven NIC exits 1 with one line" {
	local msg="not a NIC that pcifs drives (no rxbatch; see its info file)"
	run l2_wait '^L2: NOTNIC /mnt/pcifs '
	assert_success
	elapsed "L2 done with pcifs-tap"
	assert_line "L2: NOTNIC /mnt/pcifs/0000:00:00.0 1 1 pcifs-tap: /mnt/pcifs/0000:00:00.0: $msg"
	assert_line "L2: NOTNIC /mnt/pcifs 1 1 pcifs-tap: /mnt/pcifs: $msg"
}
