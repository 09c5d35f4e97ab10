#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# VFIO (pci/vfio.c) in a q35 TCG guest with an emulated Intel IOMMU:
# -o vfio binding and give-back, SIGKILL then remount, a refused shared
# IOMMU group, the unprivileged mount, and the IOMMU confining the NIC.
#
# Guest PCI layout: 00:03.0 the NIC (slirp; gateway 10.0.2.2), and a
# conventional PCI bridge at 00:06.0 with two e1000s behind it: devices
# behind such a bridge cannot be told apart by the IOMMU (their requests
# carry the bridge's id), so the kernel puts all three in one group.

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
NIC=/mnt/pcifs/0000:00:03.0
DEV=/sys/bus/pci/devices/0000:00:03.0

setup_file() {
	# This suite binds vfio-pci itself: not guest_mount's PCIFS_VFIO=1.
	export PCIFS_VFIO=
	export PCIFS_VM_IOMMU=1
	vm_nic user 3 dump=1
	export PCIFS_VM_EXTRA="$BATS_TEST_DIRNAME/tools/pcifs-ping.sh"
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	e1000_boot -device pci-bridge,id=br6,chassis_nr=6,addr=0x6 \
		-netdev hubport,id=b1,hubid=61 \
		-device e1000,netdev=b1,bus=br6,addr=0x1,mac=52:54:00:00:06:01 \
		-netdev hubport,id=b2,hubid=62 \
		-device e1000,netdev=b2,bus=br6,addr=0x2,mac=52:54:00:00:06:02
}

teardown_file() {
	e1000_teardown_file
}

# Each test starts with the NIC bound to nothing (a test that loads the
# kernel e1000 module makes it take 00:03.0 as well).
teardown() {
	guest_umount || true
	guest_umount /tmp/um || true
	vm_run "d=$DEV; [ -e \$d/driver ] && echo $BDF >\$d/driver/unbind
		echo >\$d/driver_override; true"
}

# driver_of: the bound driver's name, or "none".
driver_of() {
	vm_run "basename \$(readlink $DEV/driver 2>/dev/null || echo none)"
}

# wait_driver NAME: the give-back may follow the daemon's death.
wait_driver() {
	local i
	for i in $(seq 50); do
		[ "$(driver_of)" = "$1" ] && return 0
		sleep 0.2
	done
	driver_of
	return 1
}

@test "-o vfio binds an unbound NIC to vfio-pci, drives it through the IOMMU, and leaves it unbound at unmount" {
	run -0 driver_of
	assert_output none
	guest_mount vfio,devices=$BDF
	# (the driver engages in FUSE's init, which the first access awaits)
	run -0 vm_run "cat $NIC/info"
	run -0 driver_of
	assert_output vfio-pci
	run -0 vm_run "cat $NIC/info"
	assert_line --regexp '^dma: vfio \(iommu group [0-9]+\)$'
	assert_line "pcifs_wait: interrupts from vfio (intx)"
	ping_works
	guest_umount
	run -0 driver_of
	assert_output none
	run -0 vm_run "cat $DEV/driver_override"
	assert_output "(null)"
}

@test "-o vfio gives the NIC back at SIGTERM and at SIGINT" {
	local sig
	for sig in TERM INT; do
		guest_mount vfio,devices=$BDF
		ping_works
		vm_run "kill -$sig \$($E1000_DAEMON_PID)"
		run -0 wait_driver none
		vm_run "for i in \$(seq 50); do pidof pcifs >/dev/null || break; sleep 0.1; done
			umount -l /mnt/pcifs 2>/dev/null; true"
	done
}

@test "after SIGKILL of the daemon the guardian quiesces the NIC and gives it back; remount works" {
	guest_mount vfio,devices=$BDF
	ping_works
	vm_run "kill -KILL \$($E1000_DAEMON_PID)"
	run -0 wait_driver none
	vm_run "for i in \$(seq 50); do pidof pcifs >/dev/null || break; sleep 0.1; done
		umount -l /mnt/pcifs 2>/dev/null; true"
	run -1 vm_run "pidof pcifs"
	guest_mount vfio,devices=$BDF
	ping_works
	guest_umount
	run -0 driver_of
	assert_output none
}

@test "a NIC bound to vfio-pci by hand is driven through VFIO and stays bound at unmount" {
	vfio_bind "$BDF"
	guest_mount devices=$BDF
	run -0 vm_run "cat $NIC/info"
	assert_line --regexp '^dma: vfio \(iommu group [0-9]+\)$'
	ping_works
	guest_umount
	run -0 driver_of
	assert_output vfio-pci
}

# The two NICs behind the bridge, in the order of their BDFs.
bridge_nics() {
	vm_run "ls -d /sys/bus/pci/devices/0000:00:06.0/0000:* | xargs -n1 basename"
}

@test "a NIC whose IOMMU group holds a device bound to a kernel driver is refused with one line naming it" {
	local a b
	read -r a b <<<"$(bridge_nics | tr '\n' ' ')"
	[ -n "$b" ]
	run -0 vm_run "ls /sys/bus/pci/devices/$a/iommu_group/devices"
	assert_line "$b"
	vm_run "modprobe e1000 && sleep 1"
	vfio_release "$a"
	vm_run "d=/sys/bus/pci/devices/$a; [ -e \$d/driver ] && echo $a >\$d/driver/unbind; true"
	vfio_bind "$a"
	guest_mount "devices=$a"
	run -0 vm_run "cat /mnt/pcifs/$a/info"
	assert_output --regexp "idle: iommu group [0-9]+ is not viable: $b \\(e1000\\) shares it; bind it to vfio-pci too, or unbind it"
	run -0 vm_run "cat /tmp/pcifs-mount.log; ls /mnt/pcifs/$a"
	refute_line tx
	guest_umount
	# With the other NIC unbound, the group is viable and the NIC driven.
	vm_run "echo $b >/sys/bus/pci/devices/$b/driver/unbind"
	guest_mount "devices=$a"
	run -0 vm_run "cat /mnt/pcifs/$a/info; ls /mnt/pcifs/$a"
	assert_line --regexp '^dma: vfio \(iommu group [0-9]+\)$'
	assert_line tx
	guest_umount
	vfio_release "$a"
}

# as_user CMD: run CMD as uid 1000, set up as a distribution would: / and
# /dev/fuse open to all, fusermount3 setuid root, /etc/mtab.
as_user() {
	vm_run "grep -q '^user:' /etc/passwd ||
		echo 'user:x:1000:1000:user:/tmp:/bin/sh' >>/etc/passwd
		chmod 755 /; chmod 666 /dev/fuse; chmod u+s /usr/bin/fusermount3
		[ -e /etc/mtab ] || ln -s /proc/self/mounts /etc/mtab
		mkdir -p /tmp/um && chown 1000:1000 /tmp/um
		su -s /bin/sh user -c '$1'"
}

@test "a user who owns /dev/vfio/N mounts with fusermount3 and drives the NIC; without VFIO one line says why not" {
	vfio_bind "$BDF"
	run -0 vm_run "g=\$(basename \$(readlink $DEV/iommu_group)); chown 1000 /dev/vfio/\$g; echo \$g"
	run -0 as_user "id -u; pcifs -o devices=$BDF /tmp/um 2>/tmp/um.log; cat /tmp/um.log
		cat /tmp/um/$BDF/info; pcifs-ping.sh /tmp/um/$BDF 10.0.2.15 10.0.2.2 1
		fusermount3 -u /tmp/um"
	assert_line -n 0 1000
	assert_line --regexp '^dma: vfio \(iommu group [0-9]+\)$'
	assert_line --partial "icmp echo reply from 10.0.2.2"
	refute_output --partial "pagemap"
	vm_run "for i in \$(seq 50); do pidof pcifs >/dev/null || break; sleep 0.1; done"
	vfio_release "$BDF"
	run -0 as_user "pcifs -o devices=$BDF /tmp/um 2>/tmp/um.log; cat /tmp/um/$BDF/info
		fusermount3 -u /tmp/um"
	assert_output --regexp "idle: .*bind the NIC to vfio-pci"
}

@test "the IOMMU blocks the NIC's read of memory it was not given: DMAR fault, nothing on the wire, the guest lives" {
	local before after wire i
	guest_mount vfio,force,devices=$BDF
	ping_works
	before=$(guest_stat $BDF tx_packets)
	wire=$(vm_pcap 3 | grep -cE "^.{12}525400123456" || true)
	vm_run "dmesg -c >/dev/null"
	# TDBAL/TDBAH (SDM 13.4.36-37) at an IOVA no mapping covers.
	vm_run "echo 0x0 > $NIC/regs/bar0/TDBAH; echo 0x40000000 > $NIC/regs/bar0/TDBAL"
	# 300 frames: the ring takes 255, then the writer waits for a slot the
	# NIC never frees, and is told so (ETIMEDOUT) instead of hanging.
	for i in $(seq 300); do frame_hex 020000000001 525400123456 60; done \
		>"$(share_file f300.hex)"
	run -1 vm_run -t 60 "fq send $NIC/tx </mnt/host/f300.hex"
	assert_output --partial ETIMEDOUT
	# txbatch too: its records wait for the same ring, and give up alike.
	head -n 20 "$(share_file f300.hex)" | while read -r f; do
		printf '%08x%s' $((${#f} / 2)) "$f"
	done | xxd -r -p >"$(share_file b20.bin)"
	run -1 vm_run -t 60 "dd if=/mnt/host/b20.bin of=$NIC/txbatch bs=4096 2>&1"
	assert_output --partial "timed out"
	run -0 vm_run "dmesg"
	assert_output --regexp "DMAR: .*(fault|Fault).*0x40000"
	run -0 vm_run "echo alive"
	assert_output alive
	# pcifs queued the frames; none of them reached the wire.
	after=$(guest_stat $BDF tx_packets)
	[ "$after" -gt "$before" ]
	assert_equal "$(vm_pcap 3 | grep -cE "^.{12}525400123456" || true)" "$wire"
}
