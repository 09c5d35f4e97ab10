#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# 9p-frames.bats - tx/rx frame semantics through virtio-9p.
#
# The test machines have no e1000 (their PCI devices are virtio), and a
# nested guest to give the host one is far too slow under TCG.  So the frame
# path is checked in two halves: the e1000 suites (tests/e1000*.bats) test
# pcifs's tx/rx files in a guest that has an e1000, and this file tests what
# 9p does to datagram files, against tests/vm/9p-dgramfs.c: a FUSE stand-in
# with the semantics of fs/nic.c's tx and rx, wired back to back (a frame
# written to tx is read from rx).
#
# Three host mounts of it are exported to one guest with the configuration
# the README recommends (security_model=none; cache=none,msize=131072):
#   dg        as fs/nic.c must behave under 9p (see 9p-dgramfs.c)
#   dg-nocont without the rule that ends a frame at QEMU's continuation read
#   dg-nonseek with tx and rx opened nonseekable
# The last two show why fs/nic.c needs the first's behaviour.

load test_helper/common-setup
load test_helper/vm

GUEST_OPTS=trans=virtio,version=9p2000.L,cache=none,msize=131072

setup_file() {
	local fuse_flags
	DGRAMFS=$BATS_FILE_TMPDIR/9p-dgramfs
	IO=$BATS_FILE_TMPDIR/9p-io
	DG=$BATS_FILE_TMPDIR/dg
	export DGRAMFS IO DG
	read -r -a fuse_flags < <(pkg-config --cflags --libs fuse3)
	cc -O2 -o "$DGRAMFS" "$PCIFS_ROOT/tests/vm/9p-dgramfs.c" \
		"${fuse_flags[@]}" -lpthread
	cc -static -O2 -o "$IO" "$PCIFS_ROOT/tests/vm/9p-io.c"
	PCIFS=$DGRAMFS mount_pcifs "$DG" -d
	PCIFS=$DGRAMFS DGRAMFS_NOCONT=1 mount_pcifs "$DG-nocont"
	PCIFS=$DGRAMFS DGRAMFS_NONSEEKABLE=1 mount_pcifs "$DG-nonseek"
	vm_share "$DG" dg 0x10
	vm_share "$DG-nocont" dgnc 0x11
	vm_share "$DG-nonseek" dgns 0x12
	PCIFS_VM_PCIFS=- vm_boot
	vm_copy_in "$IO" /usr/local/bin/9p-io
	vm_run "mkdir -p /g/dg /g/dgnc /g/dgns &&
		mount -t 9p -o $GUEST_OPTS dg /g/dg &&
		mount -t 9p -o $GUEST_OPTS dgnc /g/dgnc &&
		mount -t 9p -o $GUEST_OPTS dgns /g/dgns"
}

teardown_file() {
	vm_stop
	unmount_pcifs "$DG"
	unmount_pcifs "$DG-nocont"
	unmount_pcifs "$DG-nonseek"
}

# frame N BYTE: N bytes of BYTE (two hex digits), as hex.
frame() {
	printf "$2%.0s" $(seq "$1")
}

# host_ops KIND SIZE: how many FUSE KIND (read, write) requests of SIZE
# bytes the dg daemon logged since log_mark.
log_mark() {
	LOG_FROM=$(($(wc -l <"$DG.log") + 1))
}
host_ops() {
	tail -n +"$LOG_FROM" "$DG.log" | grep -c "^$1\[.*\] $2 bytes "
}

# drain: empty the guest's rx queue of a mount.
drain() {
	vm_run "while 9p-io readnb /g/$1/rx 2048 >/dev/null 2>&1; do :; done"
}

@test "one write to tx in the guest is one frame write on the host" {
	log_mark
	run vm_run "9p-io write /g/dg/tx $(frame 14 11)
		9p-io write /g/dg/tx $(frame 60 22)
		9p-io write /g/dg/tx $(frame 1514 33)"
	assert_success
	assert_output "$(printf '14\n60\n1514')"
	assert_equal "$(host_ops write 14)" 1
	assert_equal "$(host_ops write 60)" 1
	assert_equal "$(host_ops write 1514)" 1
	drain dg
}

@test "one read of rx in the guest is one frame, in order, intact" {
	vm_run "9p-io write /g/dg/tx $(frame 14 11)
		9p-io write /g/dg/tx $(frame 60 22)
		9p-io write /g/dg/tx $(frame 1514 33)"
	run vm_run "9p-io reads /g/dg/rx 2048 3"
	assert_success
	assert_output "$(printf '14\n60\n1514')"
	vm_run "9p-io write /g/dg/tx $(frame 60 44)
		9p-io write /g/dg/tx $(frame 61 55)"
	run vm_run "9p-io read /g/dg/rx 2048"
	assert_output "$(frame 60 44)"
	run vm_run "9p-io read /g/dg/rx 2048"
	assert_output "$(frame 61 55)"
}

@test "a short rx buffer cuts the frame; the next read is the next frame" {
	vm_run "9p-io write /g/dg/tx $(frame 60 66)
		9p-io write /g/dg/tx $(frame 20 77)"
	run vm_run "9p-io reads /g/dg/rx 32 2"
	assert_output "$(printf '32\n20')"
}

@test "a frame outside 14..1514 bytes is EINVAL in the guest" {
	run vm_run "9p-io write /g/dg/tx $(frame 13 00)"
	assert_failure
	assert_output --partial "write: EINVAL"
	run vm_run "9p-io write /g/dg/tx $(frame 1515 00)"
	assert_output --partial "write: EINVAL"
	run vm_run "9p-io readnb /g/dg/rx 2048"
	assert_output --partial "read: EAGAIN"
}

@test "O_NONBLOCK crosses 9p: an empty rx is EAGAIN, a queued frame is read" {
	log_mark
	run vm_run "9p-io readnb /g/dg/rx 2048"
	assert_failure
	assert_output --partial "read: EAGAIN"
	tail -n +"$LOG_FROM" "$DG.log" | grep -q '^read\[.*flags: 0x28800$'
	vm_run "9p-io write /g/dg/tx $(frame 14 99)"
	run vm_run "9p-io readnb /g/dg/rx 2048"
	assert_success
	assert_output "$(frame 14 99)"
}

@test "a blocking rx read in the guest returns when a frame arrives" {
	local i
	log_mark
	vm_run "9p-io read /g/dg/rx 2048 >/tmp/rx.out 2>&1 & echo \$! >/tmp/rx.pid"
	# Wait until the read has reached the host daemon.
	for ((i = 0; i < PCIFS_WAIT_TENTHS; i++)); do
		[ "$(host_ops read 2048)" -ge 1 ] && break
		sleep 0.1
	done
	assert_equal "$(host_ops read 2048)" 1
	# A blocked reader does not hold up other 9p requests: this write
	# goes through and completes the read.
	vm_run "9p-io write /g/dg/tx $(frame 42 5a)"
	run vm_run "while kill -0 \$(cat /tmp/rx.pid) 2>/dev/null; do sleep 0.1; done
		cat /tmp/rx.out"
	assert_output "$(frame 42 5a)"
}

@test "a signal does not end a guest read blocked on the host until it returns" {
	local i
	log_mark
	vm_run "9p-io read /g/dg/rx 2048 >/tmp/rx.out 2>&1 & echo \$! >/tmp/rx.pid"
	for ((i = 0; i < PCIFS_WAIT_TENTHS; i++)); do
		[ "$(host_ops read 2048)" -ge 1 ] && break
		sleep 0.1
	done
	# QEMU answers the guest's Tflush only once the host read has
	# returned, and sends the daemon no FUSE interrupt: the reader stays
	# in the kernel (state D) after SIGTERM.
	run vm_run "p=\$(cat /tmp/rx.pid); kill -TERM \$p; sleep 1
		cut -d' ' -f3 /proc/\$p/stat"
	assert_output D
	run grep -c INTERRUPT "$DG.log"
	assert_output 0
	# The frame that ends the read is consumed, and the reader dies.
	vm_run "9p-io write /g/dg/tx $(frame 14 ee)"
	run vm_run "while kill -0 \$(cat /tmp/rx.pid) 2>/dev/null; do sleep 0.1; done
		cat /tmp/rx.out; 9p-io readnb /g/dg/rx 2048"
	refute_output --partial "$(frame 14 ee)"
	assert_output --partial "read: EAGAIN"
}

@test "poll() on an empty rx waits on the host but is ready at once in a guest" {
	drain dg
	# The host daemon answers poll(): nothing queued, nothing ready.
	run "$IO" poll "$DG/rx" 100
	assert_output timeout
	# 9p has no poll request: the guest kernel says every file is ready.
	run vm_run "9p-io poll /g/dg/rx 100; 9p-io readnb /g/dg/rx 2048"
	assert_output --partial ready
	assert_output --partial "read: EAGAIN"
}

@test "without the continuation rule QEMU merges frames into one read" {
	vm_run "9p-io write /g/dgnc/tx $(frame 1024 01)
		9p-io write /g/dgnc/tx $(frame 1024 02)"
	run vm_run "9p-io reads /g/dgnc/rx 2048 1"
	assert_output 2048
	vm_run "9p-io write /g/dg/tx $(frame 1024 01)
		9p-io write /g/dg/tx $(frame 1024 02)"
	run vm_run "9p-io reads /g/dg/rx 2048 2"
	assert_output "$(printf '1024\n1024')"
}

@test "nonseekable queue files fail with ESPIPE through 9p" {
	run vm_run "9p-io write /g/dgns/tx $(frame 14 00)"
	assert_failure
	assert_output --partial "write: ESPIPE"
	run vm_run "9p-io readnb /g/dgns/rx 2048"
	assert_output --partial "read: ESPIPE"
}
