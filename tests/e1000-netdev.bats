#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# -o netdev=DIR: a VM's NIC carried by pcifs's driver.  A test client
# (tests/tools/ndc) stands in for QEMU's "-netdev stream" on the socket
# DIR/<BDF>: it speaks the same framing (a 4-byte big-endian length, then
# the frame).  NIC 3 is on QEMU user networking (slirp: its gateway
# 10.0.2.2 answers ARP), with a filter-dump of the wire; NIC 4's wire is a
# host UDP socket (tests/tools/wire), for floods.  The last test runs a
# real VM: a QEMU inside the guest (L2, tests/vm/netdev-l2.sh) whose
# virtio-net NIC is "-netdev stream" on the socket.  One guest boot.

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF3=0000:00:03.0
BDF4=0000:00:04.0
NIC3=/mnt/pcifs/$BDF3
NIC4=/mnt/pcifs/$BDF4
DIR=/run/pcifs
SOCK3=$DIR/$BDF3
SOCK4=$DIR/$BDF4
# The guest's ARP request for the gateway, and the pattern of its reply.
ARP=ffffffffffff525400123456080600010800060400015254001234560a00020f0000000000000a000202
ARP_REPLY='^525400123456.{12}0806000108000604000252550a000202'

# ndc_tool: build tests/tools/ndc (static, for the guest) when missing or
# older than its source; print its path.
ndc_tool() {
	local src=$BATS_TEST_DIRNAME/tools/ndc.c bin=$BATS_TEST_DIRNAME/tools/ndc
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
		cc -O2 -Wall -Wextra -static -o "$bin.tmp.$$" "$src" &&
			mv "$bin.tmp.$$" "$bin" || return 1
	fi
	echo "$bin"
}

QDIR=$VM_NESTED_QDIR # the guest QEMU's data directory (-L)
L2_TIMEOUT=${PCIFS_NESTED_TIMEOUT:-480} # L2 boots in 60-100 s, nested TCG

# QEMU for L2 in the guest (vm_nested_extra), with L2's /init.
l2_extra() {
	local l2
	l2=$("$PCIFS_ROOT/tests/vm/netdev-l2.sh") || return 1
	vm_nested_extra "$l2"
}

setup_file() {
	local ndc l2
	ndc=$(ndc_tool)
	l2=$(l2_extra)
	vm_nic user 3 dump=1
	vm_nic dgram 4
	export PCIFS_VM_EXTRA="$ndc $BATS_TEST_DIRNAME/tools/pcifs-ping.sh $PCIFS_ROOT/pcifs-tap $(echo $l2)"
	export PCIFS_VM_MEM=1536 PCIFS_VM_BOOT_TIMEOUT=300
	e1000_boot
}

teardown_file() {
	e1000_teardown_file
}

# The first access to the mount waits for pcifs's init, which engages the
# NICs and makes their sockets.
setup() {
	vm_run "rm -rf $DIR"
	guest_mount netdev=$DIR
	vm_run "ls /mnt/pcifs >/dev/null"
}

# A failed test may leave a reader blocked in the mount, or a client: end
# them, and a daemon that does not exit, so the next test mounts afresh.
teardown() {
	vm_wire_cleanup
	vm_run 'kill $(pidof ndc fq dd) 2>/dev/null; true'
	guest_umount || vm_run "kill -9 \$($E1000_DAEMON_PID); $E1000_REAP"
}

# A frame nobody else sends, from NIC 3's MAC, to find on the wire.
unique_frame() { frame_hex ffffffffffff 525400123456 "${1:-64}"; }

@test "the socket is there at mount in a 0700 directory; ARP through it reaches the gateway, the reply comes back" {
	local probe sent received
	probe=$(unique_frame)
	sent=$(guest_stat $BDF3 tx_packets)
	received=$(guest_stat $BDF3 rx_packets)
	run -0 vm_run "ls -ld $DIR | cut -c1-10; [ -S $SOCK3 ] && [ -S $SOCK4 ] && echo sockets; cat $NIC3/info"
	assert_line "drwx------"
	assert_line sockets
	assert_line "netdev: $SOCK3 (listening)"
	run -0 vm_run -t 30 "ndc -n 1 -w 10000 $SOCK3 $probe $ARP"
	assert_line --regexp "$ARP_REPLY"
	# stats counts the VM's frames too.
	assert_equal "$(($(guest_stat $BDF3 tx_packets) - sent))" 2
	[ "$(guest_stat $BDF3 rx_packets)" -gt "$received" ]
	# The client's frames crossed the wire, byte for byte.
	run -0 vm_pcap 3
	assert_line "$probe"
	assert_line "$ARP"
}

@test "info says connected while a VM is; rx and rxbatch fail with EBUSY, tx still sends; rx is the files' again after" {
	local probe
	probe=$(unique_frame 80)
	echo "$probe" >"$(share_file probe.hex)"
	run -0 vm_run -t 60 "ndc -p 8000 $SOCK3 >/dev/null & sleep 2
		grep netdev: $NIC3/info
		fq recv $NIC3/rx -N; echo rx=\$?
		timeout 5 dd if=$NIC3/rxbatch of=/dev/null bs=4096 count=1 2>&1 | head -1
		fq send $NIC3/tx </mnt/host/probe.hex && echo tx=ok
		wait; grep netdev: $NIC3/info"
	assert_line "netdev: $SOCK3 (connected)"
	assert_line --partial "EBUSY"
	assert_line "rx=1"
	assert_line --partial "Device or resource busy"
	assert_line "tx=ok"
	assert_line "netdev: $SOCK3 (listening)"
	run -0 vm_pcap 3
	assert_line "$probe"
	# The VM is gone: the files read frames again.
	run -0 vm_run -t 60 "pcifs-ping.sh $NIC3 10.0.2.15 10.0.2.2 1"
	assert_line "arp reply: 10.0.2.2 is at 52:55:0a:00:02:02"
}

@test "pcifs-tap on a NIC whose receive queue a VM owns exits 1 with one EBUSY line, making no tap" {
	run -0 vm_run -t 60 "ndc -p 5000 $SOCK3 >/dev/null & sleep 2
		pcifs-tap $NIC3 2>/tmp/tap.err; echo rc=\$?
		echo lines=\$(wc -l </tmp/tap.err); cat /tmp/tap.err
		ls /sys/class/net; wait"
	assert_line "rc=1"
	assert_line "lines=1"
	assert_line "pcifs-tap: $NIC3/rxbatch: Device or resource busy: a VM connected through pcifs -o netdev owns the receive queue"
	refute_line --regexp '^pcifs[0-9]'
}

@test "a second connection is closed at once; the first keeps forwarding" {
	run -0 vm_run -t 60 "ndc -d 3000 -n 1 -w 10000 $SOCK3 $ARP >/tmp/first & sleep 1
		time_start=\$(date +%s); ndc -w 5000 $SOCK3; echo second=\$((\$(date +%s) - time_start))
		wait; cat /tmp/first"
	assert_line eof
	assert_line --regexp '^second=[01]$'
	assert_line --regexp "$ARP_REPLY"
}

@test "bad lengths from the VM (0, 13, 1515, 100000) are dropped and counted in tx_errors; the stream goes on" {
	local probe before after
	probe=$(unique_frame 100)
	before=$(guest_stat $BDF3 tx_errors)
	run -0 vm_run -t 60 "ndc -n 1 -w 10000 $SOCK3 @0 @13 @1515 @100000 $probe $ARP"
	assert_line --regexp "$ARP_REPLY"
	after=$(guest_stat $BDF3 tx_errors)
	assert_equal "$((after - before))" 4
	run -0 vm_pcap 3
	assert_line "$probe"
	refute_line --regexp '^0{60,}$'
}

@test "frames to the VM's own MAC reach it (promiscuous while connected, restored after)" {
	local frame
	frame=$(frame_hex 020000000099 020000000001 70)
	run -0 vm_run "cat $NIC4/promisc"
	assert_output 0
	vm_run "ndc -n 1 -w 15000 $SOCK4 >/tmp/vm.out 2>&1 & echo \$! >/tmp/vm.pid"
	sleep 2
	run -0 vm_run "cat $NIC4/promisc"
	assert_output 1
	echo "$frame" | vm_wire_send 4
	run -0 vm_run -t 30 'while kill -0 $(cat /tmp/vm.pid) 2>/dev/null; do sleep 0.2; done; cat /tmp/vm.out'
	assert_output "$frame"
	run -0 vm_run "sleep 1; cat $NIC4/promisc"
	assert_output 0
}

@test "a VM that does not read loses frames (rx_drops), and holds up neither tx nor, after it leaves, rx" {
	local mac4 out before after
	mac4=$(mac_hex "$(vm_mac 4)")
	for i in $(seq 200); do frame_hex "$mac4" 020000000001 1000; done >"$BATS_TEST_TMPDIR/flood.hex"
	frame_hex 020000000001 "$mac4" 90 >"$(share_file out.hex)"
	before=$(guest_stat $BDF4 rx_drops)
	vm_run "ndc -p 30000 $SOCK4 >/dev/null 2>&1 &"
	sleep 1
	# 5 MB: more than the socket's 1 MiB (2 MiB as the kernel counts).
	vm_wire_send 4 -f "$BATS_TEST_TMPDIR/flood.hex" -c 25 -r 2000
	after=$(guest_stat $BDF4 rx_drops)
	[ "$after" -gt "$before" ] || fail "rx_drops $before -> $after"
	run -0 vm_run "grep netdev: $NIC4/info"
	assert_output "netdev: $SOCK4 (connected)"
	# tx through the file is not stalled by the full socket.
	out=$BATS_TEST_TMPDIR/wire.hex
	vm_wire_recv 4 "$out" -n 1 -t 10000
	vm_run -t 30 "fq send $NIC4/tx </mnt/host/out.hex"
	vm_wire_wait "$out"
	assert_equal "$(cat "$out")" "$(cat "$(share_file out.hex)")"
	# The VM leaves: rx gets frames again.
	vm_run 'kill $(pidof ndc); sleep 1'
	run -0 vm_run "grep netdev: $NIC4/info"
	assert_output "netdev: $SOCK4 (listening)"
	vm_run "fq recv $NIC4/rx -p 20000 >/tmp/rx.out 2>&1 & echo \$! >/tmp/rx.pid"
	sleep 2
	head -1 "$BATS_TEST_TMPDIR/flood.hex" | vm_wire_send 4
	run -0 vm_run -t 30 'while kill -0 $(cat /tmp/rx.pid) 2>/dev/null; do sleep 0.2; done; cat /tmp/rx.out'
	assert_output "$(head -1 "$BATS_TEST_TMPDIR/flood.hex")"
}

@test "a VM that stalls for 6 s loses none of 400 frames sent meanwhile (the socket holds 1 MiB), in order" {
	local mac4 before after want
	mac4=$(mac_hex "$(vm_mac 4)")
	for i in $(seq 200); do frame_hex "$mac4" 020000000001 1000; done >"$BATS_TEST_TMPDIR/burst.hex"
	want=$(cat "$BATS_TEST_TMPDIR/burst.hex" "$BATS_TEST_TMPDIR/burst.hex" | md5sum | cut -d" " -f1)
	before=$(guest_stat $BDF4 rx_drops)
	vm_run "ndc -s 6000 -n 400 -w 5000 $SOCK4 >/tmp/stall.out 2>&1 & echo \$! >/tmp/stall.pid"
	sleep 1
	# 400 KB: twice what a socket holds at net.core.wmem_default.
	vm_wire_send 4 -f "$BATS_TEST_TMPDIR/burst.hex" -c 2 -r 2000
	run -0 vm_run -t 60 'while kill -0 $(cat /tmp/stall.pid) 2>/dev/null; do sleep 0.2; done
		grep -c . /tmp/stall.out; md5sum </tmp/stall.out'
	assert_line --index 0 400
	assert_line --index 1 --regexp "^$want"
	after=$(guest_stat $BDF4 rx_drops)
	[ "$after" -eq "$before" ] || fail "rx_drops $before -> $after"
}

@test "an idle connected link costs under 1% of a core (daemon ticks over 20 s)" {
	run -0 vm_run -t 60 "ndc -p 30000 $SOCK3 >/dev/null & sleep 3
		pid=\$($E1000_DAEMON_PID)
		t0=\$(awk '{ print \$14 + \$15 }' /proc/\$pid/stat); sleep 20
		t1=\$(awk '{ print \$14 + \$15 }' /proc/\$pid/stat)
		grep netdev: $NIC3/info; echo ticks=\$((t1 - t0))"
	assert_line "netdev: $SOCK3 (connected)"
	ticks=$(sed -n 's/^ticks=//p' <<<"$output")
	echo "idle connected link: $ticks ticks of 100 Hz in 20 s" >&3
	# 1% of 20 s at USER_HZ 100 is 20 ticks.
	[ "$ticks" -lt 20 ]
}

@test "the socket file is gone after unmount, SIGTERM and SIGINT" {
	guest_umount
	run -0 vm_run "ls $DIR | wc -l"
	assert_output 0
	for sig in TERM INT; do
		guest_mount netdev=$DIR
		run -0 vm_run "ls /mnt/pcifs >/dev/null; [ -S $SOCK3 ] && kill -$sig \$($E1000_DAEMON_PID); $E1000_REAP; ls $DIR | wc -l"
		assert_output 0
	done
}

@test "an L2 QEMU VM on the socket (-netdev stream, virtio-net) pings 10.0.2.2 through the e1000" {
	local l2mac=52:54:00:12:34:99
	vm_run "mkdir -p /tmp/l2 && cd /tmp/l2 || exit 1
		qemu-system-x86_64 -L $QDIR -machine pc -accel tcg -m 128 -smp 1 \
		-nodefaults -display none -no-reboot -serial file:/tmp/l2/console \
		-kernel /boot/vmlinuz -initrd /boot/l2.cpio \
		-append 'console=ttyS0 panic=-1 quiet' \
		-netdev stream,id=n0,server=off,addr.type=unix,addr.path=$SOCK3 \
		-device virtio-net-pci,netdev=n0,mac=$l2mac,romfile= \
		</dev/null >/tmp/l2/qemu.log 2>&1 & echo \$! >/tmp/l2/pid"
	run -0 vm_run "sleep 2; grep netdev: $NIC3/info"
	assert_output "netdev: $SOCK3 (connected)"
	run vm_run -t $((L2_TIMEOUT + 60)) "end=\$((\$(date +%s) + $L2_TIMEOUT))
		while ! grep -q 'L2: DONE' /tmp/l2/console 2>/dev/null &&
			kill -0 \$(cat /tmp/l2/pid) 2>/dev/null &&
			[ \$(date +%s) -lt \$end ]; do sleep 1; done
		tr -d '\r' </tmp/l2/console; cat /tmp/l2/qemu.log >&2"
	assert_line "L2: ETH0 $l2mac"
	assert_line --regexp "^L2: PING .*bytes from 10.0.2.2: seq=[0-9]+ ttl="
	# L2's echo requests left on the wire from its own MAC; the replies
	# came back to that MAC (the NIC is promiscuous while L2 is connected).
	run -0 vm_pcap 3
	assert_line --regexp "^52550a000202525400123499080045.{16}01.{4}0a00020f0a00020208"
	assert_line --regexp "^52540012349952550a000202080045.{16}01.{4}0a0002020a00020f00"
}
