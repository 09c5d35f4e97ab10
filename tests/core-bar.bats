#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# core-bar.bats - bar<N> and regs/bar<N>/ on the host fixture, whose
# resourceN are sparse files: widths, alignment, EOF, writes checked in the
# fixture file, register text, EBUSY on a bound device, force and ro, and
# that pcifs maps a BAR only once its file is opened.

load test_helper/common-setup

NET=0000:00:03.0  # virtio-net, bound to virtio-pci, BAR0 512K
RNG=0000:00:05.0  # virtio-rng, unbound in this file's fixture copy
BALLOON=0000:00:01.0  # bound; its BAR is never opened before the maps test
SIZE=524288

setup_file() {
	FIX=$(fixture_tree host)
	MNT=$BATS_FILE_TMPDIR/mnt
	MNTF=$BATS_FILE_TMPDIR/mnt-force
	MNTR=$BATS_FILE_TMPDIR/mnt-ro
	export FIX MNT MNTF MNTR
	unbind_fixture "$FIX" "$RNG"
	# A recognisable pattern at both ends of the BARs.
	put_bytes "$FIX/devices/$RNG/resource0" 0 \
		"$(seq 0 63 | xargs printf '%02x')"
	put_bytes "$FIX/devices/$RNG/resource0" $((SIZE - 16)) \
		"$(seq 240 255 | xargs printf '%02x')"
	put_bytes "$FIX/devices/$NET/resource0" 0 0123456789abcdef
	mount_pcifs "$MNT" -o "sysfs=$FIX,nodriver"
	mount_pcifs "$MNTF" -o "sysfs=$FIX,nodriver,force"
	mount_pcifs "$MNTR" -o "sysfs=$FIX,nodriver,ro"
}

teardown_file() {
	unmount_pcifs "$MNT"
	unmount_pcifs "$MNTF"
	unmount_pcifs "$MNTR"
}

res() { # res BDF: the fixture's resource0 of BDF
	echo "$FIX/devices/$1/resource0"
}

@test "pcifs maps no BAR until its file is opened" {
	local pid
	pid=$(cat "$MNT.pid")
	cat "$MNT/$BALLOON/info" "$MNT/$BALLOON/config" >/dev/null
	ls -R "$MNT/$BALLOON" >/dev/null
	run cat "/proc/$pid/maps"
	refute_output --partial resource0
	run ls -l "/proc/$pid/fd"
	refute_output --partial resource0
	# Opening the RNG's bar0 maps that device's resource0, not others.
	read_at "$MNT/$RNG/bar0" 0 4 >/dev/null
	run cat "/proc/$pid/maps"
	assert_output --partial "$RNG/resource0"
	refute_output --partial "$BALLOON/resource0"
}

@test "bar0: aligned 1, 2, 4 and 8-byte reads return the fixture bytes" {
	local w off
	for w in 1 2 4 8; do
		for off in 0 $w $((2 * w)) 16 32 $((SIZE - w)); do
			run read_at "$MNT/$RNG/bar0" "$off" "$w"
			assert_success
			assert_output "$(hexbytes "$(res "$RNG")" "$off" "$w")"
		done
	done
}

@test "bar0: longer reads: dd bs=4, bs=16, xxd, hexdump and cmp" {
	run bash -c "dd if='$MNT/$RNG/bar0' bs=4 count=16 status=none | xxd -p"
	assert_output "$(dd if="$(res "$RNG")" bs=4 count=16 status=none | xxd -p)"
	run read_at "$MNT/$RNG/bar0" 16 16
	assert_output 101112131415161718191a1b1c1d1e1f
	run xxd -l 64 "$MNT/$RNG/bar0"
	assert_output "$(xxd -l 64 "$(res "$RNG")")"
	run hexdump -C "$MNT/$RNG/bar0"
	assert_output "$(hexdump -C "$(res "$RNG")")"
	cmp "$MNT/$RNG/bar0" "$(res "$RNG")"
}

@test "bar0: unaligned offsets and odd sizes are EINVAL" {
	local spec off size
	for spec in 1:2 3:2 2:4 1:4 6:4 0:3 0:5 0:6 0:7 0:10 4:6; do
		off=${spec%%:*}
		size=${spec#*:}
		run ! read_at "$MNT/$RNG/bar0" "$off" "$size"
		assert_output --partial "Invalid argument"
	done
}

@test "bar0: 12 and 4096-byte aligned reads are consecutive dwords" {
	run read_at "$MNT/$RNG/bar0" 0 12
	assert_output 000102030405060708090a0b
	run read_at "$MNT/$RNG/bar0" 4096 4096
	assert_output "$(hexbytes "$(res "$RNG")" 4096 4096)"
}

@test "bar0: reads at or past the end return EOF" {
	run read_at "$MNT/$RNG/bar0" $SIZE 4
	assert_success
	assert_output ""
	run read_at "$MNT/$RNG/bar0" $((SIZE + 4096)) 8
	assert_success
	assert_output ""
	run read_at "$MNT/$RNG/bar0" $((SIZE - 4)) 4
	assert_output fcfdfeff
}

@test "bar0: 1, 2, 4 and 8-byte writes land in the resource file" {
	write_at "$MNT/$RNG/bar0" 0x100 a1
	write_at "$MNT/$RNG/bar0" 0x102 b2c3
	write_at "$MNT/$RNG/bar0" 0x104 d4e5f607
	write_at "$MNT/$RNG/bar0" 0x108 0123456789abcdef
	[ "$(hexbytes "$(res "$RNG")" 0x100 16)" = a100b2c3d4e5f6070123456789abcdef ]
	write_at "$MNT/$RNG/bar0" $((SIZE - 8)) 1122334455667788
	[ "$(hexbytes "$(res "$RNG")" $((SIZE - 8)) 8)" = 1122334455667788 ]
}

@test "bar0: a 16-byte write stores four dwords" {
	write_at "$MNT/$RNG/bar0" 0x200 00112233445566778899aabbccddeeff
	[ "$(hexbytes "$(res "$RNG")" 0x200 16)" = 00112233445566778899aabbccddeeff ]
	run read_at "$MNT/$RNG/bar0" 0x200 16
	assert_output 00112233445566778899aabbccddeeff
}

@test "bar0: unaligned or odd-sized writes are EINVAL, nothing written" {
	local before
	before=$(hexbytes "$(res "$RNG")" 0x300 32)
	run ! write_at "$MNT/$RNG/bar0" 0x301 ffff
	assert_output --partial "Invalid argument"
	run ! write_at "$MNT/$RNG/bar0" 0x302 ffffffff
	assert_output --partial "Invalid argument"
	run ! write_at "$MNT/$RNG/bar0" 0x300 ffffff
	assert_output --partial "Invalid argument"
	run ! write_at "$MNT/$RNG/bar0" 0x300 ffffffffffff
	assert_output --partial "Invalid argument"
	[ "$(hexbytes "$(res "$RNG")" 0x300 32)" = "$before" ]
}

@test "bar0: a write past the end fails (ENOSPC or EINVAL)" {
	run ! write_at "$MNT/$RNG/bar0" $SIZE 00000000
	assert_output --regexp "No space left on device|Invalid argument"
	[ "$(stat -c %s "$(res "$RNG")")" -eq $SIZE ]
}

@test "bar0: reads see changes made behind pcifs (no page cache)" {
	put_bytes "$(res "$RNG")" 0x400 11111111
	run read_at "$MNT/$RNG/bar0" 0x400 4
	assert_output 11111111
	put_bytes "$(res "$RNG")" 0x400 22222222
	run read_at "$MNT/$RNG/bar0" 0x400 4
	assert_output 22222222
	run cat "$MNT/$RNG/regs/bar0/0x400"
	assert_output 0x22222222
}

# --- regs/bar<N> -----------------------------------------------------------------

@test "regs/bar0 of a device pcifs has no names for lists nothing" {
	run ls -A "$MNT/$RNG/regs/bar0"
	assert_success
	assert_output ""
}

@test "regs/bar0/<OFF>: .b .w .l .q and default .l read little-endian text" {
	run cat "$MNT/$RNG/regs/bar0/0x8"
	assert_output 0x0b0a0908
	run cat "$MNT/$RNG/regs/bar0/0x8.l"
	assert_output 0x0b0a0908
	run cat "$MNT/$RNG/regs/bar0/8.b"
	assert_output 0x08
	run cat "$MNT/$RNG/regs/bar0/0xa.w"
	assert_output 0x0b0a
	run cat "$MNT/$RNG/regs/bar0/0x10.q"
	assert_output 0x1716151413121110
	run stat -c %s "$MNT/$RNG/regs/bar0/0x10.q" "$MNT/$RNG/regs/bar0/8.b"
	assert_output "$(printf '19\n5')"
	run cat "$MNT/$RNG/regs/bar0/0x7fff8.q"
	assert_output "$(le_value "$(res "$RNG")" 0x7fff8 8)"
}

@test "regs/bar0/<OFF>: writes, masked writes, little-endian in the file" {
	echo 0xdeadbeef >"$MNT/$RNG/regs/bar0/0x500"
	[ "$(hexbytes "$(res "$RNG")" 0x500 4)" = efbeadde ]
	reg_write "$MNT/$RNG/regs/bar0/0x508.q" 0123456789abcdef
	[ "$(hexbytes "$(res "$RNG")" 0x508 8)" = efcdab8967452301 ]
	echo 0x00000000:0x0000ffff >"$MNT/$RNG/regs/bar0/0x500.l"
	[ "$(hexbytes "$(res "$RNG")" 0x500 4)" = 0000adde ]
	echo 0x5a >"$MNT/$RNG/regs/bar0/0x501.b"
	[ "$(hexbytes "$(res "$RNG")" 0x500 4)" = 005aadde ]
	echo ffff:00f0 >"$MNT/$RNG/regs/bar0/0x502.w"
	[ "$(hexbytes "$(res "$RNG")" 0x500 4)" = 005afdde ]
	run cat "$MNT/$RNG/regs/bar0/0x500"
	assert_output 0xdefd5a00
}

@test "regs/bar0/<OFF>: invalid values are EINVAL, nothing written" {
	local before bad
	before=$(hexbytes "$(res "$RNG")" 0x600 16)
	for bad in "" "0x" "xyz" "0x100000000" "0x1:0x100000000" "0x1:" \
		"0x1 0x2"; do
		run ! reg_write "$MNT/$RNG/regs/bar0/0x600" "$bad"$'\n'
		assert_output --partial "Invalid argument"
	done
	run ! reg_write "$MNT/$RNG/regs/bar0/0x608.b" 0x100
	assert_output --partial "Invalid argument"
	run ! reg_write "$MNT/$RNG/regs/bar0/0x608.q" 0x10000000000000000
	assert_output --partial "Invalid argument"
	[ "$(hexbytes "$(res "$RNG")" 0x600 16)" = "$before" ]
}

# --- safety -------------------------------------------------------------------------

@test "bar0 of a driver-bound device: reads and writes are EBUSY" {
	run ! read_at "$MNT/$NET/bar0" 0 4
	assert_output --partial "Device or resource busy"
	run ! cat "$MNT/$NET/regs/bar0/0x0"
	assert_output --partial "Device or resource busy"
	run ! write_at "$MNT/$NET/bar0" 0 00000000
	assert_output --partial "Device or resource busy"
	run ! reg_write "$MNT/$NET/regs/bar0/0x0" 0
	assert_output --partial "Device or resource busy"
	[ "$(hexbytes "$(res "$NET")" 0 8)" = 0123456789abcdef ]
}

@test "the refused BAR access logs a line naming the driver and force" {
	run ! read_at "$MNT/$NET/bar0" 0 4
	run pcifs_log "$MNT"
	assert_line --regexp "$NET.*bar0.*virtio-pci.*force"
}

@test "a refusal repeated in a loop is logged a few times, not every time" {
	local i
	for i in $(seq 20); do
		run ! cat "$MNT/$NET/regs/bar0/0x18"
	done
	assert_output --partial "Device or resource busy"
	run grep -c "regs/bar0/0x18 read refused" "$MNT.log"
	assert_output 5
}

@test "-o force: bar0 of a driver-bound device reads and writes" {
	run read_at "$MNTF/$NET/bar0" 0 8
	assert_output 0123456789abcdef
	run cat "$MNTF/$NET/regs/bar0/0x4"
	assert_output 0xefcdab89
	write_at "$MNTF/$NET/bar0" 0x10 cafebabe
	[ "$(hexbytes "$(res "$NET")" 0x10 4)" = cafebabe ]
	echo 0x1 >"$MNTF/$NET/regs/bar0/0x14.b"
	[ "$(hexbytes "$(res "$NET")" 0x14 1)" = 01 ]
}

@test "ro: BAR writes fail EROFS, reads work, mode has no write bit" {
	local before
	before=$(hexbytes "$(res "$RNG")" 0 16)
	run ! write_at "$MNTR/$RNG/bar0" 0 00000000
	assert_output --partial "Read-only file system"
	run ! reg_write "$MNTR/$RNG/regs/bar0/0x0" 0
	assert_output --partial "Read-only file system"
	[ "$(hexbytes "$(res "$RNG")" 0 16)" = "$before" ]
	run read_at "$MNTR/$RNG/bar0" 0 4
	assert_output "${before:0:8}"
	run stat -c %a "$MNTR/$RNG/bar0"
	assert_output 400
}

@test "a driver bound after mount is honoured at the next open" {
	local fix_dev=$FIX/devices/$RNG
	run read_at "$MNT/$RNG/bar0" 0 4
	assert_output 00010203
	mkdir -p "$FIX/drivers/virtio-pci"
	ln -s ../../drivers/virtio-pci "$fix_dev/driver"
	run ! read_at "$MNT/$RNG/bar0" 0 4
	rm -f "$fix_dev/driver"
	assert_output --partial "Device or resource busy"
	run read_at "$MNT/$RNG/bar0" 0 4
	assert_output 00010203
}

@test "a driver bound while bar0 is open: that descriptor's next read and write are EBUSY" {
	local fix_dev=$FIX/devices/$RNG before
	before=$(xxd "$(res "$RNG")" | head -4)
	mkdir -p "$FIX/drivers/virtio-pci"
	# One descriptor, opened before the driver binds, used after.
	run bash -c "exec 7<>'$MNT/$RNG/bar0'
		dd bs=4 count=1 status=none <&7 | xxd -p
		ln -s ../../drivers/virtio-pci '$fix_dev/driver'
		dd bs=4 count=1 status=none <&7 >/dev/null || echo read-refused
		printf '\\xff\\xff\\xff\\xff' | dd bs=4 count=1 conv=notrunc status=none >&7 ||
			echo write-refused"
	rm -f "$fix_dev/driver"
	assert_line 00010203
	assert_line read-refused
	assert_line write-refused
	assert_output --partial "Device or resource busy"
	[ "$(xxd "$(res "$RNG")" | head -4)" = "$before" ]
}

@test "a device removed and found again at its address: the next open maps the new BAR" {
	local fix_dev=$FIX/devices/$RNG saved=$BATS_TEST_TMPDIR/resource0
	run read_at "$MNT/$RNG/bar0" 0 4
	assert_output 00010203
	# A rescan: the old resource file goes, a new one takes its name.
	cp --sparse=always "$fix_dev/resource0" "$saved"
	rm "$fix_dev/resource0"
	truncate -s $SIZE "$fix_dev/resource0"
	put_bytes "$fix_dev/resource0" 0 cafef00d
	run read_at "$MNT/$RNG/bar0" 0 4
	mv "$saved" "$fix_dev/resource0"
	assert_output cafef00d
}

@test "a NIC another pcifs drives (resource0 flock held): BAR access and config writes are EBUSY" {
	# pcifs's e1000 driver holds an exclusive flock on resource0 while it
	# drives a NIC.  Here a sleep holds it on fd 9 instead (the lock lives
	# as long as that open file): killing the one pid releases it.
	(
		exec 9<"$(res "$RNG")"
		flock -x 9
		exec sleep 30
	) 3>&- &
	local holder=$!
	sleep 0.5
	run cat "$MNT/$RNG/regs/bar0/0x0"
	assert_failure
	assert_output --partial "busy"
	run bash -c "echo 0x1 > '$MNT/$RNG/regs/config/COMMAND'"
	assert_failure
	run grep -c "another pcifs drives this NIC" "$MNT.log"
	assert_output 2
	# Config reads stay allowed, and -o force overrides.
	run cat "$MNT/$RNG/regs/config/VENDOR_ID"
	assert_success
	run cat "$MNTF/$RNG/regs/bar0/0x0"
	assert_success
	kill "$holder"
	wait "$holder" 2>/dev/null || true
	run cat "$MNT/$RNG/regs/bar0/0x0"
	assert_success
}
