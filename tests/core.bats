#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# core.bats - the pcifs tree on a fixture captured from this machine's PCI
# bus (tests/fixtures/host): listing, info, by-id/by-class symlinks,
# devices=, hot-plug and the command line.
# Config registers: core-config.bats.  BAR files: core-bar.bats.
# Bridge and PCIe capabilities: core-guest.bats.

load test_helper/common-setup

NET=0000:00:03.0  # virtio-net, bound to virtio-pci, BAR0 64-bit 512K
HOSTB=0000:00:00.0  # host bridge: no driver, no BAR, 4096-byte config

setup_file() {
	FIX=$(fixture_tree host)
	MNT=$BATS_FILE_TMPDIR/mnt
	export FIX MNT
	mount_pcifs "$MNT" -o "sysfs=$FIX,nodriver"
}

teardown_file() {
	unmount_pcifs "$MNT"
	unmount_pcifs "$BATS_FILE_TMPDIR/mnt-devices"
}

teardown() {
	rm -rf "${FIX:?}/devices/0000:00:06.0"
	# Daemonized pcifs (mount.fuse3 and no -f tests): unmounting ends it.
	if is_mounted "$BATS_TEST_TMPDIR/mt"; then
		fusermount3 -uz "$BATS_TEST_TMPDIR/mt"
	fi
	unmount_pcifs "$BATS_TEST_TMPDIR/md"
}

fixture_bdfs() {
	ls "$FIX/devices"
}

@test "root lists every fixture device, by-id, by-class and pciutils' devices, drivers, iommu_groups" {
	run ls "$MNT"
	assert_success
	assert_output "$( (fixture_bdfs; printf '%s\n' by-class by-id devices drivers iommu_groups) | sort)"
}

@test "device directories are directories, an unknown BDF is ENOENT" {
	[ -d "$MNT/$NET" ]
	[ -d "$MNT/$HOSTB" ]
	run ! stat "$MNT/0000:00:1f.0"
	assert_output --partial "No such file or directory"
	run ! stat "$MNT/junk"
}

@test "device directory holds info, config, bar<N> for implemented BARs, regs" {
	run ls "$MNT/$NET"
	assert_success
	assert_line info
	assert_line config
	assert_line bar0
	assert_line regs
	refute_line bar1
	refute_line bar2
	refute_line bar5
}

@test "a device without BARs has no bar files" {
	run ls "$MNT/$HOSTB"
	assert_success
	assert_line info
	assert_line config
	assert_line regs
	refute_line --regexp '^bar'
}

@test "regs holds config and one directory per implemented BAR" {
	run ls "$MNT/$NET/regs"
	assert_success
	assert_output "$(printf 'bar0\nconfig')"
	run ls "$MNT/$HOSTB/regs"
	assert_output config
}

@test "file modes follow sysfs: info 0444, config 0644, bar 0600" {
	run stat -c '%a %F' "$MNT/$NET/info" "$MNT/$NET/config" "$MNT/$NET/bar0"
	assert_output "$(printf '444 regular file\n644 regular file\n600 regular file')"
	run stat -c '%a' "$MNT/$NET/regs/bar0/0x0"
	assert_output 600
}

@test "config size is the size of the sysfs config file" {
	local bdf
	for bdf in $(fixture_bdfs); do
		[ "$(stat -c %s "$MNT/$bdf/config")" = \
			"$(stat -c %s "$FIX/devices/$bdf/config")" ]
	done
	run stat -c %s "$MNT/$HOSTB/config"
	assert_output 4096
}

@test "bar<N> size is the BAR size from the resource file" {
	local bdf
	for bdf in $(fixture_bdfs); do
		[ -e "$FIX/devices/$bdf/resource0" ] || continue
		run stat -c %s "$MNT/$bdf/bar0"
		assert_output "$(bar_size "$FIX" "$bdf" 0)"
	done
	run stat -c %s "$MNT/$NET/bar0"
	assert_output 524288
}

@test "info of a bound virtio device: keys in order, values from the fixture" {
	run cat "$MNT/$NET/info"
	assert_success
	assert_line --index 0 "slot: $NET"
	assert_line --index 1 "vendor: 1af4 Red Hat, Inc."
	assert_line --index 2 "device: 1041 Virtio 1.0 network device"
	assert_line --index 3 --regexp '^subsystem: 1af4:1041( |$)'
	assert_line --index 4 "class: 0200 Ethernet controller"
	assert_line --index 5 "prog_if: 00"
	assert_line --index 6 "revision: 01"
	assert_line --index 7 "header_type: 0 (normal)"
	assert_line --index 8 "irq: 0"
	assert_line --index 9 "driver: virtio-pci"
	assert_line --index 10 "bar0: mem 0x4000100000 size 0x80000 64-bit non-prefetchable"
	refute_line --regexp '^bar1:'
	refute_line --regexp '^rom:'
}

@test "info lists every capability of the fixture with its offset" {
	local off
	run cat "$MNT/$NET/info"
	# Capability list of the captured virtio-net: 0x40 0x50 0x60 0x70 0x84
	# vendor specific, 0x98 MSI-X (see tests/fixtures/host/CAPTURE).
	for off in 0x40 0x50 0x60 0x70 0x84 0x98; do
		assert_line --regexp "^capability: $off "
	done
	assert_line --regexp '^capability: 0x98 .*MSI-X'
	refute_line --regexp '^ecapability:'
}

@test "info of the host bridge: no driver, no BAR, no capability" {
	run cat "$MNT/$HOSTB/info"
	assert_success
	assert_line --index 0 "slot: $HOSTB"
	assert_line --index 1 "vendor: 8086 Intel Corporation"
	assert_line --index 2 --regexp '^device: 0d57( |$)'
	assert_line --index 4 "class: 0600 Host bridge"
	assert_line "revision: 00"
	assert_line "header_type: 0 (normal)"
	assert_line "driver: none"
	refute_line --regexp '^bar[0-5]:'
	refute_line --regexp '^capability:'
}

@test "info agrees with lspci -vmm -nn on the same tree, for every device" {
	local bdf
	for bdf in $(fixture_bdfs); do
		check_info_like_lspci "$MNT" "$FIX" "$bdf"
	done
}

@test "info st_size lets cat read all of it" {
	local size
	size=$(stat -c %s "$MNT/$NET/info")
	[ "$size" -gt 0 ]
	# shellcheck disable=SC2002 # wc -c alone would trust st_size
	[ "$(cat "$MNT/$NET/info" | wc -c)" -eq "$size" ]
}

@test "by-id has one directory per vendor:device id" {
	local expect
	expect=$(for bdf in $(fixture_bdfs); do
		printf '%s:%s\n' "$(sed 's/^0x//' "$FIX/devices/$bdf/vendor")" \
			"$(sed 's/^0x//' "$FIX/devices/$bdf/device")"
	done | sort -u)
	run ls "$MNT/by-id"
	assert_success
	assert_output "$expect"
}

@test "by-id/VVVV:DDDD/<BDF> is a symlink to ../../<BDF>" {
	run ls "$MNT/by-id/1af4:1041"
	assert_output "$NET"
	[ -L "$MNT/by-id/1af4:1041/$NET" ]
	run readlink "$MNT/by-id/1af4:1041/$NET"
	assert_output "../../$NET"
	run cat "$MNT/by-id/1af4:1041/$NET/info"
	assert_line --index 0 "slot: $NET"
	run readlink "$MNT/by-id/8086:0d57/$HOSTB"
	assert_output "../../$HOSTB"
}

@test "by-class has one directory per class name, spaces as underscores" {
	local bdf name
	run ls "$MNT/by-class"
	assert_success
	[ "${#lines[@]}" -eq 4 ]
	for bdf in $(fixture_bdfs); do
		# The name libpci gives may carry the class id when only the
		# base class is known ("Unassigned class [ffff]").
		name=$(lspci_name "$(lspci_field "$FIX" "$bdf" Class)" | tr ' ' _)
		assert_line --regexp "^${name}(_\\[?[0-9a-f]{4}\\]?)?\$"
	done
}

@test "by-class/<class>/<BDF> links to the device; a shared class lists all" {
	run readlink "$MNT/by-class/Ethernet_controller/$NET"
	assert_output "../../$NET"
	run readlink "$MNT/by-class/Host_bridge/$HOSTB"
	assert_output "../../$HOSTB"
	run ls "$MNT/by-class/"Unassigned_class*
	assert_output "$(printf '0000:00:01.0\n0000:00:04.0\n0000:00:05.0')"
	run cat "$MNT/by-class/Mass_storage_controller/0000:00:02.0/info"
	assert_line --index 0 "slot: 0000:00:02.0"
}

@test "hot-plug: a device added to the tree appears without remount" {
	run ls "$MNT"
	refute_line 0000:00:06.0
	cp -a "$FIX/devices/0000:00:05.0" "$FIX/devices/0000:00:06.0"
	run ls "$MNT"
	assert_line 0000:00:06.0
	run cat "$MNT/0000:00:06.0/info"
	assert_line --index 0 "slot: 0000:00:06.0"
	cmp "$MNT/0000:00:06.0/config" "$FIX/devices/0000:00:06.0/config"
	run ls "$MNT/by-id/1af4:1044"
	assert_output "$(printf '0000:00:05.0\n0000:00:06.0')"
}

@test "hot-unplug: a device removed from the tree disappears" {
	cp -a "$FIX/devices/0000:00:05.0" "$FIX/devices/0000:00:06.0"
	run ls "$MNT"
	assert_line 0000:00:06.0
	rm -rf "${FIX:?}/devices/0000:00:06.0"
	run ls "$MNT"
	refute_line 0000:00:06.0
	run ls "$MNT/by-id/1af4:1044"
	assert_output 0000:00:05.0
}

@test "devices= exposes only the listed devices (short and full BDFs)" {
	local mnt=$BATS_FILE_TMPDIR/mnt-devices
	mount_pcifs "$mnt" -o "sysfs=$FIX,nodriver,devices=00:03.0:0000:00:05.0"
	run ls "$mnt"
	assert_output "$(printf '%s\n' 0000:00:03.0 0000:00:05.0 by-class by-id devices drivers iommu_groups)"
	run ls "$mnt/devices"
	assert_output "$(printf '0000:00:03.0\n0000:00:05.0')"
	run ls "$mnt/by-id"
	assert_output "$(printf '1af4:1041\n1af4:1044')"
	run ! stat "$mnt/0000:00:01.0"
	run ls "$mnt/by-class"
	refute_output --partial Host_bridge
	cmp "$mnt/0000:00:03.0/config" "$FIX/devices/0000:00:03.0/config"
	unmount_pcifs "$mnt"
}

# --- command line -------------------------------------------------------------

@test "--help prints the synopsis and the pcifs options, exit 0" {
	run -0 "$PCIFS" --help
	assert_output --partial "MOUNTPOINT"
	assert_output --partial "sysfs="
	assert_output --partial "devices="
	assert_output --partial "force"
	assert_output --partial "netdev=DIR"
	run -0 "$PCIFS" -h
	assert_output --partial "sysfs="
}

@test "make without the build packages says what to run" {
	run make -s -C "$PCIFS_ROOT" PKGS="fuse3 pcifs-no-such-package" build-deps
	assert_failure
	assert_output --partial "libfuse3-dev, libpci-dev"
	assert_output --partial "make deps"
}

@test "--version prints pcifs and a version number, exit 0" {
	run -0 "$PCIFS" --version
	assert_output --regexp 'pcifs.*[0-9]+\.[0-9]+'
	run -0 "$PCIFS" -V
	assert_output --regexp '[0-9]+\.[0-9]+'
}

# run_setup_error ARGS...: run pcifs in the foreground, bounded; if it
# mounted by mistake the timeout ends it and teardown unmounts.
run_setup_error() {
	mkdir -p "$BATS_TEST_TMPDIR/m"
	run timeout 20 "$PCIFS" -f "$@" 3>&-
	unmount_pcifs "$BATS_TEST_TMPDIR/m"
}

@test "a bad option exits 1 with a one-line message" {
	run_setup_error -o "sysfs=$FIX,no_such_option" "$BATS_TEST_TMPDIR/m"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial no_such_option
}

@test "irq= other than msix, msi, intx or poll exits 1 with a one-line message, nothing mounted" {
	local kind
	for kind in bogus MSIX "msi intx" ""; do
		run_setup_error -o "sysfs=$FIX,irq=$kind" "$BATS_TEST_TMPDIR/m"
		assert_failure 1
		[ "${#lines[@]}" -eq 1 ]
		assert_output "pcifs: irq=$kind: want msix, msi, intx or poll"
		run ! grep -q " $BATS_TEST_TMPDIR/m " /proc/mounts
	done
}

@test "netdev= with a relative directory exits 1 with a one-line message, nothing mounted" {
	run_setup_error -o "sysfs=$FIX,netdev=run/pcifs" "$BATS_TEST_TMPDIR/m"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	assert_output "pcifs: netdev=run/pcifs: give an absolute directory, e.g. netdev=/run/pcifs"
	run ! grep -q " $BATS_TEST_TMPDIR/m " /proc/mounts
}

@test "a missing sysfs tree exits 1 with a one-line message" {
	run_setup_error -o "sysfs=$BATS_TEST_TMPDIR/nowhere" "$BATS_TEST_TMPDIR/m"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "$BATS_TEST_TMPDIR/nowhere"
}

@test "a sysfs tree without devices/ exits 1 with a one-line message" {
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	run_setup_error -o "sysfs=$BATS_TEST_TMPDIR/empty" "$BATS_TEST_TMPDIR/m"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
}

@test "a missing mountpoint exits 1 with a one-line message" {
	run_setup_error -o "sysfs=$FIX" "$BATS_TEST_TMPDIR/no/such/dir"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "$BATS_TEST_TMPDIR/no/such/dir"
}

@test "a mountpoint that is a regular file exits 1 with a one-line message" {
	touch "$BATS_TEST_TMPDIR/file"
	run_setup_error -o "sysfs=$FIX" "$BATS_TEST_TMPDIR/file"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
}

@test "no mountpoint at all is a usage error, exit 1" {
	run timeout 20 "$PCIFS" -f -o "sysfs=$FIX" 3>&-
	assert_failure 1
}

@test "mount -t fuse.pcifs: the mount.fuse3 helper's command line works" {
	# mount(8) runs "mount.fuse3 pcifs MNT -t pcifs -o OPTS", which runs
	# "pcifs pcifs MNT -o OPTS" from PATH (mount resets PATH, so call the
	# helper directly with the pcifs under test first in PATH).
	local bin=$BATS_TEST_TMPDIR/bin mnt=$BATS_TEST_TMPDIR/mt helper
	mkdir -p "$bin" "$mnt"
	ln -s "$PCIFS" "$bin/pcifs"
	helper=$(command -v mount.fuse3 || echo /sbin/mount.fuse3)
	PATH=$bin:$PATH run "$helper" pcifs "$mnt" -t pcifs \
		-o "sysfs=$FIX,nodriver"
	assert_success
	run cat "$mnt/$NET/info"
	fusermount3 -u "$mnt" || true
	assert_line --index 0 "slot: $NET"
	run is_mounted "$mnt"
	assert_failure
}

@test "without -f pcifs daemonizes; unmounting ends it" {
	local mnt=$BATS_TEST_TMPDIR/mt
	mkdir -p "$mnt"
	run timeout 20 "$PCIFS" -o "sysfs=$FIX,nodriver" "$mnt" 3>&-
	assert_success
	is_mounted "$mnt"
	run cat "$mnt/$HOSTB/info"
	fusermount3 -u "$mnt"
	assert_line --index 0 "slot: $HOSTB"
}

@test "without -d, serving the tree prints nothing" {
	local before
	before=$(pcifs_log "$MNT" | grep -vc 'refused' || true)
	ls -R "$MNT/$NET" "$MNT/by-id" >/dev/null
	cat "$MNT/$NET/info" "$MNT/$NET/config" "$MNT/$NET/regs/config/COMMAND" \
		>/dev/null
	[ "$(pcifs_log "$MNT" | grep -vc 'refused' || true)" -eq "$before" ]
}

@test "-d prints debug output on stderr" {
	local mnt=$BATS_TEST_TMPDIR/md
	mount_pcifs "$mnt" -d -o "sysfs=$FIX,nodriver"
	ls "$mnt" >/dev/null
	cat "$mnt/$NET/info" >/dev/null
	unmount_pcifs "$mnt"
	[ -s "$mnt.log" ]
}

@test "allow_other turns on default_permissions" {
	local mnt=$BATS_TEST_TMPDIR/md
	mount_pcifs "$mnt" -o "sysfs=$FIX,nodriver,allow_other"
	run grep " $mnt fuse" /proc/self/mounts
	unmount_pcifs "$mnt"
	assert_output --partial allow_other
	assert_output --partial default_permissions
}

@test "the tree is not writable as a tree: each refusal has its errno, never ENOSYS" {
	local eperm=("mkdir $MNT/$NET/newdir" "rmdir $MNT/$NET/regs"
		"rm -f $MNT/$NET/config" "mv $MNT/$NET/info $MNT/$NET/info2"
		"ln -s x $MNT/by-id/link" "ln $MNT/$NET/info $MNT/$NET/info3"
		"mknod $MNT/$NET/fifo p") cmd
	for cmd in "${eperm[@]}"; do
		run ! $cmd
		assert_output --partial "Operation not permitted"
	done
	# A name that is not there, a mistyped register most often.
	run ! touch "$MNT/newfile"
	assert_output --partial "No such file or directory"
	run ! bash -c "echo 1 > '$MNT/$NET/regs/config/COMAND'"
	assert_output --partial "No such file or directory"
	run grep -c "files cannot be created, removed, linked or renamed" "$MNT.log"
	[ "$output" -ge 1 ]
	[ -e "$MNT/$NET/config" ]
	[ -e "$MNT/$NET/info" ]
	cmp "$MNT/$NET/config" "$FIX/devices/$NET/config"
}

@test "SIGTERM with files still open: the daemon releases them and exits 0" {
	local mnt=$BATS_TEST_TMPDIR/mt pid holder status=0
	mount_pcifs "$mnt" -o "sysfs=$FIX,nodriver"
	pid=$(cat "$mnt.pid")
	(
		exec 5<"$mnt/$NET/config" 6<"$mnt/$NET/info" \
			7<"$mnt/$NET/regs/config/COMMAND"
		exec sleep 30
	) 3>&- &
	holder=$!
	sleep 0.5
	kill -TERM "$pid"
	wait "$pid" || status=$?
	kill "$holder"
	wait "$holder" 2>/dev/null || true
	unmount_pcifs "$mnt"
	# pcifs-asan: LeakSanitizer fails the exit status and logs a report.
	[ "$status" -eq 0 ]
}

@test "a crash is left to the handler before ours: the sanitizer's report, or death by the signal" {
	local mnt=$BATS_TEST_TMPDIR/mc pid status=0
	mount_pcifs "$mnt" -o "sysfs=$FIX,nodriver"
	pid=$(cat "$mnt.pid")
	kill -SEGV "$pid"
	wait "$pid" || status=$?
	rm -f "$mnt.pid"
	fusermount3 -uz "$mnt" 2>/dev/null || true
	case $PCIFS in
	*asan*)
		run grep -c "ERROR: AddressSanitizer: SEGV" "$mnt.log"
		assert_output 1
		rm -f "$mnt.log" ;; # the report is this test's point
	*) [ "$status" -eq $((128 + 11)) ] ;;
	esac
}

@test "an attribute file that is a FIFO does not hang the daemon" {
	local dev=0000:00:07.0
	cp -a "$FIX/devices/0000:00:05.0" "$FIX/devices/$dev"
	rm -f "$FIX/devices/$dev/driver" "$FIX/devices/$dev/irq"
	mkfifo "$FIX/devices/$dev/irq"
	# irq falls back to the config header's INTERRUPT_LINE.
	run timeout 10 cat "$MNT/$dev/info"
	rm -rf "${FIX:?}/devices/$dev"
	assert_success
	assert_line --partial "irq: "
}

@test "info cannot be written" {
	run ! reg_write "$MNT/$HOSTB/info" "slot: x"
	run cat "$MNT/$HOSTB/info"
	assert_line --index 0 "slot: $HOSTB"
}

@test "a device removed while its files are open: every access fails with an errno, the daemon lives on" {
	local dev=0000:00:06.0
	cp -a "$FIX/devices/0000:00:05.0" "$FIX/devices/$dev"
	rm -f "$FIX/devices/$dev/driver"
	run bash -c "exec 5<'$MNT/$dev/regs/config/VENDOR_ID' 6<'$MNT/$dev/config' \
			7<'$MNT/$dev/bar0' 8<'$MNT/$dev/regs/bar0/0x0'
		dd bs=4 count=1 <&7 >/dev/null && echo bar0-mapped
		# The mapping outlives a removed file: cut it short first, as
		# a revoked sysfs mapping is.
		truncate -s 0 '$FIX/devices/$dev/resource0'
		dd bs=4 count=1 <&7 >/dev/null || echo bar0-failed
		dd bs=16 count=1 <&8 >/dev/null || echo regs-bar0-failed
		rm -rf '$FIX/devices/$dev'
		dd bs=1 count=1 <&5 >/dev/null || echo regs-config-failed
		dd bs=4 count=1 <&6 >/dev/null || echo config-failed"
	assert_line bar0-mapped
	assert_line bar0-failed
	assert_line regs-bar0-failed
	assert_line regs-config-failed
	assert_line config-failed
	assert_output --partial "Input/output error"
	assert_output --partial "No such device"
	kill -0 "$(cat "$MNT.pid")"
	run grep -c "the BAR is gone" "$MNT.log"
	[ "$output" -ge 1 ]
	run ls "$MNT"
	assert_success
	refute_line "$dev"
	run cat "$MNT/$NET/regs/config/VENDOR_ID"
	assert_output 0x1af4
}
