#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# core-lspci.bats - lspci, setpci and libpci on a mount, through the sysfs
# layout pciutils reads (fs/sysattr.c): `-A linux-sysfs -O sysfs.path=MNT`
# must print what the same command prints on the tree pcifs serves, for the
# captured fixtures and for this machine's /sys (read-only: -o ro, no BAR
# is read).

load test_helper/common-setup

SETS="qemu-pc qemu-q35 host"
LSPCI_OPTS=("-nn" "-vvv -k" "-xxxx" "-t" "-mm" "-D -vvvnnk" "-tv")

setup_file() {
	local set
	for set in $SETS; do
		mount_pcifs "$BATS_FILE_TMPDIR/m-$set" \
			-o "sysfs=$(fixture_tree "$set"),nodriver"
	done
}

teardown_file() {
	local set
	for set in $SETS; do
		unmount_pcifs "$BATS_FILE_TMPDIR/m-$set"
	done
	unmount_pcifs "$BATS_FILE_TMPDIR/m-real"
	unmount_pcifs "$BATS_FILE_TMPDIR/m-iommu"
}

# lspci_on DIR OPTS: lspci through the sysfs backend rooted at DIR.
lspci_on() {
	# shellcheck disable=SC2086 # OPTS are words
	lspci -A linux-sysfs -O "sysfs.path=$1" $2 2>&1
}

@test "lspci on a mount prints what it prints on the fixture, for every option set" {
	local set opts fix mnt
	for set in $SETS; do
		fix=$(fixture_tree "$set") mnt=$BATS_FILE_TMPDIR/m-$set
		for opts in "${LSPCI_OPTS[@]}"; do
			run lspci_on "$mnt" "$opts"
			assert_success
			[ "${#lines[@]}" -gt 3 ]
			assert_equal "$output" "$(lspci_on "$fix" "$opts")"
		done
	done
	# Not trivially equal: the drivers, numa nodes and capabilities are
	# in it (qemu-pc has an 82545EM bound to e1000).
	run lspci_on "$BATS_FILE_TMPDIR/m-qemu-pc" "-vvv -k"
	assert_line --partial "Kernel driver in use: e1000"
	assert_line --partial "Capabilities:"
}

@test "devices/ holds a link per device to ../BDF; driver links resolve inside the mount" {
	local mnt=$BATS_FILE_TMPDIR/m-qemu-pc fix bdf
	fix=$(fixture_tree qemu-pc)
	run ls "$mnt/devices"
	assert_output "$(ls "$fix/devices")"
	for bdf in $(ls "$fix/devices"); do
		assert_equal "$(readlink "$mnt/devices/$bdf")" "../$bdf"
	done
	assert_equal "$(readlink "$mnt/0000:00:04.0/driver")" "../drivers/e1000"
	assert_equal "$(readlink -f "$mnt/devices/0000:00:04.0/driver")" "$mnt/drivers/e1000"
	[ -d "$mnt/drivers/e1000" ]
	# An unbound device has no driver link; a driver nobody has, no dir.
	run ! test -e "$mnt/0000:00:03.0/driver"
	run ! test -e "$mnt/drivers/nosuchdriver"
	run ls "$mnt/drivers"
	assert_output "$(ls "$fix/devices"/*/driver -d | xargs -n1 readlink | xargs -n1 basename | sort -u)"
}

@test "attribute files hold the tree's bytes, read-only; resource in the kernel's format" {
	local mnt=$BATS_FILE_TMPDIR/m-qemu-q35 fix bdf a
	fix=$(fixture_tree qemu-q35)
	for bdf in $(ls "$fix/devices"); do
		for a in vendor device class subsystem_vendor subsystem_device revision irq resource; do
			cmp "$mnt/$bdf/$a" "$fix/devices/$bdf/$a"
		done
	done
	run cat "$mnt/0000:00:03.0/resource"
	assert_line -n 0 --regexp '^0x[0-9a-f]{16} 0x[0-9a-f]{16} 0x[0-9a-f]{16}$'
	assert_equal "$(stat -c %a "$mnt/0000:00:03.0/vendor")" 444
	run ! sh -c "echo 0x1234 > '$mnt/0000:00:03.0/vendor'"
	cmp "$mnt/0000:00:03.0/vendor" "$fix/devices/0000:00:03.0/vendor"
	# Only what the tree has: the fixtures hold no label or modalias.
	run ! test -e "$mnt/0000:00:03.0/label"
	run ls "$mnt/0000:00:03.0"
	assert_line vendor
	assert_line resource
	refute_line label
}

@test "setpci reads and writes config through pcifs, under its rules: EBUSY on a bound device, EROFS under ro" {
	local fix mnt=$BATS_FILE_TMPDIR/m-qemu-pc before
	fix=$(fixture_tree qemu-pc)
	local S=(setpci -A linux-sysfs -O "sysfs.path=$mnt")
	# 00:05.0, the 82544GC, is unbound: the write lands in its config.
	run -0 "${S[@]}" -s 00:05.0 COMMAND
	assert_equal "$output" "$(xxd -s 4 -l 2 -e "$fix/devices/0000:00:05.0/config" | awk '{print $2}')"
	before=$(xxd -p "$fix/devices/0000:00:05.0/config" | tr -d '\n')
	run -0 "${S[@]}" -s 00:05.0 COMMAND=0x4:0x4
	run -0 "${S[@]}" -s 00:05.0 COMMAND
	(($((0x$output)) & 0x4))
	# Exactly those bits of those bytes changed.
	run cmp -l <(echo "$before" | xxd -r -p) "$fix/devices/0000:00:05.0/config"
	assert_equal "$(echo "$output" | wc -l)" 1
	assert_output --regexp '^ +5 '
	# 00:04.0 is bound to e1000: pcifs refuses to open config for writing.
	before=$(md5sum <"$fix/devices/0000:00:04.0/config")
	run strace -f -e trace=openat "${S[@]}" -s 00:04.0 COMMAND=0x0:0x4
	assert_output --regexp 'devices/0000:00:04.0/config", O_RDWR\) = -1 EBUSY'
	assert_equal "$(md5sum <"$fix/devices/0000:00:04.0/config")" "$before"
	grep -q 'config write refused' "$mnt.log"
}

@test "setpci under -o ro: EROFS, nothing written" {
	local fix mnt=$BATS_FILE_TMPDIR/m-ro before
	fix=$(fixture_tree qemu-pc)
	mount_pcifs "$mnt" -o "sysfs=$fix,nodriver,ro"
	before=$(md5sum <"$fix/devices/0000:00:05.0/config")
	run strace -f -e trace=openat setpci -A linux-sysfs -O "sysfs.path=$mnt" -s 00:05.0 COMMAND=0x0:0x7
	unmount_pcifs "$mnt"
	assert_output --regexp 'devices/0000:00:05.0/config", O_RDWR\) = -1 EROFS'
	assert_equal "$(md5sum <"$fix/devices/0000:00:05.0/config")" "$before"
}

@test "an iommu_group link points at iommu_groups/N in the mount, and lspci -vvv shows the group" {
	local fix=$BATS_FILE_TMPDIR/iommu mnt=$BATS_FILE_TMPDIR/m-iommu
	rm -rf "$fix"
	cp -a "$(fixture_tree qemu-q35)" "$fix"
	# As the kernel has it: devices/BDF/iommu_group -> .../iommu_groups/N.
	mkdir -p "$fix/kernel/iommu_groups/7"
	ln -s ../../kernel/iommu_groups/7 "$fix/devices/0000:00:03.0/iommu_group"
	mount_pcifs "$mnt" -o "sysfs=$fix,nodriver"
	assert_equal "$(readlink "$mnt/0000:00:03.0/iommu_group")" "../iommu_groups/7"
	run ls "$mnt/iommu_groups"
	assert_output 7
	run lspci_on "$mnt" "-vvv -s 00:03.0"
	assert_line --partial "IOMMU group: 7"
	assert_equal "$output" "$(lspci_on "$fix" "-vvv -s 00:03.0")"
}

@test "real /sys, read-only: lspci -nn, -vvv -k, -t and -mm equal lspci on /sys, and lspci opens no BAR" {
	local mnt=$BATS_FILE_TMPDIR/m-real opts
	[ -d /sys/bus/pci/devices ] || skip "no /sys/bus/pci here"
	mount_pcifs "$mnt" -o ro,nodriver
	for opts in "-nn" "-vvv -k" "-t" "-mm"; do
		# shellcheck disable=SC2086 # opts are words
		assert_equal "$(lspci_on "$mnt" "$opts")" "$(lspci $opts 2>&1)"
	done
	run strace -f -e trace=openat lspci -A linux-sysfs -O "sysfs.path=$mnt" -vvv
	refute_output --regexp '/(resource[0-9]|bar[0-9])'
	assert_output --partial "$mnt/devices/"
	run ! grep -q 'refused' "$mnt.log"
}
