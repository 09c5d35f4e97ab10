#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# core-config.bats - the config file and regs/config/ on the host fixture:
# bytes, widths, setpci names, text formats, (masked) writes checked in the
# fixture's config file, EINVAL, EBUSY on a bound device, force and ro.

load test_helper/common-setup

NET=0000:00:03.0  # virtio-net, bound to virtio-pci
RNG=0000:00:05.0  # virtio-rng, unbound in this file's fixture copy
HOSTB=0000:00:00.0

setup_file() {
	FIX=$(fixture_tree host)
	MNT=$BATS_FILE_TMPDIR/mnt
	MNTF=$BATS_FILE_TMPDIR/mnt-force
	MNTR=$BATS_FILE_TMPDIR/mnt-ro
	export FIX MNT MNTF MNTR
	unbind_fixture "$FIX" "$RNG"
	mount_pcifs "$MNT" -o "sysfs=$FIX,nodriver"
	mount_pcifs "$MNTF" -o "sysfs=$FIX,nodriver,force"
	mount_pcifs "$MNTR" -o "sysfs=$FIX,nodriver,ro"
}

teardown_file() {
	unmount_pcifs "$MNT"
	unmount_pcifs "$MNTF"
	unmount_pcifs "$MNTR"
}

cfg() { # cfg BDF: the fixture's config file of BDF
	echo "$FIX/devices/$1/config"
}

# --- the config file ----------------------------------------------------------

@test "config bytes equal the fixture's config file, every device" {
	local dev
	for dev in "$FIX"/devices/*; do
		cmp "$MNT/${dev##*/}/config" "$dev/config"
	done
}

@test "config: aligned 1, 2 and 4-byte reads return the fixture bytes" {
	local off
	for off in 0 1 2 3 8 0x3c 0x3d 0x98 0xff; do
		run read_at "$MNT/$NET/config" $((off)) 1
		assert_output "$(hexbytes "$(cfg "$NET")" $((off)) 1)"
	done
	for off in 0 2 4 6 0x2c 0x2e 0x9a 0xfe; do
		run read_at "$MNT/$NET/config" $((off)) 2
		assert_output "$(hexbytes "$(cfg "$NET")" $((off)) 2)"
	done
	for off in 0 4 8 0x10 0x2c 0x98 0xfc; do
		run read_at "$MNT/$NET/config" $((off)) 4
		assert_output "$(hexbytes "$(cfg "$NET")" $((off)) 4)"
	done
}

@test "config: dd bs=4 and xxd read the same bytes as the fixture" {
	run bash -c "dd if='$MNT/$NET/config' bs=4 status=none | xxd"
	assert_success
	assert_output "$(xxd "$(cfg "$NET")")"
	run xxd -s 0x40 -l 0x40 "$MNT/$NET/config"
	assert_output "$(xxd -s 0x40 -l 0x40 "$(cfg "$NET")")"
}

@test "config: reads at or past the end return EOF" {
	run read_at "$MNT/$NET/config" 256 4
	assert_success
	assert_output ""
	run read_at "$MNT/$HOSTB/config" 4096 4
	assert_success
	assert_output ""
	run read_at "$MNT/$HOSTB/config" 4092 4
	assert_output "$(hexbytes "$(cfg "$HOSTB")" 4092 4)"
}

@test "config: 1, 2 and 4-byte writes land little-endian in the config file" {
	write_at "$MNT/$RNG/config" 0x3c 5a
	[ "$(hexbytes "$(cfg "$RNG")" 0x3c 1)" = 5a ]
	write_at "$MNT/$RNG/config" 0x04 0601
	[ "$(hexbytes "$(cfg "$RNG")" 0x04 2)" = 0601 ]
	write_at "$MNT/$RNG/config" 0x44 78563412
	[ "$(hexbytes "$(cfg "$RNG")" 0x44 4)" = 78563412 ]
	run cat "$MNT/$RNG/regs/config/0x44"
	assert_output 0x12345678
}

@test "config: a write on a driver-bound device is EBUSY, nothing written" {
	local before
	before=$(xxd "$(cfg "$NET")")
	run ! write_at "$MNT/$NET/config" 0x04 0000
	assert_output --partial "Device or resource busy"
	[ "$(xxd "$(cfg "$NET")")" = "$before" ]
}

@test "config: the refused write logs one line naming driver and option" {
	run ! write_at "$MNT/$NET/config" 0x3c 00
	run pcifs_log "$MNT"
	assert_line --regexp "$NET.*virtio-pci.*force|$NET.*force.*virtio-pci"
}

@test "config: -o force allows the write on a driver-bound device" {
	write_at "$MNTF/$NET/config" 0x3c 42
	[ "$(hexbytes "$(cfg "$NET")" 0x3c 1)" = 42 ]
	put_bytes "$(cfg "$NET")" 0x3c 00
}

@test "config: reading a driver-bound device is always allowed" {
	cmp "$MNT/$NET/config" "$(cfg "$NET")"
	run cat "$MNT/$NET/regs/config/VENDOR_ID"
	assert_output 0x1af4
}

# --- regs/config names ---------------------------------------------------------

# setpci's standard header names (type 0) with offset and width in bytes.
HEADER0="VENDOR_ID 0x00 2
DEVICE_ID 0x02 2
COMMAND 0x04 2
STATUS 0x06 2
REVISION 0x08 1
CLASS_PROG 0x09 1
CLASS_DEVICE 0x0a 2
CACHE_LINE_SIZE 0x0c 1
LATENCY_TIMER 0x0d 1
HEADER_TYPE 0x0e 1
BIST 0x0f 1
BASE_ADDRESS_0 0x10 4
BASE_ADDRESS_1 0x14 4
BASE_ADDRESS_2 0x18 4
BASE_ADDRESS_3 0x1c 4
BASE_ADDRESS_4 0x20 4
BASE_ADDRESS_5 0x24 4
SUBSYSTEM_VENDOR_ID 0x2c 2
SUBSYSTEM_ID 0x2e 2
ROM_ADDRESS 0x30 4
CAPABILITIES 0x34 1
INTERRUPT_LINE 0x3c 1
INTERRUPT_PIN 0x3d 1
MIN_GNT 0x3e 1
MAX_LAT 0x3f 1"

@test "regs/config lists the type 0 header names, not the bridge ones" {
	local name
	run ls "$MNT/$NET/regs/config"
	assert_success
	while read -r name _; do
		assert_line "$name"
	done <<<"$HEADER0"
	refute_line PRIMARY_BUS
	refute_line BRIDGE_CONTROL
	refute_line IO_BASE
}

@test "regs/config lists the capabilities present, not absent ones" {
	run ls "$MNT/$NET/regs/config"
	assert_line CAP_MSIX
	refute_line CAP_PM
	refute_line CAP_EXP
	refute_line --regexp '^ECAP_'
	refute_line --regexp '^0x'
}

@test "every type 0 header name reads the fixture value in its width" {
	local name off width
	while read -r name off width; do
		run cat "$MNT/$NET/regs/config/$name"
		assert_success
		assert_output "$(le_value "$(cfg "$NET")" $((off)) "$width")"
	done <<<"$HEADER0"
}

@test "register text: 0x, 2/4/8 hex digits, newline; st_size is its length" {
	run cat "$MNT/$NET/regs/config/VENDOR_ID"
	assert_output 0x1af4
	[ "$(xxd -p "$MNT/$NET/regs/config/VENDOR_ID")" = "$(printf '0x1af4\n' | xxd -p)" ]
	run cat "$MNT/$NET/regs/config/HEADER_TYPE"
	assert_output 0x00
	run cat "$MNT/$NET/regs/config/CAPABILITIES"
	assert_output 0x40
	run cat "$MNT/$NET/regs/config/BASE_ADDRESS_0"
	assert_output 0x00100004
	run stat -c %s "$MNT/$NET/regs/config/REVISION" \
		"$MNT/$NET/regs/config/COMMAND" "$MNT/$NET/regs/config/BASE_ADDRESS_0"
	assert_output "$(printf '5\n7\n11')"
}

@test "offset names: 0x3c.b, 3c.b, 0x2.w, 0x10 (default .l), 0x4.l" {
	local c
	c=$(cfg "$NET")
	run cat "$MNT/$NET/regs/config/0x3c.b"
	assert_output "$(le_value "$c" 0x3c 1)"
	run cat "$MNT/$NET/regs/config/3c.b"
	assert_output "$(le_value "$c" 0x3c 1)"
	run cat "$MNT/$NET/regs/config/0x2.w"
	assert_output 0x1041
	run cat "$MNT/$NET/regs/config/0x10"
	assert_output 0x00100004
	run cat "$MNT/$NET/regs/config/0x0.l"
	assert_output 0x10411af4
	run cat "$MNT/$NET/regs/config/0x98.w"
	assert_output "$(le_value "$c" 0x98 2)"
}

@test "offset names resolve on lookup but are not listed" {
	[ -e "$MNT/$NET/regs/config/0x3c.b" ]
	run ls "$MNT/$NET/regs/config"
	refute_line 0x3c.b
	refute_line 3c.b
}

@test "names are case-insensitive on lookup" {
	run cat "$MNT/$NET/regs/config/vendor_id"
	assert_output 0x1af4
	run cat "$MNT/$NET/regs/config/Device_Id"
	assert_output 0x1041
	run cat "$MNT/$NET/regs/config/cap_msix+2.w"
	assert_output "$(le_value "$(cfg "$NET")" 0x9a 2)"
}

@test "an unknown register name is ENOENT" {
	run ! cat "$MNT/$NET/regs/config/NO_SUCH_REG"
	assert_output --partial "No such file"
	run ! cat "$MNT/$NET/regs/config/CAP_PM"
	assert_output --partial "No such file"
	run ! cat "$MNT/$NET/regs/config/0x3c.x"
}

@test "CAP_MSIX is the capability's first dword; CAP_MSIX+0x2.w its control" {
	local c
	c=$(cfg "$NET")
	run cat "$MNT/$NET/regs/config/CAP_MSIX"
	assert_output "$(le_value "$c" 0x98 4)"
	run cat "$MNT/$NET/regs/config/CAP_MSIX+0x2.w"
	assert_output "$(le_value "$c" 0x9a 2)"
	run cat "$MNT/$NET/regs/config/CAP_MSIX+4.l"
	assert_output "$(le_value "$c" 0x9c 4)"
	run cat "$MNT/$NET/regs/config/CAP_VNDR.b"
	assert_output 0x09
}

# --- register writes ------------------------------------------------------------

@test "write: value with 0x and newline lands little-endian" {
	echo 0x0407 >"$MNT/$RNG/regs/config/COMMAND"
	[ "$(hexbytes "$(cfg "$RNG")" 4 2)" = 0704 ]
	run cat "$MNT/$RNG/regs/config/COMMAND"
	assert_output 0x0407
}

@test "write: value without 0x and without newline" {
	reg_write "$MNT/$RNG/regs/config/INTERRUPT_LINE" ab
	[ "$(hexbytes "$(cfg "$RNG")" 0x3c 1)" = ab ]
	reg_write "$MNT/$RNG/regs/config/0x48.l" DEADbeef
	[ "$(hexbytes "$(cfg "$RNG")" 0x48 4)" = efbeadde ]
}

@test "write: 32-bit register touches only its four bytes" {
	put_bytes "$(cfg "$RNG")" 0x4c 11223344
	put_bytes "$(cfg "$RNG")" 0x54 55667788
	echo 0xcafef00d >"$MNT/$RNG/regs/config/0x50.l"
	[ "$(hexbytes "$(cfg "$RNG")" 0x4c 12)" = 112233440df0feca55667788 ]
}

@test "write: value:mask changes only the masked bits" {
	echo 0x1234 >"$MNT/$RNG/regs/config/COMMAND"
	echo 0xff00:0x0f0f >"$MNT/$RNG/regs/config/COMMAND"
	# (0x1234 & ~0x0f0f) | (0xff00 & 0x0f0f) = 0x1f30
	[ "$(hexbytes "$(cfg "$RNG")" 4 2)" = 301f ]
	put_bytes "$(cfg "$RNG")" 0x3c 60
	echo 5:f >"$MNT/$RNG/regs/config/0x3c.b"
	reg_write "$MNT/$RNG/regs/config/0x3c.b" 0x80:0x80
	[ "$(hexbytes "$(cfg "$RNG")" 0x3c 1)" = e5 ]
	put_bytes "$(cfg "$RNG")" 0x44 00000000
	echo 0xffffffff:0x0000ff00 >"$MNT/$RNG/regs/config/0x44.l"
	[ "$(hexbytes "$(cfg "$RNG")" 0x44 4)" = 00ff0000 ]
}

@test "write: invalid values fail EINVAL and write nothing" {
	local before bad
	put_bytes "$(cfg "$RNG")" 4 3412
	before=$(xxd "$(cfg "$RNG")")
	for bad in "" "0x" "zz" "0x12g4" "0x10000" "12 34" "-1" "0x12:" \
		":0xff" "0x12:0x10000" "0x12:zz" "1:2:3" "0x12345678901234567"; do
		run ! reg_write "$MNT/$RNG/regs/config/COMMAND" "$bad"$'\n'
		assert_output --partial "Invalid argument"
	done
	run ! reg_write "$MNT/$RNG/regs/config/INTERRUPT_LINE" 0x100
	assert_output --partial "Invalid argument"
	[ "$(xxd "$(cfg "$RNG")")" = "$before" ]
}

@test "write: 1 MiB of 0 then zzz, cut into FUSE requests, fails EINVAL and writes nothing" {
	local big=$BATS_FILE_TMPDIR/big before
	put_bytes "$(cfg "$RNG")" 4 3412
	before=$(xxd "$(cfg "$RNG")")
	{ head -c 1048576 /dev/zero | tr '\0' 0; printf zzz; } >"$big"
	run ! dd if="$big" of="$MNT/$RNG/regs/config/COMMAND" bs=2M \
		iflag=fullblock conv=notrunc status=none
	assert_output --partial "Invalid argument"
	[ "$(xxd "$(cfg "$RNG")")" = "$before" ]
}

@test "write: masked writes to one register through two names lose no bit" {
	local rmw=$BATS_FILE_TMPDIR/rmw c=$MNT/$RNG/regs/config
	cc -O2 -Wall -o "$rmw" "$PCIFS_ROOT/tests/tools/rmw.c"
	put_bytes "$(cfg "$RNG")" 4 0000
	# Seven writers on COMMAND, one on 4.w: each owns one bit.
	run "$rmw" 3000 "$c/COMMAND" 0 "$c/COMMAND" 1 "$c/COMMAND" 2 \
		"$c/COMMAND" 3 "$c/COMMAND" 4 "$c/COMMAND" 5 "$c/COMMAND" 6 \
		"$c/4.w" 7
	assert_output "checks 48000 lost 0"
	assert_success
}

@test "regs/config write on a driver-bound device is EBUSY, nothing written" {
	local before
	before=$(xxd "$(cfg "$NET")")
	run ! reg_write "$MNT/$NET/regs/config/COMMAND" 0
	assert_output --partial "Device or resource busy"
	run ! reg_write "$MNT/$NET/regs/config/CAP_MSIX+2.w" 0
	assert_output --partial "Device or resource busy"
	[ "$(xxd "$(cfg "$NET")")" = "$before" ]
}

@test "regs/config write with -o force on a driver-bound device" {
	local old
	old=$(hexbytes "$(cfg "$NET")" 0x3c 1)
	echo 0x7e >"$MNTF/$NET/regs/config/INTERRUPT_LINE"
	[ "$(hexbytes "$(cfg "$NET")" 0x3c 1)" = 7e ]
	put_bytes "$(cfg "$NET")" 0x3c "$old"
}

@test "reads see changes made behind pcifs (no page cache)" {
	put_bytes "$(cfg "$RNG")" 0x58 a5a5a5a5
	run cat "$MNT/$RNG/regs/config/0x58.l"
	assert_output 0xa5a5a5a5
	put_bytes "$(cfg "$RNG")" 0x58 5a5a5a5a
	run cat "$MNT/$RNG/regs/config/0x58.l"
	assert_output 0x5a5a5a5a
	run read_at "$MNT/$RNG/config" 0x58 4
	assert_output 5a5a5a5a
}

# --- ro ---------------------------------------------------------------------------

@test "ro: config and register writes fail EROFS, nothing written" {
	local before
	before=$(xxd "$(cfg "$RNG")")
	run ! write_at "$MNTR/$RNG/config" 0x3c 00
	assert_output --partial "Read-only file system"
	run ! reg_write "$MNTR/$RNG/regs/config/COMMAND" 0
	assert_output --partial "Read-only file system"
	run ! reg_write "$MNTR/$NET/regs/config/COMMAND" 0
	assert_output --partial "Read-only file system"
	[ "$(xxd "$(cfg "$RNG")")" = "$before" ]
}

@test "ro: modes lose their write bits, reads still work" {
	run stat -c %a "$MNTR/$RNG/config" "$MNTR/$RNG/info"
	assert_output "$(printf '444\n444')"
	run stat -c %a "$MNTR/$RNG/regs/config/COMMAND"
	refute_output --regexp '[2367]'
	cmp "$MNTR/$RNG/config" "$(cfg "$RNG")"
}
