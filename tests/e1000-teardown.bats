#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The NIC is left quiesced on every exit path: unmount, SIGTERM, SIGKILL of
# the daemon (its guardian process quiesces the NIC), and a crash of both
# (the next mount resets the NIC before use).  The state is read without
# pcifs: busybox devmem for RCTL/TCTL on BAR0, setpci for COMMAND.

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
NIC=/mnt/pcifs/0000:00:03.0

setup_file() {
	vm_nic user 3
	export PCIFS_VM_EXTRA="$BATS_TEST_DIRNAME/tools/pcifs-ping.sh"
	e1000_boot
}

teardown_file() {
	e1000_teardown_file
}

teardown() {
	guest_umount || true
	uio_unbind || true
}

# uio_bind: hand the NIC's INTx interrupt to user space (uio_pci_generic);
# uio_unbind: take it back (the NIC is then bound to nothing, as at boot).
uio_bind() {
	vm_run "modprobe uio_pci_generic &&
		echo uio_pci_generic >/sys/bus/pci/devices/$BDF/driver_override &&
		echo $BDF >/sys/bus/pci/drivers_probe &&
		readlink /sys/bus/pci/devices/$BDF/driver | grep -q uio_pci_generic"
}
uio_unbind() {
	vm_run "d=/sys/bus/pci/devices/$BDF
		[ -e \$d/driver ] && echo $BDF >\$d/driver/unbind
		echo >\$d/driver_override; true"
}

# uio_irqs [NAME]: interrupts uio_pci_generic (or the /proc/interrupts
# name NAME) has taken, over all CPUs.
uio_irqs() {
	vm_run "awk '/${1:-uio_pci_generic}/ { for (i = 2; i < NF; i++) if (\$i ~ /^[0-9]+\$/) n += \$i } END { print n + 0 }' /proc/interrupts"
}

# On the VFIO path (PCIFS_VFIO=1) the guest's IOMMU translates every DMA
# of a device, so uio_pci_generic with physical addresses from pagemap
# cannot work there: those tests have VFIO variants instead.
skip_uio_on_vfio() {
	[ "${PCIFS_VFIO:-}" != 1 ] ||
		skip "uio_pci_generic + pagemap cannot DMA behind the IOMMU; see the vfio-pci variant"
}
only_vfio() {
	[ "${PCIFS_VFIO:-}" = 1 ] || skip "VFIO path only (PCIFS_VFIO=1)"
}

# nic_state: "rctl_en=N tctl_en=N bus_master=N" (SDM 13.4.22 RCTL.EN bit 1,
# 13.4.33 TCTL.EN bit 1; PCI COMMAND bit 2).  While vfio-pci holds BAR0
# (a pcifs drives the NIC through VFIO) /dev/mem may not map it: then the
# registers are read through that pcifs (RCTL and TCTL read without side
# effects).
nic_state() {
	vm_run "bar0=\$(head -1 /sys/bus/pci/devices/$BDF/resource | cut -d' ' -f1)
		rctl=\$(devmem \$((bar0 + 0x100)) 32 2>/dev/null ||
			cat $NIC/regs/bar0/RCTL)
		tctl=\$(devmem \$((bar0 + 0x400)) 32 2>/dev/null ||
			cat $NIC/regs/bar0/TCTL)
		cmd=0x\$(setpci -s $BDF COMMAND)
		echo rctl_en=\$((rctl >> 1 & 1)) tctl_en=\$((tctl >> 1 & 1)) bus_master=\$((cmd >> 2 & 1))"
}

# wait_state STATE: the guardian acts asynchronously; wait up to 10 s.
wait_state() {
	local i
	for i in $(seq 50); do
		[ "$(nic_state)" = "$1" ] && return 0
		sleep 0.2
	done
	nic_state
	return 1
}

# kill_pcifs SIGNAL [all]: the daemon, or the daemon and its guardian;
# then wait for them to go and drop the dead mount.
kill_pcifs() {
	if [ "${2:-}" = all ]; then
		# The guardian first: it acts as soon as the daemon is gone.
		vm_run "kill -$1 \$(pidof e1000-guardian) \$(pidof pcifs)"
	else
		vm_run "kill -$1 \$($E1000_DAEMON_PID)"
	fi
	vm_run "for i in \$(seq 50); do pidof pcifs >/dev/null || break; sleep 0.1; done
		umount -l /mnt/pcifs 2>/dev/null; true"
}

@test "while pcifs drives the NIC, RX, TX and bus mastering are on" {
	guest_mount
	ping_works
	run -0 nic_state
	assert_output "rctl_en=1 tctl_en=1 bus_master=1"
}

@test "after unmount RCTL.EN, TCTL.EN and bus mastering are clear" {
	guest_mount
	ping_works
	guest_umount
	run -0 nic_state
	assert_output "rctl_en=0 tctl_en=0 bus_master=0"
}

@test "SIGTERM tears the NIC down like unmount" {
	guest_mount
	ping_works
	kill_pcifs TERM
	run -0 wait_state "rctl_en=0 tctl_en=0 bus_master=0"
}

@test "after SIGKILL of the daemon the guardian quiesces the NIC; remount and unmount work" {
	guest_mount
	ping_works
	kill_pcifs KILL
	run -0 wait_state "rctl_en=0 tctl_en=0 bus_master=0"
	guest_mount
	ping_works
	guest_umount
	run -0 nic_state
	assert_output "rctl_en=0 tctl_en=0 bus_master=0"
}

@test "pkill -9 -f pcifs kills the daemon, not its guardian, which quiesces the NIC" {
	guest_mount
	ping_works
	run -0 vm_run "pidof e1000-guardian"
	run -0 vm_run "tr '\\0' ' ' </proc/\$(pidof e1000-guardian)/cmdline"
	assert_output --regexp "^e1000-guardian *\$"
	# [p]cifs: the same pattern, and the shell running it does not match.
	vm_run "pkill -9 -f '[p]cifs'; true"
	vm_run "for i in \$(seq 50); do pidof pcifs >/dev/null || break; sleep 0.1; done
		umount -l /mnt/pcifs 2>/dev/null; true"
	run -0 wait_state "rctl_en=0 tctl_en=0 bus_master=0"
	run -1 vm_run "pidof e1000-guardian"
}

@test "after SIGKILL of daemon and guardian the next mount resets the NIC left enabled" {
	guest_mount
	ping_works
	kill_pcifs KILL all
	# Nothing quiesced it: this is the state the next mount must handle.
	# With VFIO the kernel does part of it: vfio-pci clears bus mastering
	# when the last fd of the device closes.
	run -0 nic_state
	if [ "${PCIFS_VFIO:-}" = 1 ]; then
		assert_output --regexp "bus_master=0$"
	else
		assert_output "rctl_en=1 tctl_en=1 bus_master=1"
	fi
	guest_mount
	ping_works
	guest_umount
	run -0 nic_state
	assert_output "rctl_en=0 tctl_en=0 bus_master=0"
}

@test "SIGTERM while a reader is blocked on rx still tears the NIC down" {
	guest_mount
	ping_works
	# A reader waits on an idle queue: teardown must not wait for it.
	vm_run "cat $NIC/rx >/dev/null 2>&1 &"
	sleep 1
	kill_pcifs TERM
	run -0 wait_state "rctl_en=0 tctl_en=0 bus_master=0"
	run -1 vm_run "pidof pcifs"
}

@test "with hugetlbfs mounted the rings live in huge pages, returned at unmount" {
	vm_run "mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages &&
		echo 8 > /proc/sys/vm/nr_hugepages"
	guest_mount
	run -0 vm_run "for p in \$($E1000_DAEMON_PID); do grep /dev/hugepages /proc/\$p/maps; done"
	assert_output --partial "/dev/hugepages/"
	run -0 vm_run "awk '/^HugePages_(Total|Free)/ { print \$2 }' /proc/meminfo | tr '\n' ' '"
	local total free
	read -r total free <<<"$output"
	[ "$total" -eq 8 ]
	[ "$free" -lt 8 ]
	ping_works
	guest_umount
	run -0 vm_run "awk '/^HugePages_Free/ { print \$2 }' /proc/meminfo"
	assert_output 8
	run -0 nic_state
	assert_output "rctl_en=0 tctl_en=0 bus_master=0"
	vm_run "umount /dev/hugepages; echo 0 > /proc/sys/vm/nr_hugepages"
}

@test "a full TX ring fails with EAGAIN under O_NONBLOCK, and blocks a writer until it drains" {
	local other=020000000001 me=525400123456 tdlen queued before i
	guest_mount force
	before=$(guest_stat $BDF tx_packets)
	tdlen=$(vm_run "cat $NIC/regs/bar0/TDLEN")
	# SDM 13.4.33: with TCTL.EN clear the NIC fetches nothing; the ring fills.
	vm_run "echo 0x0:0x2 > $NIC/regs/bar0/TCTL"
	for i in $(seq 300); do frame_hex "$other" "$me" 60; done >"$(share_file f300.hex)"
	run -11 vm_run "fq send $NIC/tx -N </mnt/host/f300.hex"
	assert_output --partial EAGAIN
	queued=$(($(guest_stat $BDF tx_packets) - before))
	# One descriptor always stays free: TDT == TDH means an empty ring.
	assert_equal "$queued" $((tdlen / 16 - 1))
	frame_hex "$other" "$me" 60 >"$(share_file one.hex)"
	vm_run "fq send $NIC/tx </mnt/host/one.hex >/tmp/w.out 2>&1 & echo \$! >/tmp/w.pid"
	sleep 2
	run -0 vm_run 'kill -0 $(cat /tmp/w.pid) && echo still-blocked'
	assert_output still-blocked
	# TCTL.EN set again: QEMU drains the ring, the writer's frame goes out.
	vm_run "echo 0x2:0x2 > $NIC/regs/bar0/TCTL"
	run -0 vm_run 'for i in $(seq 100); do kill -0 $(cat /tmp/w.pid) 2>/dev/null || break; sleep 0.1; done
		wait $(cat /tmp/w.pid) 2>/dev/null; cat /tmp/w.out; kill -0 $(cat /tmp/w.pid) 2>/dev/null && echo still-blocked || echo done'
	assert_line done
	assert_equal "$(guest_stat $BDF tx_packets)" $((before + queued + 1))
	run -0 vm_run "cat $NIC/regs/bar0/TDH $NIC/regs/bar0/TDT"
	assert_equal "$(sed -n 1p <<<"$output")" "$(sed -n 2p <<<"$output")"
}

@test "txbatch, O_NONBLOCK, full ring: the write completing a record fails with EAGAIN, and the record goes out once" {
	local other=020000000001 me=525400123456 before
	guest_mount force
	vm_run "echo 0x0:0x2 > $NIC/regs/bar0/TCTL" # SDM 13.4.33: fetch nothing
	for i in $(seq 300); do frame_hex "$other" "$me" 60; done >"$(share_file f300.hex)"
	run -11 vm_run "fq send $NIC/tx -N </mnt/host/f300.hex"
	before=$(guest_stat $BDF tx_packets)
	# One record (a 100-byte frame) in two writes: 50 bytes, then 54.
	printf '00000064%s' "$(frame_hex "$other" "$me" 100)" | xxd -r -p >"$(share_file rec.bin)"
	vm_run "fq split $NIC/txbatch 50 </mnt/host/rec.bin >/tmp/split.out 2>&1 &"
	run -0 vm_run 'for i in $(seq 100); do grep -q EAGAIN /tmp/split.out && break; sleep 0.1; done; cat /tmp/split.out'
	assert_line -n 0 "wrote 50"
	assert_line -n 1 EAGAIN
	# The ring drains; fq's retry of the same 54 bytes sends the record.
	vm_run "echo 0x2:0x2 > $NIC/regs/bar0/TCTL"
	run -0 vm_run 'for i in $(seq 100); do grep -q close: /tmp/split.out && break; sleep 0.1; done; cat /tmp/split.out'
	assert_line "wrote 54"
	assert_line "close: ok"
	assert_equal "$(guest_stat $BDF tx_packets)" $((before + 1))
}

@test "with uio_pci_generic bound, a blocked rx read sleeps on the NIC's interrupt and wakes for the frame" {
	skip_uio_on_vfio
	local before arp
	uio_bind
	guest_mount
	run -0 vm_run "cat $NIC/info"
	assert_line "driver: uio_pci_generic"
	assert_line --regexp "^pcifs_wait: interrupts from uio[0-9]+$"
	before=$(uio_irqs)
	# ARP "who has 10.0.2.2" from 10.0.2.15: slirp's gateway answers.
	arp=ffffffffffff525400123456080600010800060400015254001234560a00020f0000000000000a000202
	echo "$arp" >"$(share_file arp.hex)"
	# The reader blocks first (no traffic for a while: no spinning), so
	# only the receive interrupt can wake it.
	run -0 vm_run -t 60 "fq recv $NIC/rx >/tmp/irq.out 2>&1 & r=\$!
		sleep 1.5; fq send $NIC/tx </mnt/host/arp.hex; wait \$r; cat /tmp/irq.out"
	assert_output --regexp "^525400123456.{12}0806000108000604000252550a000202"
	[ "$(uio_irqs)" -gt "$before" ]
}

@test "with uio_pci_generic bound: after unmount no interrupt is armed and uio_pci_generic stays bound" {
	skip_uio_on_vfio
	uio_bind
	guest_mount
	ping_works
	guest_umount
	# SDM 13.4.20: IMS reads back the armed causes.
	run -0 vm_run "bar0=\$(head -1 /sys/bus/pci/devices/$BDF/resource | cut -d' ' -f1)
		devmem \$((bar0 + 0xd0)) 32; readlink /sys/bus/pci/devices/$BDF/driver"
	assert_line -n 0 0x00000000
	assert_line --regexp "uio_pci_generic$"
	assert_equal "$(nic_state)" "rctl_en=0 tctl_en=0 bus_master=0"
}

@test "with uio_pci_generic bound but its /dev/uioN gone, the driver polls, says why, and works" {
	skip_uio_on_vfio
	local uio
	uio_bind
	uio=$(vm_run "ls /sys/bus/pci/devices/$BDF/uio")
	vm_run "mv /dev/$uio /tmp/$uio.node"
	guest_mount
	run -0 vm_run "cat $NIC/info; mv /tmp/$uio.node /dev/$uio"
	assert_line "pcifs_wait: polling (cannot take $uio's interrupts: No such file or directory)"
	ping_works
}

# ARP "who has 10.0.2.2" from 10.0.2.15: slirp's gateway answers.
ARP=ffffffffffff525400123456080600010800060400015254001234560a00020f0000000000000a000202

# The /proc/interrupts name of vfio-pci's KIND interrupt, as an awk
# pattern: vfio-intx(BDF), vfio-msi[0](BDF), vfio-msix[0](BDF).
vfio_irq_name() {
	case $1 in
	msi) echo 'vfio-msi[[]' ;;
	*) echo "vfio-$1" ;;
	esac
}

# irq_wakes KIND: info says pcifs waits on vfio-pci's KIND interrupt; a
# reader blocked on rx is woken by it, and both the kernel's count of it
# and stats' interrupts rise.  The reader blocks first (no traffic for a
# while: no spinning), so only the receive interrupt can wake it before
# its 200 ms slice ends.
irq_wakes() {
	local name before taken
	name=$(vfio_irq_name "$1")
	run -0 vm_run "cat $NIC/info"
	assert_line "driver: vfio-pci"
	assert_line "pcifs_wait: interrupts from vfio ($1)"
	before=$(uio_irqs "$name")
	taken=$(guest_stat $BDF interrupts)
	echo "$ARP" >"$(share_file arp.hex)"
	run -0 vm_run -t 60 "fq recv $NIC/rx >/tmp/irq.out 2>&1 & r=\$!
		sleep 1.5; fq send $NIC/tx </mnt/host/arp.hex; wait \$r; cat /tmp/irq.out"
	assert_output --regexp "^525400123456.{12}0806000108000604000252550a000202"
	[ "$(uio_irqs "$name")" -gt "$before" ]
	[ "$(guest_stat $BDF interrupts)" -gt "$taken" ]
}

@test "with vfio-pci bound, a blocked rx read sleeps on the best interrupt (MSI-X on the 82574L, INTx on the 8254x) and wakes for the frame" {
	only_vfio
	guest_mount
	irq_wakes "$NIC_VFIO_IRQ"
}

@test "-o irq=msi: the 82574L interrupts through MSI, and a blocked rx read wakes for the frame" {
	only_vfio
	[ "$NIC_FAMILY" = e1000e ] || skip "QEMU's 8254x models have no MSI capability"
	guest_mount irq=msi
	irq_wakes msi
}

@test "-o irq=intx: INTx through vfio-pci (unmasked by ioctl), and a blocked rx read wakes for the frame" {
	only_vfio
	guest_mount irq=intx
	irq_wakes intx
}

@test "-o irq=msix on a NIC without MSI-X: the driver polls, says why, and works" {
	only_vfio
	[ "$NIC_FAMILY" != e1000e ] || skip "the 82574L has MSI-X"
	guest_mount irq=msix
	run -0 vm_run "cat $NIC/info"
	assert_line "pcifs_wait: polling (vfio-pci offers no msix interrupt of $BDF)"
	ping_works
	assert_equal "$(guest_stat $BDF interrupts)" 0
}

@test "-o irq=poll: no interrupt is taken, info says so, and the NIC works" {
	guest_mount irq=poll
	run -0 vm_run "cat $NIC/info"
	assert_line "pcifs_wait: polling (-o irq=poll)"
	ping_works
	assert_equal "$(guest_stat $BDF interrupts)" 0
	run -0 vm_run "grep -c vfio- /proc/interrupts || true"
	assert_output 0
}

@test "with vfio-pci bound: after unmount no interrupt is armed, vfio-pci stays bound, its group is free" {
	only_vfio
	guest_mount
	ping_works
	guest_umount
	# SDM 13.4.20: IMS reads back the armed causes.
	run -0 vm_run "bar0=\$(head -1 /sys/bus/pci/devices/$BDF/resource | cut -d' ' -f1)
		devmem \$((bar0 + 0xd0)) 32; readlink /sys/bus/pci/devices/$BDF/driver
		grep -c vfio- /proc/interrupts || true"
	assert_line -n 0 0x00000000
	assert_line --regexp "vfio-pci$"
	assert_line -n 2 0 # the eventfd trigger was torn down
	assert_equal "$(nic_state)" "rctl_en=0 tctl_en=0 bus_master=0"
	guest_mount
	ping_works
}
