#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The e1000 driver against QEMU user networking (slirp), whose gateway
# answers ARP and ICMP echo: a plain busybox script pings through tx/rx,
# two NICs run at once, and pcifs yields to (and restores) the kernel's
# e1000 driver.  One guest boot for the whole file; the kernel driver
# tests come last because they load the e1000 module.

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

NIC3=/mnt/pcifs/0000:00:03.0
NIC4=/mnt/pcifs/0000:00:04.0

setup_file() {
	vm_nic user 3 dump=1                  # 10.0.2.0/24, gateway 10.0.2.2
	vm_nic user 4 net=10.0.3.0/24 dump=1  # gateway 10.0.3.2
	export PCIFS_VM_EXTRA="$BATS_TEST_DIRNAME/tools/pcifs-ping.sh"
	e1000_boot
}

teardown_file() {
	e1000_teardown_file
}

teardown() {
	guest_umount || true
}

@test "a busybox script sends ARP and ICMP echo through tx and reads both replies from rx" {
	guest_mount
	run -0 vm_run -t 60 "pcifs-ping.sh $NIC3 10.0.2.15 10.0.2.2 3"
	assert_line "arp reply: 10.0.2.2 is at 52:55:0a:00:02:02"
	assert_line "icmp echo reply from 10.0.2.2: seq=1 ttl=255 bytes=64"
	assert_line --partial "seq=3"
	# On the wire: our ARP request and echo requests, the gateway's replies.
	run -0 vm_pcap 3
	assert_line --regexp "^ffffffffffff525400123456080600010800060400015254001234560a00020f0000000000000a000202"
	# IPv4 (45, then tos, length, id, flags, ttl), protocol 01, checksum,
	# addresses, ICMP type 08 (request) out and 00 (reply) back.
	assert_line --regexp "^52550a0002025254001234560800" # to the gateway's MAC
	assert_line --regexp "^52550a000202525400123456080045.{16}01.{4}0a00020f0a00020208"
	assert_line --regexp "^52540012345652550a000202080045.{16}01.{4}0a0002020a00020f00"
}

@test "two NICs are driven at once, each on its own network" {
	guest_mount
	run -0 vm_run "ls $NIC3 $NIC4"
	assert_equal "$(grep -c '^tx$' <<<"$output")" 2
	run -0 vm_run -t 90 "pcifs-ping.sh $NIC3 10.0.2.15 10.0.2.2 2 >/tmp/p3 2>&1 &
		pcifs-ping.sh $NIC4 10.0.3.15 10.0.3.2 2 >/tmp/p4 2>&1 &
		wait; cat /tmp/p3 /tmp/p4"
	assert_line "arp reply: 10.0.2.2 is at 52:55:0a:00:02:02"
	assert_line "arp reply: 10.0.3.2 is at 52:55:0a:00:03:02"
	assert_equal "$(grep -c 'icmp echo reply from 10.0.2.2' <<<"$output")" 2
	assert_equal "$(grep -c 'icmp echo reply from 10.0.3.2' <<<"$output")" 2
	# Each NIC's frames stayed on its own wire.
	run -0 vm_pcap 4
	refute_output --partial 0a000202
	run -0 vm_run "cat $NIC3/mac $NIC4/mac"
	assert_output $'52:54:00:12:34:56\n52:54:00:12:34:57'
}

@test "mac, link and stats agree with what crossed the wire" {
	local before after sent
	guest_mount
	before=$(vm_pcap 3 | grep -cE "^.{12}525400123456" || true)
	run -0 vm_run "cat $NIC3/link"
	assert_output "up 1000 full"
	vm_run "cat $NIC3/stats" >"$BATS_TEST_TMPDIR/s0"
	vm_run -t 60 "pcifs-ping.sh $NIC3 10.0.2.15 10.0.2.2 2"
	vm_run "cat $NIC3/stats" >"$BATS_TEST_TMPDIR/s1"
	after=$(vm_pcap 3 | grep -cE "^.{12}525400123456" || true)
	sent=$(($(awk '$1=="tx_packets"{print $2}' "$BATS_TEST_TMPDIR/s1") -
		$(awk '$1=="tx_packets"{print $2}' "$BATS_TEST_TMPDIR/s0")))
	# Frames with our MAC as source on the wire = what stats says we sent.
	assert_equal "$sent" 3
	assert_equal $((after - before)) "$sent"
	assert_equal "$(($(awk '$1=="tx_bytes"{print $2}' "$BATS_TEST_TMPDIR/s1") -
		$(awk '$1=="tx_bytes"{print $2}' "$BATS_TEST_TMPDIR/s0")))" $((42 + 98 + 98))
}

@test "PCIFS_IOC_XCHG sends a frame and returns the reply in one call" {
	guest_mount
	local arp=ffffffffffff525400123456080600010800060400015254001234560a00020f0000000000000a000202
	# Drain anything queued, so the next frame is the gateway's answer.
	vm_run "while fq recv $NIC3/rx -N >/dev/null 2>&1; do :; done"
	run -0 vm_run -t 30 "echo $arp | fq xchg $NIC3/tx"
	# An ARP reply (op 2) from 10.0.2.2 at 52:55:0a:00:02:02, to us.
	assert_output --regexp "^52540012345652550a0002020806000108000604000252550a0002020a000202"
	# rx is read-only, and a frame must be 14..1514 bytes.
	run -1 vm_run "echo $arp | fq xchg $NIC3/rx"
	assert_output --partial EACCES
	run -1 vm_run "echo 0102 | fq xchg $NIC3/tx"
	assert_output --partial EINVAL
}

@test "with the kernel driver bound, tx and rx are refused and info says why" {
	vfio_release # (PCIFS_VFIO=1: guest_mount bound vfio-pci; no-op otherwise)
	vm_run "modprobe $NIC_KDRV && sleep 1"
	run -0 vm_run "readlink /sys/bus/pci/devices/0000:00:03.0/driver"
	assert_output --regexp "/$NIC_KDRV\$"
	guest_mount
	run -0 vm_run "ls $NIC3"
	refute_line tx
	refute_line rx
	run -0 vm_run "cat $NIC3/info"
	assert_line "driver: $NIC_KDRV"
	assert_output --regexp "pcifs_driver: $NIC_FAMILY .*idle: .*kernel driver $NIC_KDRV is bound.*-o unbind"
	run ! vm_run "cat $NIC3/bar0 >/dev/null"
	assert_output --partial "busy"
}

@test "-o unbind takes the NIC from the kernel driver and gives it back at unmount" {
	local vfio=""
	vfio_release
	vm_run "modprobe $NIC_KDRV && sleep 1"
	# Behind the VFIO path's IOMMU only VFIO can DMA: -o unbind,vfio.
	[ "${PCIFS_VFIO:-}" != 1 ] || vfio=vfio,
	guest_mount unbind,${vfio}devices=0000:00:03.0
	run -0 vm_run "readlink /sys/bus/pci/devices/0000:00:03.0/driver || echo unbound"
	if [ -n "$vfio" ]; then
		assert_output --regexp "/vfio-pci$"
	else
		assert_output unbound
	fi
	run -0 vm_run -t 60 "pcifs-ping.sh $NIC3 10.0.2.15 10.0.2.2 1"
	assert_line --partial "icmp echo reply from 10.0.2.2"
	guest_umount
	run -0 vm_run "readlink /sys/bus/pci/devices/0000:00:03.0/driver"
	assert_output --regexp "/$NIC_KDRV\$"
	# The kernel's own stack works through the NIC again.
	run -0 vm_run -t 60 'dev=$(ls /sys/bus/pci/devices/0000:00:03.0/net)
		ip link set "$dev" up && ip addr add 10.0.2.15/24 dev "$dev" &&
		sleep 2 && ping -c 2 -W 5 10.0.2.2'
	assert_output --partial "2 packets received"
}
