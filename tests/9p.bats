#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# 9p.bats - a host pcifs exported into a TCG guest over virtio-9p, the way
# the README shows it: -fsdev local,security_model=none on the host, and
# "mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=131072" in
# the guest.  The host pcifs serves a writable copy of the "host" fixture
# tree, so every write the guest makes lands in a fixture file that the test
# reads back on the host.  A second host mount with -o ro is exported too,
# and the first once more with security_model=passthrough and mapped-xattr.
#
# Checked in the guest: info, config and regs/config/* read as on the host;
# register writes (masked too) change the fixture's bytes exactly as the
# same write on the host does; EINVAL, EBUSY and EROFS cross 9p; a guest
# access of N bytes at offset M is one N-byte access at M on the host.

load test_helper/common-setup
load test_helper/vm
load test_helper/9p-checks

NET=0000:00:03.0 # virtio-net: unbound in this file's fixture copy, written
BLK=0000:00:02.0 # virtio-blk: stays bound to virtio-pci (EBUSY)

# The guest's view of the two host mounts.
G=/mnt/pcifs
GRO=/mnt/pcifs-ro
# Guest mount options: cache=none keeps every read and write direct.
GUEST_OPTS=trans=virtio,version=9p2000.L,cache=none,msize=131072

setup_file() {
	FIX=$(fixture_tree host)
	MNT=$BATS_FILE_TMPDIR/mnt
	MNTR=$BATS_FILE_TMPDIR/mnt-ro
	IO=$BATS_FILE_TMPDIR/9p-io
	export FIX MNT MNTR IO
	unbind_fixture "$FIX" "$NET"
	cp "$FIX/devices/$NET/config" "$BATS_FILE_TMPDIR/net-config.orig"
	cc -static -O2 -o "$IO" "$PCIFS_ROOT/tests/vm/9p-io.c"
	# -d: the FUSE requests QEMU makes are logged in $MNT.log.
	mount_pcifs "$MNT" -d -o "sysfs=$FIX,nodriver"
	mount_pcifs "$MNTR" -o "sysfs=$FIX,nodriver,ro"
	# QEMU opens the export's root when it starts: mount pcifs first.
	vm_share "$MNT" pcifs 0x10 security_model=none
	vm_share "$MNTR" pcifsro 0x11 security_model=none
	# The same rw mount under the other security models, for one test.
	vm_share "$MNT" pcifspt 0x12 security_model=passthrough
	vm_share "$MNT" pcifsmx 0x13 security_model=mapped-xattr
	vm_share "$MNT" pcifsmf 0x14 security_model=mapped-file
	PCIFS_VM_PCIFS=- vm_boot
	vm_copy_in "$IO" /usr/local/bin/9p-io
	vm_run "mkdir -p $G $GRO /mnt/pt /mnt/mx /mnt/mf &&
		mount -t 9p -o $GUEST_OPTS pcifs $G &&
		mount -t 9p -o $GUEST_OPTS pcifsro $GRO &&
		mount -t 9p -o $GUEST_OPTS pcifspt /mnt/pt &&
		mount -t 9p -o $GUEST_OPTS pcifsmx /mnt/mx &&
		mount -t 9p -o $GUEST_OPTS pcifsmf /mnt/mf"
}

teardown_file() {
	# QEMU holds the exported FUSE root open: stop it before unmounting.
	vm_stop
	unmount_pcifs "$MNT"
	unmount_pcifs "$MNTR"
}

teardown() {
	strace_stop
}

# --- strace on the daemon: which pread64/pwrite64 calls a guest access made

# strace_start: trace the rw daemon's pread64/pwrite64 into $STRACE_LOG and
# return once every daemon thread is traced.
strace_start() {
	local pid i task traced
	command -v strace >/dev/null || skip "strace is not installed"
	pid=$(cat "$MNT.pid")
	STRACE_LOG=$BATS_TEST_TMPDIR/strace.log
	strace -f -qq -e trace=pread64,pwrite64 -e signal=none \
		-o "$STRACE_LOG" -p "$pid" 3>&- </dev/null >/dev/null 2>&1 &
	echo $! >"$BATS_TEST_TMPDIR/strace.pid"
	for ((i = 0; i < PCIFS_WAIT_TENTHS; i++)); do
		traced=1
		for task in /proc/"$pid"/task/*; do
			grep -q '^TracerPid:[[:space:]]*0$' "$task/status" &&
				traced=0
		done
		[ "$traced" = 1 ] && return 0
		sleep 0.1
	done
	echo "strace did not attach to pcifs ($pid)" >&2
	return 1
}

strace_stop() {
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/strace.pid" 2>/dev/null) || return 0
	kill -INT "$pid" 2>/dev/null
	wait_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	rm -f "$BATS_TEST_TMPDIR/strace.pid"
}

# accesses CALL SIZE OFF: how many CALLs (pread64, pwrite64) of SIZE bytes
# at offset OFF (decimal) the daemon made, split calls included.
accesses() {
	grep -E "$1.*, $2, $3\)[[:space:]]+= $2\$" "$STRACE_LOG" |
		grep -c -v unfinished
}

# --- reads ---------------------------------------------------------------------

@test "the guest lists the devices the host mount lists" {
	check_lists_devices
}

@test "info and regs/config/VENDOR_ID of every device read in the guest as on the host" {
	check_info_reads
}

@test "config bytes of every device read in the guest as on the host" {
	local dev bdf
	for dev in "$FIX"/devices/*; do
		bdf=${dev##*/}
		run vm_run "od -An -tx1 -v $G/$bdf/config"
		assert_success
		assert_output "$(od -An -tx1 -v "$(cfg "$bdf")")"
		[ "$(od -An -tx1 -v "$MNT/$bdf/config")" = "$output" ]
	done
}

@test "regs/config/* read in the guest as on the host, names and values" {
	local bdf
	for bdf in "$NET" "$BLK" 0000:00:00.0; do
		run vm_run "cd $G/$bdf/regs/config &&
			for r in *; do echo \"\$r \$(cat \$r)\"; done"
		assert_success
		assert_output "$(cd "$MNT/$bdf/regs/config" &&
			for r in *; do echo "$r $(cat "$r")"; done)"
	done
	run vm_run "cat $G/$NET/regs/config/0x3c.b $G/$NET/regs/config/cap_msix"
	assert_output "$(cat "$MNT/$NET/regs/config/0x3c.b" \
		"$MNT/$NET/regs/config/CAP_MSIX")"
}

@test "cache=none: a change on the host is seen at once by the guest" {
	check_cache_none
}

# --- writes --------------------------------------------------------------------

@test "guest register writes change the fixture's bytes as host writes do" {
	local w reg value guest host orig
	orig=$(od -An -tx1 -v "$(cfg "$NET")")
	for w in COMMAND=0x0507 COMMAND=0x0:0x4 COMMAND=0x400:0x400 \
		INTERRUPT_LINE=0x5a 0x3c.b=a5 0x40.l=0xdeadbeef \
		0x44.w=0x1234:0xff00 BASE_ADDRESS_0=0xfe000000; do
		reg=${w%%=*} value=${w#*=}
		restore_net_config
		run vm_run "echo $value > $G/$NET/regs/config/$reg"
		assert_success
		guest=$(od -An -tx1 -v "$(cfg "$NET")")
		restore_net_config
		echo "$value" >"$MNT/$NET/regs/config/$reg"
		host=$(od -An -tx1 -v "$(cfg "$NET")")
		[ "$guest" = "$host" ] || {
			echo "$reg=$value: guest and host writes differ" >&2
			return 1
		}
	done
	# And the values are the ones setpci would have written.
	restore_net_config
	put_bytes "$(cfg "$NET")" 4 0705
	vm_run "echo 0x0:0x4 > $G/$NET/regs/config/COMMAND"
	assert_equal "$(le_value "$(cfg "$NET")" 4 2)" 0x0503
	vm_run "echo 0x12345678 > $G/$NET/regs/config/0x40.l"
	assert_equal "$(hexbytes "$(cfg "$NET")" 0x40 4)" 78563412
	vm_run "printf 0xab00:0xff00 > $G/$NET/regs/config/0x44.w"
	assert_equal "$(le_value "$(cfg "$NET")" 0x44 2)" \
		"$(printf '0x%04x' $((0xab00 | ($(le_value \
			"$BATS_FILE_TMPDIR/net-config.orig" 0x44 2) & 0xff))))"
	restore_net_config
	[ "$(od -An -tx1 -v "$(cfg "$NET")")" = "$orig" ]
}

@test "guest writes to the config file land at their offset" {
	restore_net_config
	run vm_run "9p-io write $G/$NET/config a55a 0x3c"
	assert_success
	assert_output 2
	assert_equal "$(hexbytes "$(cfg "$NET")" 0x3c 2)" a55a
	run vm_run "9p-io write $G/$NET/config 11223344 0x40"
	assert_equal "$(hexbytes "$(cfg "$NET")" 0x40 4)" 11223344
	restore_net_config
}

@test "guest BAR reads and writes reach the fixture's resource file" {
	local res=$FIX/devices/$NET/resource0
	put_bytes "$res" 8 0102030405060708
	run vm_run "9p-io read $G/$NET/bar0 4 8"
	assert_success
	assert_output 01020304
	run vm_run "cat $G/$NET/regs/bar0/0x8.q"
	assert_output 0x0807060504030201
	run vm_run "echo 0xcafef00d > $G/$NET/regs/bar0/0x10"
	assert_success
	assert_equal "$(hexbytes "$res" 16 4)" 0df0feca
	run vm_run "9p-io write $G/$NET/bar0 aabbccdd 0x20"
	assert_equal "$(hexbytes "$res" 32 4)" aabbccdd
}

# --- errors ------------------------------------------------------------------

@test "EINVAL crosses 9p for a bad register value, and nothing is written" {
	check_einval_crosses
}

@test "EBUSY crosses 9p on a device a kernel driver is bound to" {
	check_ebusy_crosses
}

@test "EROFS crosses 9p from a host mount with -o ro" {
	check_erofs_crosses
}

@test "security models passthrough, mapped-xattr and mapped-file: register files work as with none" {
	local m
	for m in pt mx mf; do
		restore_net_config
		run vm_run "ls -ln /mnt/$m/$NET/config"
		assert_output --regexp '^-rw-r--r-- +1 0 +0 +256 '
		run vm_run "cat /mnt/$m/$NET/regs/config/COMMAND"
		assert_output "$(cat "$MNT/$NET/regs/config/COMMAND")"
		run vm_run "echo 0x0:0x4 > /mnt/$m/$NET/regs/config/COMMAND"
		assert_success
		assert_equal "$(le_value "$(cfg "$NET")" 4 2)" \
			"$(printf '0x%04x' $(($(le_value \
			"$BATS_FILE_TMPDIR/net-config.orig" 4 2) & ~4)))"
		run vm_run "9p-io text /mnt/$m/$BLK/regs/config/COMMAND 0"
		assert_output --partial "open: EBUSY"
		# pcifs keeps no extended attributes: no mode changes.
		run vm_run "chmod 600 /mnt/$m/$NET/config"
		assert_failure
	done
	restore_net_config
}

# --- lspci and the symlinks ------------------------------------------------------

# lspci_on DIR OPTS: lspci through the sysfs backend rooted at DIR (its
# stderr has the host's libkmod warnings, which the guest has not).
lspci_on() {
	# shellcheck disable=SC2086 # OPTS are words
	lspci -A linux-sysfs -O "sysfs.path=$1" $2 2>/dev/null
}

@test "lspci in the guest on the 9p export prints what lspci prints on the host's mount" {
	local opts
	for opts in "-nn" "-vvv" "-xxxx" "-t" "-mm" "-D -vvvnn"; do
		run vm_run "lspci -A linux-sysfs -O sysfs.path=$G $opts 2>/dev/null"
		assert_success
		[ "${#lines[@]}" -gt 3 ]
		assert_equal "$output" "$(lspci_on "$MNT" "$opts")"
	done
	run vm_run "lspci -A linux-sysfs -O sysfs.path=$G -vvv -s ${BLK#0000:}"
	assert_line --partial "Kernel driver in use: virtio-pci"
}

# QEMU's mapped security models keep a guest-made symlink as a file whose
# content is the target and read every symlink that way, opening it with
# O_NOFOLLOW (hw/9pfs/9p-local.c, local_readlink): a real symlink on the
# host, as pcifs's are, then cannot be read.  none and passthrough read it.
@test "symlinks (by-id, devices, driver) read under none and passthrough, and fail under the mapped models" {
	local m link="by-id/1af4:1041/$NET"
	for m in "$G" /mnt/pt; do
		run vm_run "readlink $m/$link; readlink $m/devices/$BLK; readlink $m/$BLK/driver"
		assert_success
		assert_equal "$output" "$(printf '../../%s\n../%s\n../drivers/virtio-pci' "$NET" "$BLK")"
		run vm_run "lspci -A linux-sysfs -O sysfs.path=$m -nn 2>/dev/null"
		assert_equal "$output" "$(lspci_on "$MNT" -nn)"
	done
	for m in /mnt/mx /mnt/mf; do
		run vm_run "readlink $m/$link"
		assert_failure
		run vm_run "ls $m/devices/$BLK/"
		assert_failure
		run vm_run "lspci -A linux-sysfs -O sysfs.path=$m -nn"
		refute_output --partial "Virtio"
	done
}

# --- access widths -------------------------------------------------------------

@test "a guest access of N bytes at M is one N-byte access at M on the host" {
	restore_net_config
	strace_start
	vm_run "9p-io read $G/$NET/config 1 0x3d; 9p-io read $G/$NET/config 2 6
		9p-io read $G/$NET/config 4 8; cat $G/$NET/regs/config/COMMAND
		cat $G/$NET/regs/config/BASE_ADDRESS_1
		9p-io write $G/$NET/config 5a 0x3c; 9p-io write $G/$NET/config 3412 0x44
		9p-io write $G/$NET/config 78563412 0x48
		echo 0x0:0x4 > $G/$NET/regs/config/COMMAND"
	strace_stop
	assert_equal "$(accesses pread64 1 61)" 1  # 0x3d.b
	assert_equal "$(accesses pread64 2 6)" 1   # STATUS
	assert_equal "$(accesses pread64 4 8)" 1   # revision and class
	assert_equal "$(accesses pread64 4 20)" 1  # BASE_ADDRESS_1
	assert_equal "$(accesses pwrite64 1 60)" 1
	assert_equal "$(accesses pwrite64 2 68)" 1
	assert_equal "$(accesses pwrite64 4 72)" 1
	# cat COMMAND, then the masked write's read-modify-write.
	assert_equal "$(accesses pread64 2 4)" 2
	assert_equal "$(accesses pwrite64 2 4)" 1
	restore_net_config
}

@test "a guest BAR access of N bytes at M is one FUSE read or write of N at M" {
	local log=$MNT.log before
	before=$(wc -l <"$log")
	vm_run "9p-io read $G/$NET/bar0 4 0x100; 9p-io read $G/$NET/bar0 8 0x108
		9p-io write $G/$NET/bar0 aabb 0x110"
	tail -n +"$((before + 1))" "$log" >"$BATS_TEST_TMPDIR/log"
	assert_equal "$(grep -c '^read\[.*\] 4 bytes from 256 ' "$BATS_TEST_TMPDIR/log")" 1
	assert_equal "$(grep -c '^read\[.*\] 8 bytes from 264 ' "$BATS_TEST_TMPDIR/log")" 1
	assert_equal "$(grep -c '^write\[.*\] 2 bytes to 272 ' "$BATS_TEST_TMPDIR/log")" 1
	# Nothing else read the BAR: every other read is past the end of a
	# short one (QEMU asks again at the end of a short read).
	run grep -c '^read\[' "$BATS_TEST_TMPDIR/log"
	assert_output 2
}
