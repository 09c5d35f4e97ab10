# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 9p-checks.bash - the checks that a host pcifs's rules hold in a guest that
# mounts it over 9p, whatever the 9p server: QEMU's virtio-9p (tests/9p.bats)
# or diod over TCP (tests/9p-diod.bats).
#
# The suite sets: FIX (the host's writable fixture tree), MNT and the
# guest's view of it, G; the guest's view of a second host mount with -o ro,
# GRO; NET, an unbound device of the fixture that writes may change, and
# BLK, one bound to a kernel driver; and keeps NET's original config bytes
# in $BATS_FILE_TMPDIR/net-config.orig.
#
#   cfg BDF                   the fixture's config file of BDF
#   restore_net_config        NET's config bytes as they were
#   check_lists_devices       ls in the guest is ls of the host mount
#   check_info_reads          every device's info and VENDOR_ID read in the
#                             guest as on the host
#   check_cache_none          a host change is seen at once in the guest
#   check_einval_crosses      bad register values: EINVAL, nothing written
#   check_ebusy_crosses       BLK's writes and BAR reads: EBUSY, the host
#                             log says why; config reads still work
#   check_erofs_crosses       writes through GRO: EROFS, nothing written

cfg() {
	echo "$FIX/devices/$1/config"
}

restore_net_config() {
	cp "$BATS_FILE_TMPDIR/net-config.orig" "$(cfg "$NET")"
}

check_lists_devices() {
	run vm_run "ls $G"
	assert_success
	assert_output "$(ls "$MNT")"
	assert_line "$NET"
}

check_info_reads() {
	local dev bdf
	for dev in "$FIX"/devices/*; do
		bdf=${dev##*/}
		run vm_run "cat $G/$bdf/info"
		assert_success
		assert_output "$(cat "$MNT/$bdf/info")"
		assert_line "slot: $bdf"
		run vm_run "cat $G/$bdf/regs/config/VENDOR_ID"
		assert_success
		assert_output "$(cat "$MNT/$bdf/regs/config/VENDOR_ID")"
		assert_output "$(le_value "$(cfg "$bdf")" 0 2)"
	done
}

check_cache_none() {
	restore_net_config
	put_bytes "$(cfg "$NET")" $((0x3c)) 7e
	run vm_run "cat $G/$NET/regs/config/INTERRUPT_LINE"
	assert_output 0x7e
	put_bytes "$(cfg "$NET")" $((0x3c)) 3d
	run vm_run "cat $G/$NET/regs/config/INTERRUPT_LINE"
	assert_output 0x3d
	restore_net_config
}

check_einval_crosses() {
	local before value
	restore_net_config
	before=$(od -An -tx1 -v "$(cfg "$NET")")
	for value in zz 0x10000 0x1:0x10000 0x12zz; do
		run vm_run "9p-io text $G/$NET/regs/config/COMMAND '$value'"
		assert_failure
		assert_output --partial "write: EINVAL"
	done
	run vm_run "echo 0x100 > $G/$NET/regs/config/INTERRUPT_LINE"
	assert_failure
	assert_output --partial "Invalid argument"
	assert_equal "$(od -An -tx1 -v "$(cfg "$NET")")" "$before"
}

check_ebusy_crosses() {
	local before
	before=$(od -An -tx1 -v "$(cfg "$BLK")")
	run vm_run "9p-io text $G/$BLK/regs/config/COMMAND 0x0"
	assert_failure
	assert_output --partial "open: EBUSY"
	run vm_run "echo 0 > $G/$BLK/regs/config/COMMAND"
	assert_failure
	assert_output --partial "Device or resource busy"
	run vm_run "9p-io read $G/$BLK/bar0 4 0"
	assert_failure
	assert_output --partial "open: EBUSY"
	run vm_run "cat $G/$BLK/regs/bar0/0x0"
	assert_failure
	assert_output --partial "Device or resource busy"
	# Reading config stays allowed, and nothing was written.
	run vm_run "cat $G/$BLK/regs/config/COMMAND"
	assert_success
	assert_equal "$(od -An -tx1 -v "$(cfg "$BLK")")" "$before"
	# The host log says why and how to allow it.
	run pcifs_log "$MNT"
	assert_output --partial "$BLK"
	assert_output --partial force
}

check_erofs_crosses() {
	local before
	restore_net_config
	before=$(od -An -tx1 -v "$(cfg "$NET")")
	run vm_run "9p-io text $GRO/$NET/regs/config/COMMAND 0x0"
	assert_failure
	assert_output --partial "open: EROFS"
	run vm_run "9p-io write $GRO/$NET/config 00 0x3c"
	assert_output --partial "open: EROFS"
	run vm_run "echo 0 > $GRO/$NET/regs/config/INTERRUPT_LINE"
	assert_failure
	assert_output --partial "Read-only file system"
	run vm_run "cat $GRO/$NET/regs/config/COMMAND"
	assert_success
	assert_equal "$(od -An -tx1 -v "$(cfg "$NET")")" "$before"
}
