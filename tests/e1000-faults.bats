#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# e1000-faults.bats - faults: the daemon killed mid-traffic, and a device
# unplugged while its files are open.
#
# In a TCG guest (one boot; NIC e1000 at 00:03.0 on a -netdev dgram wire):
#   - SIGKILL of the daemon at 10 random moments of a TX blast (a writer
#     sending numbered frames to tx as fast as it can) and at 10 random
#     moments of an RX flood (the host injecting numbered frames at
#     $PCIFS_FLOOD_PPS, default 20000 frames/s, more than the guest can
#     take, while a reader drains rx).  The moment is a random delay of 0 to
#     1500 ms after the traffic is seen flowing (tx_packets or rx_packets
#     above 0).  The delays come from a seed printed at the start of the
#     file; PCIFS_FAULT_SEED=N replays them.  After each kill:
#       * the writer or reader was still running at the kill and fails (an
#         errno), so the kill did land during the traffic;
#       * the NIC is quiesced: RCTL.EN, TCTL.EN and bus mastering read 0
#         (devmem and setpci, not pcifs), within 10 s (the guardian);
#       * the next mount works, and the first frame written to tx after it
#         is the first frame on the host end of the wire, byte-identical
#         (no stale descriptor of the killed daemon goes out first);
#       * after an RX kill, the remounted NIC receives again: one rx read
#         returns one of the flood's frames, byte-identical.
#
# On a fixture tree on the host (no guest), device 0000:00:06.0 (a copy of
# the fixture's virtio-rng, unbound, BAR0 512 KiB sparse resource0): its
# files are opened (info, config, regs/config/VENDOR_ID, bar0 and
# regs/bar0/0x8, the BAR mapped by a first read), then the device goes the
# way a hot-unplug takes it on real sysfs: resource0 shrinks to 0 (the
# kernel revokes the mapping) and the device directory is removed.  Every
# later access through the open descriptors must fail with ENODEV or EIO,
# new lookups with ENOENT (or ENODEV/EIO), and the daemon must live
# (answer `ls`).  A second case removes resource0 and the directory
# without shrinking it first.
#
# The file takes about 3-4 minutes on a loaded 2-core machine.

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
NIC=/mnt/pcifs/$BDF
KILLS=${PCIFS_FAULT_KILLS:-10} # per test: 10 during TX, 10 during RX
QUIESCED="rctl_en=0 tctl_en=0 bus_master=0"

setup_file() {
	SEED=${PCIFS_FAULT_SEED:-$((($(date +%s) ^ $$) % 32768))}
	export SEED
	echo "# e1000-faults: seed $SEED (replay with PCIFS_FAULT_SEED=$SEED)" >&3
	vm_nic dgram 3
	export PCIFS_VM_EXTRA="$(numf_tool)"
	e1000_boot
}

teardown_file() {
	e1000_teardown_file
}

setup() {
	GUEST_MAC=$(mac_hex "$(vm_mac 3)")
	OTHER=020000000001 # a locally administered peer on the wire
}

teardown() {
	if [ -f "$BATS_TEST_TMPDIR/flood.pid" ]; then
		kill "$(cat "$BATS_TEST_TMPDIR/flood.pid")" 2>/dev/null || true
	fi
	vm_wire_cleanup
	[ -z "${FIXMNT:-}" ] || unmount_pcifs "$FIXMNT"
	[ -z "${FIXDEV:-}" ] || rm -rf "$FIXDEV"
	if [ -z "${FIXMNT:-}" ]; then
		guest_umount || vm_run "$E1000_REAP" || true
	fi
}

# delay_ms: the next random delay (0..1500 ms) from the seeded RANDOM.
delay_ms() {
	echo $((RANDOM % 1501))
}

# first_frame_arrives N: after kill N, write one fresh frame to tx of the
# new mount; it must be the first frame on the host end, byte-identical.
first_frame_arrives() {
	local out=$BATS_TEST_TMPDIR/first-$1.hex frame
	frame=$(frame_hex "$OTHER" "$GUEST_MAC" 200)
	vm_wire_recv 3 "$out" -n 1 -t 30000
	vm_run "echo $frame | fq send $NIC/tx" || return 1
	vm_wire_wait "$out" || return 1
	if [ "$(head -1 "$out")" != "$frame" ]; then
		echo "kill $1: first frame on the wire is not the one sent" >&2
		echo "sent: $frame" >&2
		echo "got:  $(head -1 "$out")" >&2
		return 1
	fi
}

# after_kill N WHAT: the guest script's output (in $output) says the
# traffic was running at the kill and then failed; the NIC is quiesced;
# the next mount works.
after_kill() {
	assert_line "$2 running at kill"
	assert_line --regexp "^$2 failed: numf: .*\(E[A-Z]+\)$"
	run e1000_wait_state $BDF "$QUIESCED"
	[ "$status" -eq 0 ] || echo "kill $1: NIC not quiesced: $output" >&2
	assert_success
	run guest_mount
	[ "$status" -eq 0 ] || echo "kill $1: the next mount failed: $output" >&2
	assert_success
}

@test "SIGKILL at 10 random moments of a TX blast: NIC quiesced, next mount works, first frame byte-identical" {
	local kill_no delay
	RANDOM=$SEED
	guest_mount
	for ((kill_no = 1; kill_no <= KILLS; kill_no++)); do
		delay=$(delay_ms)
		echo "# TX kill $kill_no: ${delay} ms into the blast (seed $SEED)" >&2
		# The blast: numbered frames, one write() each, until the daemon
		# dies under it.
		run -0 vm_run -t 60 "numf tx $NIC/tx -x $kill_no -d $OTHER -S $GUEST_MAC \
			9:0:100000000 2>/tmp/blast.log & b=\$!
			for k in \$(seq 300); do
				n=\$(awk '\$1 == \"tx_packets\" { print \$2 }' $NIC/stats)
				[ \"\${n:-0}\" -gt 0 ] && break; sleep 0.1
			done
			usleep $((delay * 1000))
			kill -0 \$b && echo 'blast running at kill'
			kill -9 \$($E1000_DAEMON_PID)
			wait \$b || echo \"blast failed: \$(head -1 /tmp/blast.log)\"
			$E1000_REAP"
		after_kill "$kill_no" blast
		first_frame_arrives "$kill_no"
	done
}

@test "SIGKILL at 10 random moments of an RX flood: NIC quiesced, next mount works and receives, first frame byte-identical" {
	local kill_no delay flood=$BATS_TEST_TMPDIR/flood.hex gp got
	RANDOM=$((SEED + 1))
	numf_host gen -x 7 -d "$GUEST_MAC" -S "$OTHER" -l 60:1514 7:0:500 >"$flood"
	read -r _ gp <"$VM_DIR/nic-3.ports"
	# The flood, bounded in time even if teardown never runs.
	timeout 600 "$(vm_wire)" send "$gp" -f "$flood" -c 100000 \
		-r "${PCIFS_FLOOD_PPS:-20000}" </dev/null >/dev/null 2>&1 3>&- &
	echo $! >"$BATS_TEST_TMPDIR/flood.pid"
	guest_mount
	for ((kill_no = 1; kill_no <= KILLS; kill_no++)); do
		delay=$(delay_ms)
		echo "# RX kill $kill_no: ${delay} ms into the flood (seed $SEED)" >&2
		run -0 vm_run -t 60 "numf rx $NIC/rx -s /tmp/never -o /dev/null \
			2>/tmp/reader.log & r=\$!
			for k in \$(seq 300); do
				n=\$(awk '\$1 == \"rx_packets\" { print \$2 }' $NIC/stats)
				[ \"\${n:-0}\" -gt 0 ] && break; sleep 0.1
			done
			usleep $((delay * 1000))
			kill -0 \$r && echo 'reader running at kill'
			kill -9 \$($E1000_DAEMON_PID)
			wait \$r || echo \"reader failed: \$(head -1 /tmp/reader.log)\"
			$E1000_REAP"
		after_kill "$kill_no" reader
		# The new mount receives: one rx read is one flood frame, intact.
		run -0 vm_run -t 60 "fq recv $NIC/rx -p 30000"
		got=$output
		if ! grep -qxF "$got" "$flood"; then
			echo "kill $kill_no: rx after remount gave a frame not of the flood: $got" >&2
			return 1
		fi
		first_frame_arrives "$kill_no"
	done
}

# --- a device unplugged while its files are open (fixture, no guest) --------

# numf_host ARGS: numf on the host.
numf_host() {
	"$(numf_tool)" "$@"
}

# fd_read FD OFFSET LEN: one pread of LEN bytes at OFFSET on the open
# descriptor FD (raw lseek and read: no fstat, which would be a new
# request); prints the bytes as hex, or "errno NAME (strerror)" and fails.
fd_read() {
	perl -e 'use POSIX (); use Errno;
		defined POSIX::lseek($ARGV[0], $ARGV[1], 0) or die "lseek: $!\n";
		my $n = POSIX::read($ARGV[0], my $b, $ARGV[2]);
		if (!defined $n) {
			my ($e) = grep { $!{$_} } keys %!;
			print "errno $e ($!)\n"; exit 1;
		}
		print unpack("H*", $b), "\n"' "$@"
}

# fd_write FD OFFSET HEX: one pwrite of HEX's bytes at OFFSET on FD.
fd_write() {
	perl -e 'use POSIX (); use Errno;
		defined POSIX::lseek($ARGV[0], $ARGV[1], 0) or die "lseek: $!\n";
		my $n = POSIX::write($ARGV[0], pack("H*", $ARGV[2]),
			length($ARGV[2]) / 2);
		if (!defined $n) {
			my ($e) = grep { $!{$_} } keys %!;
			print "errno $e ($!)\n"; exit 1;
		}
		print "wrote $n\n"' "$@"
}

# gone_errno WHAT FD OFFSET LEN: a read on FD fails with ENODEV or EIO.
gone_errno() {
	run fd_read "$2" "$3" "$4"
	if [ "$status" -eq 0 ] || ! [[ $output =~ ^errno\ (ENODEV|EIO)\  ]]; then
		echo "$1 after unplug: expected ENODEV or EIO, got: $output" >&2
		return 1
	fi
}

# gone_write_errno WHAT FD OFFSET HEX: a write on FD fails likewise.
gone_write_errno() {
	run fd_write "$2" "$3" "$4"
	if [ "$status" -eq 0 ] || ! [[ $output =~ ^errno\ (ENODEV|EIO)\  ]]; then
		echo "$1 after unplug: expected ENODEV or EIO, got: $output" >&2
		return 1
	fi
}

# lookup_fails PATH: a new lookup of PATH fails with ENOENT, ENODEV or EIO.
lookup_fails() {
	run cat "$1"
	if [ "$status" -eq 0 ] ||
		! [[ $output =~ (No such file or directory|No such device|Input/output error) ]]; then
		echo "new lookup of $1 after unplug: got: $output" >&2
		return 1
	fi
}

# fixture_device: a fresh mount of a host fixture with device
# 0000:00:06.0 (a copy of the virtio-rng at 05.0, unbound) in FIXDEV.
fixture_device() {
	local fix
	fix=$(fixture_tree host)
	FIXDEV=$fix/devices/0000:00:06.0
	FIXMNT=$BATS_TEST_TMPDIR/mnt
	rm -rf "$FIXDEV"
	cp -a "$fix/devices/0000:00:05.0" "$FIXDEV"
	rm -f "$FIXDEV/driver"
	put_bytes "$FIXDEV/resource0" 0 0011223344556677
	mount_pcifs "$FIXMNT" -o "sysfs=$fix,nodriver"
	DEV=$FIXMNT/0000:00:06.0
}

# daemon_lives: the daemon is alive and answers ls of its root.
daemon_lives() {
	kill -0 "$(cat "$FIXMNT.pid")"
	run -0 ls "$FIXMNT"
	assert_line 0000:00:05.0
	refute_line 0000:00:06.0
}

@test "unplug: open info, config and regs/config descriptors then fail with ENODEV or EIO; the daemon lives" {
	fixture_device
	exec 5<"$DEV/info" 6<"$DEV/config" 7<"$DEV/regs/config/VENDOR_ID"
	run -0 fd_read 6 0 2
	assert_output f41a # virtio's vendor id, little-endian
	rm -rf "$FIXDEV"
	gone_errno info 5 0 64
	gone_errno config 6 0 4
	gone_errno regs/config/VENDOR_ID 7 0 16
	exec 5<&- 6<&- 7<&-
	lookup_fails "$DEV/info"
	lookup_fails "$DEV/config"
	daemon_lives
}

@test "unplug: a mapped bar0 whose resource0 shrank to 0 and vanished fails reads and writes with ENODEV or EIO; the daemon lives" {
	fixture_device
	exec 5<>"$DEV/bar0"
	# The first read maps the BAR (core-bar.bats: mapped at first use).
	run -0 fd_read 5 0 8
	assert_output 0011223344556677
	grep -q "0000:00:06.0/resource0" "/proc/$(cat "$FIXMNT.pid")/maps"
	# As the kernel revokes a removed device's mappings: the file that
	# backs the window shrinks to 0, then the device is gone.
	truncate -s 0 "$FIXDEV/resource0"
	gone_errno "bar0 read (resource0 truncated)" 5 0 4
	rm -rf "$FIXDEV"
	gone_errno "bar0 read" 5 8 8
	gone_write_errno "bar0 write" 5 0 00000000
	exec 5<&-
	lookup_fails "$DEV/bar0"
	daemon_lives
}

@test "unplug: regs/bar0 registers of a mapped BAR whose resource0 shrank to 0 and vanished fail with ENODEV or EIO; the daemon lives" {
	fixture_device
	exec 5<>"$DEV/regs/bar0/0x0"
	run -0 cat "$DEV/regs/bar0/0x4"
	assert_output 0x77665544
	truncate -s 0 "$FIXDEV/resource0"
	rm -rf "$FIXDEV"
	gone_errno "regs/bar0/0x0 read" 5 0 16
	gone_write_errno "regs/bar0/0x0 write" 5 0 "$(printf 0x1 | xxd -p)"
	exec 5<&-
	lookup_fails "$DEV/regs/bar0/0x4"
	daemon_lives
}

@test "unplug: a mapped bar0 whose resource0 and device directory are removed fails with ENODEV or EIO; the daemon lives" {
	fixture_device
	exec 5<"$DEV/bar0"
	run -0 fd_read 5 0 8
	assert_output 0011223344556677
	# The mapping keeps the removed file's pages: pcifs must notice that
	# the device is gone, not serve them.
	rm -rf "$FIXDEV"
	gone_errno "bar0 read (resource0 removed)" 5 0 8
	exec 5<&-
	lookup_fails "$DEV/bar0"
	daemon_lives
}
