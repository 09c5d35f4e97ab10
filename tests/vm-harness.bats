#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vm-harness.bats - smoke test of the QEMU guest harness
# (tests/test_helper/vm.bash, tests/vm/*, tests/tools/wire.c).
#
# One guest per file: NIC $PCIFS_NIC at 00:03.0 on user networking (slirp,
# with a filter-dump pcap) and one at 00:04.0 whose wire is a host UDP
# socket pair (tests/tools/wire). The kernel e1000 driver is loaded only by
# the last tests, to put frames on the wires without pcifs.

load test_helper/common-setup
load test_helper/vm

USER_SLOT=3
DGRAM_SLOT=4

# A test that failed before vm_wire_wait leaves its receiver bound.
teardown() {
	vm_wire_cleanup
}

setup_file() {
	vm_nic user "$USER_SLOT" dump=1
	vm_nic dgram "$DGRAM_SLOT"
	vm_boot
}

teardown_file() {
	local pid
	pid=$(cat "$VM_DIR/qemu.pid" 2>/dev/null) || true
	vm_stop
	# QEMU must be gone, whatever happened in the tests.
	[ -n "$pid" ] || return 0
	! _vm_alive "$pid"
}

# guest_if SLOT: the guest's network interface of the NIC in SLOT.
guest_if() {
	vm_run "ls /sys/bus/pci/devices/$(vm_bdf "$1")/net"
}

# device_id MODEL: the PCI device id QEMU gives an e1000 model.
device_id() {
	case $1 in
	e1000) echo 100e ;;
	e1000-82544gc) echo 100c ;;
	e1000-82545em) echo 100f ;;
	e1000e) echo 10d3 ;;
	esac
}

@test "the guest runs the cached Debian kernel" {
	run vm_run 'uname -r'
	assert_success
	assert_output "$(cat "$PCIFS_ROOT/tests/vm/cache/kernel/release")"
}

@test "vm_run returns the script's exit status" {
	run vm_run true
	assert_success
	run -7 vm_run 'echo x; exit 7'
	assert_output x
	run -1 vm_run false
}

@test "vm_run returns stdout and stderr separately" {
	run --separate-stderr vm_run 'echo to-out; echo to-err >&2'
	assert_success
	assert_output to-out
	# shellcheck disable=SC2154 # set by run --separate-stderr
	[ "$stderr" = to-err ]
}

@test "vm_run output is binary safe" {
	local f=$BATS_TEST_TMPDIR
	vm_run 'printf "\000\001\377\n\n"' >"$f/guest"
	printf '\000\001\377\n\n' >"$f/host"
	cmp "$f/guest" "$f/host"
}

@test "files copied in and out stay byte-identical" {
	local f=$BATS_TEST_TMPDIR
	head -c 200000 /dev/urandom >"$f/in"
	vm_copy_in "$f/in" /tmp/blob
	run vm_run 'md5sum </tmp/blob'
	assert_output "$(md5sum <"$f/in")"
	vm_copy_out /tmp/blob "$f/out"
	cmp "$f/in" "$f/out"
}

@test "a background job does not hold vm_run" {
	run vm_run -t 30 'sleep 600 & echo $! >/tmp/bg.pid; echo started'
	assert_success
	assert_output started
	# shellcheck disable=SC2016 # expanded in the guest
	run vm_run 'kill "$(cat /tmp/bg.pid)"'
	assert_success
}

@test "a script over its timeout is killed and the channel goes on" {
	run vm_run -t 2 'sleep 30'
	[ "$status" -eq 143 ] || [ "$status" -eq 124 ]
	run vm_run 'echo alive'
	assert_success
	assert_output alive
}

@test "NICs sit at fixed addresses, model from PCIFS_NIC, no driver" {
	local id
	id=$(device_id "${PCIFS_NIC:-e1000}")
	run vm_run "lspci -n -s 00:0$USER_SLOT.0; lspci -n -s 00:0$DGRAM_SLOT.0"
	assert_success
	assert_line "00:0$USER_SLOT.0 0200: 8086:$id (rev 03)"
	assert_line --partial "00:0$DGRAM_SLOT.0 0200: 8086:$id"
	run vm_run "test -e /sys/bus/pci/devices/$(vm_bdf "$USER_SLOT")/driver"
	assert_failure
}

@test "pcifs and its libraries are in the guest when built" {
	[ -x "$PCIFS_ROOT/pcifs" ] || skip "./pcifs not built"
	run vm_run 'pcifs --version'
	[ "$status" -ne 127 ]
	refute_output --partial 'not found'
	refute_output --partial 'error while loading'
}

@test "frames sent by the guest arrive on the host wire" {
	local f=$BATS_TEST_TMPDIR eth
	vm_run 'modprobe e1000'
	eth=$(guest_if "$DGRAM_SLOT")
	vm_wire_recv "$DGRAM_SLOT" "$f/frames" -n 2 -t 30000
	# Wait for carrier (the link comes up ~2 s after `ip link set up`),
	# else the requests are dropped. Nobody answers, so arping fails; its
	# two requests are on the wire.
	vm_run "ip link set $eth up && ip addr add 10.9.9.1/24 dev $eth &&
		for i in \$(seq 100); do
			[ \$(cat /sys/class/net/$eth/carrier) = 1 ] && break
			sleep 0.1
		done
		{ arping -c 2 -w 5 -I $eth 10.9.9.9 >/dev/null; true; }"
	run vm_wire_wait "$f/frames"
	assert_success
	run cat "$f/frames"
	# Broadcast ARP from the NIC's MAC, ethertype 0806.
	assert_line --regexp "^ffffffffffff$(vm_mac "$DGRAM_SLOT" | tr -d :)0806"
}

@test "frames injected on the host wire reach the guest" {
	local eth frame before
	eth=$(guest_if "$DGRAM_SLOT")
	vm_run "ip link set $eth up" # done above if that test ran
	before=$(vm_run "cat /sys/class/net/$eth/statistics/rx_packets")
	# 60-byte broadcast frame, local experimental ethertype 88b5.
	frame=ffffffffffff02000000000188b5$(printf '%092d' 0)
	for _ in 1 2 3 4 5; do echo "$frame"; done | vm_wire_send "$DGRAM_SLOT"
	# RX may start up to ~1 s after enabling (QEMU's RCTL flush timer).
	run vm_run "for i in \$(seq 100); do
		n=\$(cat /sys/class/net/$eth/statistics/rx_packets)
		[ \$n -ge $((before + 5)) ] && exit 0; sleep 0.1; done; exit 1"
	assert_success
}

@test "user networking: ping the gateway; filter-dump sees it" {
	local eth
	eth=$(guest_if "$USER_SLOT")
	run vm_run "ip link set $eth up && ip addr add 10.0.2.15/24 dev $eth &&
		ping -c 2 -W 5 10.0.2.2"
	assert_success
	run vm_pcap "$USER_SLOT"
	# ARP reply from slirp's gateway MAC 52:55:0a:00:02:02.
	assert_line --regexp "^$(vm_mac "$USER_SLOT" | tr -d :)52550a0002020806"
}
