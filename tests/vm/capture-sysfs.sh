#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Capture the PCI sysfs of QEMU guests, as raw material for fixture trees.
#
# Usage: tests/vm/capture-sysfs.sh [OUTDIR]     (default tests/vm/cache/sysfs)
#
# Boots two guests, one after the other (never two at once):
#   q35: machine q35 with a pcie-root-port carrying an e1000e (01:00.0), a
#        pci-bridge carrying an e1000 (02:01.0), an e1000 (00:05.0) and a
#        virtio-net-pci (00:06.0) on the root bus; drivers e1000, e1000e and
#        virtio_net loaded (every NIC bound).
#   pc:  default i440fx machine with e1000 (00:03.0, left unbound),
#        e1000-82545em (00:04.0, bound to the kernel e1000 driver) and
#        e1000-82544gc (00:05.0, unbound).
# Both also have the harness's virtio-serial (00:1c.0) and virtio-9p
# (00:1d.0), bound to their virtio drivers.
#
# Output, per machine M:
#   OUTDIR/M/devices/<BDF>/<attr>   every readable regular attribute file of
#       /sys/bus/pci/devices/<BDF> (config, vendor, device, class,
#       subsystem_vendor, subsystem_device, revision, irq, resource, enable,
#       modalias, ... and PCIe link attributes), byte for byte. Never read:
#       resourceN, rom (device memory), reset, remove, rescan (actions).
#   OUTDIR/M/devices/<BDF>/driver, subsystem, ... symlinks with the guest's
#       targets (dangling on the host; readlink gives the driver name).
#   OUTDIR/M/devices/<BDF>/sysfs-path  the device's real path under
#       /sys/devices (shows the bridge nesting).
#   OUTDIR/M/lspci-vmm-nn.txt, lspci-nn.txt, lspci-vvv-nn.txt, lspci-tree.txt,
#   lspci-xxxx.txt (config dumps), qemu-cmdline.txt, uname.txt
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$(realpath -m "${1:-$here/cache/sysfs}")

# shellcheck source-path=SCRIPTDIR source=../test_helper/vm.bash
. "$top/tests/test_helper/vm.bash"

# Guest side: copy the PCI sysfs into /mnt/host/capture (the 9p share).
# shellcheck disable=SC2016 # expanded in the guest
guest_capture='
set -e
dst=/mnt/host/capture
rm -rf $dst
mkdir -p $dst/devices
for dev in /sys/bus/pci/devices/*; do
	bdf=${dev##*/}
	d=$dst/devices/$bdf
	mkdir -p $d
	readlink -f $dev >$d/sysfs-path
	for f in $dev/*; do
		name=${f##*/}
		case $name in
		resource[0-9]*|rom|reset|remove|rescan|reset_method) continue ;;
		esac
		if [ -L $f ]; then
			ln -s "$(readlink $f)" $d/$name
		elif [ -f $f ] && [ -r $f ]; then
			cat $f >$d/$name 2>/dev/null || rm -f $d/$name
		fi
	done
done
lspci -vmm -nn >$dst/lspci-vmm-nn.txt
lspci -nn >$dst/lspci-nn.txt
lspci -vvv -nn >$dst/lspci-vvv-nn.txt
lspci -tv >$dst/lspci-tree.txt
lspci -xxxx >$dst/lspci-xxxx.txt
uname -a >$dst/uname.txt
'

# capture NAME MODPROBE_SCRIPT QEMU_ARGS...: boot, load drivers, capture.
capture() {
	local name=$1 prepare=$2
	shift 2
	VM_DIR=$(mktemp -d /tmp/pcifs-capture.XXXXXX)
	export VM_DIR
	trap 'vm_stop; rm -rf "$VM_DIR"' EXIT
	echo "capture-sysfs: booting the $name guest" >&2
	vm_boot "$@"
	vm_run "$prepare" >&2
	vm_run "$guest_capture" >&2
	rm -rf "${out:?}/$name"
	mkdir -p "$out"
	cp -a "$VM_DIR/share/capture" "$out/$name"
	cp "$VM_DIR/qemu.cmdline" "$out/$name/qemu-cmdline.txt"
	vm_stop
	rm -rf "$VM_DIR"
	trap - EXIT
	echo "capture-sysfs: $out/$name" >&2
}

capture q35 'modprobe e1000; modprobe e1000e' \
	-machine q35 \
	-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x3 \
	-netdev hubport,id=n1,hubid=1 -device e1000e,bus=rp1,netdev=n1 \
	-device pci-bridge,id=br1,bus=pcie.0,chassis_nr=2,addr=0x4 \
	-netdev hubport,id=n2,hubid=2 \
	-device e1000,bus=br1,addr=0x1,netdev=n2,mac=52:54:00:12:34:58 \
	-netdev hubport,id=n3,hubid=3 \
	-device e1000,bus=pcie.0,addr=0x5,netdev=n3,mac=52:54:00:12:34:56 \
	-netdev hubport,id=n4,hubid=4 \
	-device virtio-net-pci,bus=pcie.0,addr=0x6,netdev=n4

capture pc \
	'modprobe e1000 && echo 0000:00:05.0 >/sys/bus/pci/drivers/e1000/unbind &&
	 echo 0000:00:03.0 >/sys/bus/pci/drivers/e1000/unbind' \
	-netdev hubport,id=n3,hubid=3 \
	-device e1000,addr=0x3,netdev=n3,mac=52:54:00:12:34:56 \
	-netdev hubport,id=n4,hubid=4 \
	-device e1000-82545em,addr=0x4,netdev=n4,mac=52:54:00:12:34:57 \
	-netdev hubport,id=n5,hubid=5 \
	-device e1000-82544gc,addr=0x5,netdev=n5,mac=52:54:00:12:34:58

echo "$out"
