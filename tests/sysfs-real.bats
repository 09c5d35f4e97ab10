#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sysfs-real.bats - smoke test on this machine's real /sys/bus/pci.
#
# READ-ONLY.  The devices here carry the machine's disk and network: this
# file never writes, never uses -o force, and mounts with -o ro,nodriver.
# The only BAR access is one 1-byte read at offset 0 of a BAR of a
# driver-bound device, which pcifs must refuse with EBUSY before touching
# the BAR.

load test_helper/common-setup

SYSFS=/sys/bus/pci

setup_file() {
	MNT=$BATS_FILE_TMPDIR/mnt
	export MNT
	[ -d "$SYSFS/devices" ] || return 0
	mount_pcifs "$MNT" -o ro,nodriver
}

teardown_file() {
	unmount_pcifs "$MNT"
}

setup() {
	[ -d "$SYSFS/devices" ] || skip "no $SYSFS on this machine"
	is_mounted "$MNT" || fail "pcifs is not mounted on $MNT"
}

real_bdfs() {
	ls "$SYSFS/devices"
}

@test "real: every device of /sys/bus/pci is listed, nothing else" {
	run ls "$MNT"
	assert_success
	assert_output "$( (real_bdfs; printf '%s\n' by-class by-id devices drivers iommu_groups) | sort)"
}

@test "real: info agrees with lspci -vmm -nn for vendor, device and class" {
	local bdf
	for bdf in $(real_bdfs); do
		check_info_like_lspci "$MNT" "$SYSFS" "$bdf"
	done
}

@test "real: info's slot, irq and driver agree with sysfs" {
	local bdf drv
	for bdf in $(real_bdfs); do
		drv=none
		[ -L "$SYSFS/devices/$bdf/driver" ] &&
			drv=$(basename "$(readlink "$SYSFS/devices/$bdf/driver")")
		run cat "$MNT/$bdf/info"
		assert_line --index 0 "slot: $bdf"
		assert_line "driver: $drv"
		assert_line "irq: $(cat "$SYSFS/devices/$bdf/irq")"
	done
}

@test "real: config bytes equal the sysfs config file" {
	local bdf
	for bdf in $(real_bdfs); do
		cmp "$MNT/$bdf/config" "$SYSFS/devices/$bdf/config"
		[ "$(stat -c %s "$MNT/$bdf/config")" = \
			"$(stat -c %s "$SYSFS/devices/$bdf/config")" ]
	done
}

@test "real: regs/config VENDOR_ID and DEVICE_ID match sysfs" {
	local bdf
	for bdf in $(real_bdfs); do
		run cat "$MNT/$bdf/regs/config/VENDOR_ID"
		assert_output "$(cat "$SYSFS/devices/$bdf/vendor")"
		run cat "$MNT/$bdf/regs/config/DEVICE_ID"
		assert_output "$(cat "$SYSFS/devices/$bdf/device")"
	done
}

@test "real: bar<N> files exist exactly for the BARs with a size" {
	local bdf n size
	for bdf in $(real_bdfs); do
		for n in 0 1 2 3 4 5; do
			size=$(bar_size "$SYSFS" "$bdf" "$n")
			if [ "$size" -gt 0 ]; then
				[ "$(stat -c %s "$MNT/$bdf/bar$n")" = "$size" ]
			else
				[ ! -e "$MNT/$bdf/bar$n" ]
			fi
		done
	done
}

@test "real: a BAR read on a driver-bound device is EBUSY" {
	local bdf found='' n
	for bdf in $(real_bdfs); do
		[ -L "$SYSFS/devices/$bdf/driver" ] || continue
		for n in 0 1 2 3 4 5; do
			[ "$(bar_size "$SYSFS" "$bdf" "$n")" -gt 0 ] || continue
			found=$bdf/bar$n
			break 2
		done
	done
	[ -n "$found" ] || skip "no driver-bound device with a BAR here"
	run ! read_at "$MNT/$found" 0 1
	assert_output --partial "Device or resource busy"
	run ! cat "$MNT/${found%/bar*}/regs/${found#*/}/0x0.b"
	assert_output --partial "Device or resource busy"
	run pcifs_log "$MNT"
	assert_output --partial force
}

@test "real: under -o ro nothing is writable" {
	local bdf
	bdf=$(real_bdfs | head -n1)
	run stat -c %a "$MNT/$bdf/config" "$MNT/$bdf/info"
	assert_output "$(printf '444\n444')"
}
