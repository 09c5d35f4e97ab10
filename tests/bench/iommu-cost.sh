#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/iommu-cost.sh - what QEMU's emulated IOMMU costs a NIC's DMA,
# without pcifs: one q35 TCG boot with intel_iommu=on iommu=pt and two
# e1000 NICs under the kernel e1000 driver, 00:04.0 left in its identity
# domain and 00:05.0 switched to a DMA (translated) domain; five
# alternating 3 s AF_PACKET TX blasts of 60-byte frames on each (counted on
# the host) and three rounds of 20 pings.  The translated side also pays
# the guest's DMA-API map and unmap of each buffer, which pcifs's VFIO
# mappings (made once) do not.  Context for the VFIO rows of make bench.
cd "$(dirname "$0")/../.." || exit 1
export BENCH_NO_MAIN=1 PCIFS_BENCH_E1000E=0 PCIFS_BENCH_VFIO=1
. tests/bench/run.sh --quick
TX_SECS=3
args=()
mapfile -t args < <(nic_args 4 e1000 10.0.3.0/24; nic_args 5 e1000 10.0.4.0/24)
vm_boot "${args[@]}" || exit 1
vm_run 'set -e; modprobe e1000; sleep 1
d=/sys/bus/pci/devices/0000:00:05.0
echo 0000:00:05.0 > /sys/bus/pci/drivers/e1000/unbind
echo DMA > $d/iommu_group/type
echo 0000:00:05.0 > /sys/bus/pci/drivers/e1000/bind
sleep 1
for b in 04 05; do echo "$b: group $(basename $(readlink /sys/bus/pci/devices/0000:00:$b.0/iommu_group)) type $(cat /sys/bus/pci/devices/0000:00:$b.0/iommu_group/type)"; done
a=$(ls /sys/bus/pci/devices/0000:00:04.0/net); b=$(ls /sys/bus/pci/devices/0000:00:05.0/net)
ip addr add 10.0.3.15/24 dev $a; ip link set $a up
ip addr add 10.0.4.15/24 dev $b; ip link set $b up
echo $a > /tmp/ifa; echo $b > /tmp/ifb; sleep 2' || { echo setup failed; vm_stop; exit 1; }
A=$(vm_run 'cat /tmp/ifa'); B=$(vm_run 'cat /tmp/ifb')
for r in 1 2 3 4 5; do
  tx_run identity 4 "packet:$A" 60 -m write
  tx_run translated 5 "packet:$B" 60 -m write
done
for r in 1 2 3; do
  vm_run "ping -c 20 -i 0.05 10.0.3.2" | tail -1 | sed 's/^/identity: /'
  vm_run "ping -c 20 -i 0.05 10.0.4.2" | tail -1 | sed 's/^/translated: /'
done
vm_stop
SLOT_VE1000=99
tx_count
grep '^tx' "$out/raw/metrics"
