#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# e1000-badinput.bats - bad input on the files of a NIC pcifs drives, in a
# QEMU guest ($PCIFS_NIC): mac and promisc values with signs, spaces, 0x and
# multicast, writes to the read-only files and reads of the write-only ones,
# odd offsets, frames and txbatch records of bad lengths.  Each errno is
# checked with tests/tools/badio.c in the guest, and after it all the NIC
# still works: a frame sent crosses the wire byte-identical.  One boot.

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
NIC=/mnt/pcifs/0000:00:03.0

setup_file() {
	local badio=$BATS_FILE_TMPDIR/badio
	cc -O2 -Wall -Wextra -static -o "$badio" "$PCIFS_ROOT/tests/tools/badio.c"
	export PCIFS_VM_EXTRA="$badio ${PCIFS_VM_EXTRA:-}"
	vm_nic dgram 3
	e1000_boot
	guest_mount
}

teardown_file() {
	e1000_teardown_file
}

teardown() {
	vm_wire_cleanup
}

setup() {
	GUEST_MAC=$(mac_hex "$(vm_mac 3)")
	OTHER=020000000001
}

# gio EXPECT BADIO-ARGS...: badio in the guest; its answers without "open
# ok", "close ok" and the errno's text must be EXPECT; never ENOSYS.
gio() {
	local expect=$1 got
	shift
	run -0 vm_run "badio $(printf '%q ' "$@")"
	refute_output --partial ENOSYS
	got=$(grep -v -e '^open ok$' -e '^close ok$' <<<"$output" |
		sed 's/ (.*)$//')
	[ "$got" = "$expect" ] || echo "badio $*" >&2
	assert_equal "$got" "$expect"
}

# gwrites_fail ERRNO FILE VALUE...: each VALUE, one write(2) on a
# descriptor of its own, fails with ERRNO.
gwrites_fail() {
	local err=$1 file=$2 value
	shift 2
	for value; do
		gio "write $err" open "$file" w "w=$value"
	done
}

@test "mac: signs, spaces, 0x, wrong lengths, multicast, zero and odd offsets are EINVAL; the address stays" {
	local mac
	mac=$(vm_mac 3)
	gwrites_fail EINVAL "$NIC/mac" "-2:54:00:12:34:56" "+2:54:00:12:34:56" \
		" 52:54:00:12:34:56" "52:54:00:12:34:56 " "52:54:00:12:34: 6" \
		"0x52:54:00:12:34:56" "52:54:0x:12:34:56" "52:54:-0:12:34:56" \
		"52-54-00-12-34-56" "525400123456" "52:54:00:12:34" \
		"52:54:00:12:34:56:78" "2:54:00:12:34:56" "52:54:00:12:34:5g" \
		"52:54:00:12:34:56\\n\\n" "\\n" "52:54:00:12:34:56\\x00" \
		"01:00:5e:00:00:01" "ff:ff:ff:ff:ff:ff" "03:00:00:00:00:00" \
		"00:00:00:00:00:00"
	gio "write EINVAL" open "$NIC/mac" w "w@1=02:00:00:00:00:02"
	gio "write EINVAL" open "$NIC/mac" w f=1048576:30
	gio "write 0" open "$NIC/mac" w w=
	run -0 vm_run "cat $NIC/mac"
	assert_output "$mac"
}

@test "promisc: anything but 0 or 1 is EINVAL; the setting stays" {
	gwrites_fail EINVAL "$NIC/promisc" 2 yes true on "\\n" " 1" "1 " "+1" \
		"-1" 01 0x1 "1\\n\\n" "1\\r\\n" "1\\x00"
	gio "write EINVAL" open "$NIC/promisc" w "w@1=1"
	gio "write 0" open "$NIC/promisc" w w=
	run -0 vm_run "cat $NIC/promisc"
	assert_output 0
}

@test "read-only files refuse writes and truncate with EACCES, write-only ones reads; reads at odd offsets" {
	local f flags
	for f in link stats rx rxbatch; do
		for flags in w rw w,trunc w,append; do
			gio "open EACCES" open "$NIC/$f" "$flags" w=1
		done
	done
	for f in link stats rx rxbatch; do
		gio "truncate EACCES" truncate "$NIC/$f" 0
	done
	for f in tx txbatch; do
		gio "open EACCES" open "$NIC/$f" r r=2048
	done
	# echo > mac truncates first.
	for f in tx txbatch mac promisc; do
		gio "truncate ok" truncate "$NIC/$f" 0
	done
	gio "read EBADF" open "$NIC/tx" rw r=2048
	# "up 1000 full": 4 bytes at offset 3 are "1000".
	gio "read 4 31303030" open "$NIC/link" r r@3=4
	gio "read 0" open "$NIC/link" r r@4096=4
	gio "read 0" open "$NIC/stats" r r@1099511627776=4
	gio "read EINVAL" open "$NIC/stats" r r@-1=4
	run -0 vm_run "cat $NIC/link"
	assert_output "up 1000 full"
}

@test "tree changes and creates among the NIC's files: EPERM or ENOENT, never ENOSYS" {
	gio "unlink EPERM" unlink "$NIC/tx"
	gio "rename EPERM" rename "$NIC/rx" "$NIC/rx2"
	gio "link EPERM" link "$NIC/mac" "$NIC/mac2"
	gio "symlink EPERM" symlink tx "$NIC/tx2"
	gio "mkdir EPERM" mkdir "$NIC/queue"
	gio "chmod EPERM" chmod "$NIC/tx" 666
	gio "open ENOENT" open "$NIC/txx" w,creat w=1
	gio "open EISDIR" open "$NIC" w
	run -0 vm_run "ls $NIC"
	assert_line tx
	refute_line rx2
}

@test "tx: frames of bad lengths are EINVAL and nothing is sent" {
	local before size
	before=$(guest_stat $BDF tx_packets)
	for size in 1 6 13 1515 1518 9000 65536 1048576; do
		gio "write EINVAL" open "$NIC/tx" w "f=$size:ff"
	done
	gio "write 0" open "$NIC/tx" w w=
	assert_equal "$(guest_stat $BDF tx_packets)" "$before"
	assert_equal "$(guest_stat $BDF tx_errors)" 0
}

@test "txbatch: records of bad lengths are EINVAL, a cut record fails close, nothing is sent" {
	local before len
	before=$(guest_stat $BDF tx_packets)
	# A 4-byte big-endian length, alone or with 16 bytes of frame:
	# lengths 0, 13, 1515, 64 KiB, 2^31, 2^32-1.
	for len in '\x00\x00\x00\x00' '\x00\x00\x00\x0d' '\x00\x00\x05\xeb' \
		'\x00\x01\x00\x00' '\x80\x00\x00\x00' '\xff\xff\xff\xff'; do
		gio "write EINVAL" open "$NIC/txbatch" w "w=$len"
		gio "write EINVAL" open "$NIC/txbatch" w "w=${len}0123456789abcdef"
	done
	# Half a length, then close: the record is incomplete.
	gio $'write 2\nclose EINVAL' open "$NIC/txbatch" w 'w=\x00\x00'
	# A good length and too few bytes, then close.
	gio $'write 24\nclose EINVAL' open "$NIC/txbatch" w \
		'w=\x00\x00\x00\x400123456789abcdefghij'
	# A bad record after a good one: the write is refused whole.
	gio "write EINVAL" open "$NIC/txbatch" w \
		"w=\\x00\\x00\\x00\\x0e$(printf '\\xff%.0s' {1..14})\\x00\\x00\\x00\\x01x"
	gio "write EINVAL" open "$NIC/txbatch" w 'w@3=\x00\x00\x00\x0d'
	assert_equal "$(guest_stat $BDF tx_packets)" "$before"
}

@test "rx and rxbatch: short buffers and empty queues give their errnos" {
	gio "read EINVAL" open "$NIC/rxbatch" r,nonblock r=1517
	gio "read EINVAL" open "$NIC/rxbatch" r,nonblock r=1
	gio "read EAGAIN" open "$NIC/rxbatch" r,nonblock r=1518
	gio "read EAGAIN" open "$NIC/rx" r,nonblock r=2048
	gio "read 0" open "$NIC/rx" r,nonblock r=0
}

@test "after all that the NIC works: a frame crosses the wire byte-identical, one comes in" {
	local out=$BATS_TEST_TMPDIR/wire.hex
	frame_hex "$OTHER" "$GUEST_MAC" 100 >"$BATS_TEST_TMPDIR/f.hex"
	cp "$BATS_TEST_TMPDIR/f.hex" "$(share_file frames.hex)"
	vm_wire_recv 3 "$out" -n 1 -t 10000
	vm_run "fq send $NIC/tx </mnt/host/frames.hex"
	vm_wire_wait "$out"
	assert_equal "$(cat "$out")" "$(cat "$BATS_TEST_TMPDIR/f.hex")"
	frame_hex "$GUEST_MAC" "$OTHER" 80 >"$BATS_TEST_TMPDIR/in.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/in.hex"
	run -0 vm_run "fq recv $NIC/rx -p 10000"
	assert_output "$(cat "$BATS_TEST_TMPDIR/in.hex")"
	run -0 vm_run "pidof pcifs && ls /mnt/pcifs"
	assert_line "$BDF"
}
