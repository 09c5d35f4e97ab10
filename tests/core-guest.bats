#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# core-guest.bats - pcifs on the fixtures captured in QEMU guests by
# tests/vm/capture-sysfs.sh (tests/fixtures/qemu-q35 and qemu-pc): every
# device of both, PCI-to-PCI bridge header names, capabilities and PCIe
# extended capabilities, BAR descriptions in info, an I/O BAR, and the
# e1000's register names.  Devices are found by id, not by slot.

load test_helper/common-setup

setup_file() {
	FIX=$(fixture_tree qemu-q35)
	MNT=$BATS_FILE_TMPDIR/mnt
	FIXP=$(fixture_tree qemu-pc)
	MNTP=$BATS_FILE_TMPDIR/mnt-pc
	export FIX MNT FIXP MNTP
	# The NICs are written to below: no kernel driver on them (the capture
	# guest loads none for them anyway).
	unbind_fixture "$FIX" "$(find_dev 8086 100e)"
	unbind_fixture "$FIX" "$(find_dev 8086 10d3)"
	mount_pcifs "$MNT" -o "sysfs=$FIX,nodriver"
	mount_pcifs "$MNTP" -o "sysfs=$FIXP,nodriver"
}

teardown_file() {
	unmount_pcifs "$MNT"
	unmount_pcifs "$MNTP"
}

# Generic checks run on both captures: "FIXTURE:MOUNTPOINT" pairs.
both_sets() {
	echo "$FIX:$MNT" "$FIXP:$MNTP"
}

fixture_bdfs() {
	ls "$FIX/devices"
}

# find_dev VENDOR DEVICE: the first fixture BDF with these ids.
find_dev() {
	local d
	for d in "$FIX"/devices/*; do
		if [ "$(cat "$d/vendor")" = "0x$1" ] &&
			[ "$(cat "$d/device")" = "0x$2" ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

# find_bridges: the fixture BDFs with header type 1 (the q35 capture has
# a PCIe root port and a PCI-PCI bridge).
find_bridges() {
	local d
	for d in "$FIX"/devices/*; do
		if [ $(($(le_value "$d/config" 0x0e 1) & 0x7f)) -eq 1 ]; then
			basename "$d"
		fi
	done
}

cfg() {
	echo "$FIX/devices/$1/config"
}

byte() { # byte FILE OFF: a config byte as a number
	echo $(($(le_value "$1" "$2" 1)))
}

# cap_list BDF: "OFFSET ID" (decimal) per capability, walking the fixture's
# config bytes from the capabilities pointer (PCI 3.0 section 6.7).
cap_list() {
	local c p n=0
	c=$(cfg "$1")
	[ $(($(le_value "$c" 6 2) & 0x10)) -ne 0 ] || return 0
	p=$(($(byte "$c" 0x34) & 0xfc))
	while [ "$p" -ne 0 ] && [ $n -lt 48 ]; do
		echo "$p $(byte "$c" "$p")"
		p=$(($(byte "$c" $((p + 1))) & 0xfc))
		n=$((n + 1))
	done
}

# ecap_list BDF: "OFFSET ID" per PCIe extended capability from 0x100
# (PCIe base spec section 7.6).
ecap_list() {
	local c p hdr n=0
	c=$(cfg "$1")
	[ "$(stat -c %s "$c")" -gt 256 ] || return 0
	p=256
	while [ "$p" -ge 256 ] && [ $n -lt 480 ]; do
		hdr=$(($(le_value "$c" "$p" 4)))
		[ "$hdr" -ne 0 ] && [ "$hdr" -ne $((0xffffffff)) ] || return 0
		echo "$p $((hdr & 0xffff))"
		p=$(((hdr >> 20) & 0xffc))
		n=$((n + 1))
	done
}

# info_bar_line FLAGS START END N: the info line pcifs prints for a BAR.
info_bar_line() {
	local flags=$(($1)) start=$(($2)) end=$(($3))
	if [ $((flags & 0x100)) -ne 0 ]; then
		printf 'bar%d: io 0x%x size 0x%x\n' "$4" "$start" $((end - start + 1))
		return
	fi
	printf 'bar%d: mem 0x%x size 0x%x %s %s\n' "$4" "$start" \
		$((end - start + 1)) \
		"$([ $((flags & 0x100000)) -ne 0 ] && echo 64-bit || echo 32-bit)" \
		"$([ $((flags & 0x2000)) -ne 0 ] && echo prefetchable || echo non-prefetchable)"
}

@test "guest: every captured device is listed, q35 and pc" {
	local pair
	for pair in $(both_sets); do
		FIX=${pair%%:*} MNT=${pair#*:}
		run ls "$MNT"
		assert_output "$( (fixture_bdfs; printf '%s\n' by-class by-id devices drivers iommu_groups) | sort)"
	done
}

@test "guest: config bytes equal the fixture, every device" {
	local pair bdf
	for pair in $(both_sets); do
		FIX=${pair%%:*} MNT=${pair#*:}
		for bdf in $(fixture_bdfs); do
			cmp "$MNT/$bdf/config" "$(cfg "$bdf")"
		done
	done
}

@test "guest: info agrees with lspci -vmm -nn, every device" {
	local pair bdf
	for pair in $(both_sets); do
		FIX=${pair%%:*} MNT=${pair#*:}
		for bdf in $(fixture_bdfs); do
			check_info_like_lspci "$MNT" "$FIX" "$bdf"
		done
	done
}

@test "guest: info's driver line names the captured driver or none" {
	local pair bdf drv
	for pair in $(both_sets); do
		FIX=${pair%%:*} MNT=${pair#*:}
		for bdf in $(fixture_bdfs); do
			drv=none
			[ -L "$FIX/devices/$bdf/driver" ] &&
				drv=$(basename "$(readlink "$FIX/devices/$bdf/driver")")
			run cat "$MNT/$bdf/info"
			assert_line "driver: $drv"
		done
	done
}

@test "guest: info describes every BAR and the ROM as the resource file does" {
	local pair bdf n start end flags
	for pair in $(both_sets); do
		FIX=${pair%%:*} MNT=${pair#*:}
		for bdf in $(fixture_bdfs); do
			run cat "$MNT/$bdf/info"
			n=0
			while read -r start end flags; do
				if [ $((start | end)) -ne 0 ] && [ $n -le 5 ]; then
					assert_line "$(info_bar_line "$flags" "$start" "$end" $n)"
				elif [ $n -le 5 ]; then
					refute_line --regexp "^bar$n:"
				elif [ $n -eq 6 ] && [ $((start | end)) -ne 0 ]; then
					assert_line "$(printf 'rom: 0x%x size 0x%x' $((start)) \
						$((end - start + 1)))"
				fi
				n=$((n + 1))
			done <"$FIX/devices/$bdf/resource"
		done
	done
}

@test "guest: info lists every capability and extended capability" {
	local pair bdf off id
	for pair in $(both_sets); do
		FIX=${pair%%:*} MNT=${pair#*:}
		for bdf in $(fixture_bdfs); do
			run cat "$MNT/$bdf/info"
			while read -r off id; do
				[ -n "$off" ] || continue
				assert_line --regexp "$(printf '^capability: 0x%x ' "$off")"
			done < <(cap_list "$bdf")
			while read -r off id; do
				[ -n "$off" ] || continue
				assert_line --regexp "$(printf '^ecapability: 0x%x ' "$off")"
			done < <(ecap_list "$bdf")
		done
	done
}

@test "guest: the fixture holds what this file tests" {
	find_dev 8086 100e  # e1000 (82540EM)
	find_dev 8086 10d3  # e1000e (82574L): PCIe, AER
	[ "$(find_bridges | wc -l)" -ge 2 ]
	[ -n "$(ecap_list "$(find_dev 8086 10d3)")" ]
}

# --- PCI-to-PCI bridge -------------------------------------------------------------

BRIDGE_NAMES="VENDOR_ID 0x00 2
COMMAND 0x04 2
HEADER_TYPE 0x0e 1
BASE_ADDRESS_0 0x10 4
BASE_ADDRESS_1 0x14 4
PRIMARY_BUS 0x18 1
SECONDARY_BUS 0x19 1
SUBORDINATE_BUS 0x1a 1
SEC_LATENCY_TIMER 0x1b 1
IO_BASE 0x1c 1
IO_LIMIT 0x1d 1
SEC_STATUS 0x1e 2
MEMORY_BASE 0x20 2
MEMORY_LIMIT 0x22 2
PREF_MEMORY_BASE 0x24 2
PREF_MEMORY_LIMIT 0x26 2
PREF_BASE_UPPER32 0x28 4
PREF_LIMIT_UPPER32 0x2c 4
IO_BASE_UPPER16 0x30 2
IO_LIMIT_UPPER16 0x32 2
CAPABILITIES 0x34 1
BRIDGE_ROM_ADDRESS 0x38 4
INTERRUPT_LINE 0x3c 1
INTERRUPT_PIN 0x3d 1
BRIDGE_CONTROL 0x3e 2"

@test "bridge: info says header_type 1 (bridge)" {
	local br
	for br in $(find_bridges); do
		run cat "$MNT/$br/info"
		assert_line "header_type: 1 (bridge)"
	done
}

@test "bridge: regs/config lists the bridge header names, not type 0 ones" {
	local br name
	for br in $(find_bridges); do
		run ls "$MNT/$br/regs/config"
		while read -r name _; do
			assert_line "$name"
		done <<<"$BRIDGE_NAMES"
		refute_line BASE_ADDRESS_2
		refute_line SUBSYSTEM_VENDOR_ID
		refute_line ROM_ADDRESS
		refute_line MIN_GNT
	done
}

@test "bridge: every bridge header name reads the fixture value in its width" {
	local br name off width
	for br in $(find_bridges); do
		while read -r name off width; do
			run cat "$MNT/$br/regs/config/$name"
			assert_output "$(le_value "$(cfg "$br")" $((off)) "$width")"
		done <<<"$BRIDGE_NAMES"
	done
}

@test "bridge: a type 0 name is not found on a bridge" {
	local br
	br=$(find_bridges | head -n1)
	run ! cat "$MNT/$br/regs/config/MIN_GNT"
	assert_output --partial "No such file"
	run ! cat "$MNT/$br/regs/config/SUBSYSTEM_ID"
	assert_output --partial "No such file"
}

@test "type 0 device: bridge names are not found" {
	run ! cat "$MNT/$(find_dev 8086 100e)/regs/config/PRIMARY_BUS"
	assert_output --partial "No such file"
}

# --- capabilities -------------------------------------------------------------------

CAP_NAMES="1 PM
5 MSI
7 PCIX
9 VNDR
13 SSVID
16 EXP
17 MSIX"
ECAP_NAMES="1 AER
2 VC
3 DSN
13 ACS
14 ARI
16 SRIOV
24 LTR"

@test "regs/config lists CAP_ and ECAP_ names for the capabilities present" {
	local bdf off id name
	for bdf in $(fixture_bdfs); do
		run ls "$MNT/$bdf/regs/config"
		while read -r off id; do
			name=$(awk -v id="$id" '$1 == id { print $2 }' <<<"$CAP_NAMES")
			[ -z "$name" ] || assert_line "CAP_$name"
		done < <(cap_list "$bdf")
		while read -r off id; do
			name=$(awk -v id="$id" '$1 == id { print $2 }' <<<"$ECAP_NAMES")
			[ -z "$name" ] || assert_line "ECAP_$name"
		done < <(ecap_list "$bdf")
	done
}

# cap_offset BDF ID [e]: offset of the first (extended) capability ID.
cap_offset() {
	local off id
	while read -r off id; do
		[ "$id" = "$2" ] && echo "$off" && return 0
	done < <(if [ "${3:-}" = e ]; then ecap_list "$1"; else cap_list "$1"; fi)
	return 1
}

@test "CAP_PM, CAP_EXP+0x12.w (link status), CAP_MSI+2.w on the e1000e" {
	local dev c pm exp msi
	dev=$(find_dev 8086 10d3)
	c=$(cfg "$dev")
	pm=$(cap_offset "$dev" 1)
	exp=$(cap_offset "$dev" 16)
	msi=$(cap_offset "$dev" 5)
	run cat "$MNT/$dev/regs/config/CAP_PM"
	assert_output "$(le_value "$c" "$pm" 4)"
	run cat "$MNT/$dev/regs/config/CAP_EXP+0x12.w"
	assert_output "$(le_value "$c" $((exp + 0x12)) 2)"
	run cat "$MNT/$dev/regs/config/CAP_EXP+2.w"
	assert_output "$(le_value "$c" $((exp + 2)) 2)"
	run cat "$MNT/$dev/regs/config/CAP_MSI+2.w"
	assert_output "$(le_value "$c" $((msi + 2)) 2)"
	run cat "$MNT/$dev/regs/config/CAP_PM.b"
	assert_output 0x01
}

@test "ECAP_AER, ECAP_AER+0x4.l and ECAP_AER+0x8.l on the e1000e" {
	local dev c aer
	dev=$(find_dev 8086 10d3)
	c=$(cfg "$dev")
	aer=$(cap_offset "$dev" 1 e)
	run cat "$MNT/$dev/regs/config/ECAP_AER"
	assert_output "$(le_value "$c" "$aer" 4)"
	run cat "$MNT/$dev/regs/config/ECAP_AER+0x4.l"
	assert_output "$(le_value "$c" $((aer + 4)) 4)"
	run cat "$MNT/$dev/regs/config/ecap_aer+8"
	assert_output "$(le_value "$c" $((aer + 8)) 4)"
	run cat "$MNT/$dev/regs/config/0x100.w"
	assert_output "$(le_value "$c" 0x100 2)"
}

@test "capability-relative writes land at the capability's offset" {
	local dev c exp
	dev=$(find_dev 8086 10d3)
	c=$(cfg "$dev")
	exp=$(cap_offset "$dev" 16)
	echo 0x2810 >"$MNT/$dev/regs/config/CAP_EXP+8.w"
	[ "$(hexbytes "$c" $((exp + 8)) 2)" = 1028 ]
	echo 0:0x0010 >"$MNT/$dev/regs/config/CAP_EXP+8.w"
	[ "$(hexbytes "$c" $((exp + 8)) 2)" = 0028 ]
}

@test "a capability the device lacks is not found" {
	local dev
	dev=$(find_dev 8086 100e)
	if ! cap_offset "$dev" 16 >/dev/null; then
		run ! cat "$MNT/$dev/regs/config/CAP_EXP"
		assert_output --partial "No such file"
	fi
	run ! cat "$MNT/$dev/regs/config/ECAP_AER"
	assert_output --partial "No such file"
}

# --- I/O BAR and e1000 names ------------------------------------------------------

# io_bar BDF: the number of the first I/O BAR of BDF.
io_bar() {
	local n=0 start end flags
	while read -r start end flags; do
		if [ $n -le 5 ] && [ $((flags & 0x100)) -ne 0 ]; then
			echo $n
			return 0
		fi
		n=$((n + 1))
	done <"$FIX/devices/$1/resource"
	return 1
}

@test "I/O BAR: size, widths and writes go to resourceN" {
	local dev n res size
	dev=$(find_dev 8086 100e)
	n=$(io_bar "$dev")
	res=$FIX/devices/$dev/resource$n
	size=$(stat -c %s "$res")
	run stat -c %s "$MNT/$dev/bar$n"
	assert_output "$size"
	put_bytes "$res" 0 0011223344556677
	run read_at "$MNT/$dev/bar$n" 0 4
	assert_output 00112233
	run read_at "$MNT/$dev/bar$n" 6 2
	assert_output 6677
	run read_at "$MNT/$dev/bar$n" 1 1
	assert_output 11
	write_at "$MNT/$dev/bar$n" 4 a5a5a5a5
	[ "$(hexbytes "$res" 4 4)" = a5a5a5a5 ]
	echo 0x1234 >"$MNT/$dev/regs/bar$n/0x2.w"
	[ "$(hexbytes "$res" 0 4)" = 00113412 ]
	run ! read_at "$MNT/$dev/bar$n" 1 2
	assert_output --partial "Invalid argument"
	run read_at "$MNT/$dev/bar$n" "$size" 4
	assert_output ""
}

@test "e1000: regs/bar0 lists datasheet names; STATUS is offset 0x8" {
	local dev res
	dev=$(find_dev 8086 100e)
	res=$FIX/devices/$dev/resource0
	run ls "$MNT/$dev/regs/bar0"
	assert_line CTRL
	assert_line STATUS
	put_bytes "$res" 8 83020880
	run cat "$MNT/$dev/regs/bar0/STATUS"
	assert_output 0x80080283
	run cat "$MNT/$dev/regs/bar0/0x8"
	assert_output 0x80080283
}

@test "pc: the e1000 bound to the kernel e1000 driver is EBUSY, logged" {
	local FIX=$FIXP dev
	dev=$(find_dev 8086 100f)  # 82545EM, bound in the capture
	[ -L "$FIX/devices/$dev/driver" ]
	run ! read_at "$MNTP/$dev/bar0" 8 4
	assert_output --partial "Device or resource busy"
	run ! reg_write "$MNTP/$dev/regs/config/COMMAND" 0
	assert_output --partial "Device or resource busy"
	run pcifs_log "$MNTP"
	assert_line --regexp "$dev.*bar0.*e1000.*force"
}

@test "pc: an unbound 82544GC's BARs read and write" {
	local FIX=$FIXP dev
	dev=$(find_dev 8086 100c)
	[ ! -e "$FIX/devices/$dev/driver" ]
	write_at "$MNTP/$dev/bar0" 0x10 efbeadde
	[ "$(hexbytes "$FIX/devices/$dev/resource0" 0x10 4)" = efbeadde ]
	run cat "$MNTP/$dev/regs/bar0/0x10"
	assert_output 0xdeadbeef
}
