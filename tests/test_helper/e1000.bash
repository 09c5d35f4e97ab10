# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# e1000.bash - helpers for the e1000 driver suites (tests/e1000*.bats).
#
# They drive pcifs inside a QEMU guest (test_helper/vm.bash) on the NIC
# model $PCIFS_NIC, and check frames on the host side of the wire.
#
#   e1000_boot [QEMU ARGS]   build tests/tools/fq, put it in the guest, boot
#   guest_mount [OPTS] [MNT] start pcifs in the guest (default /mnt/pcifs)
#   guest_umount [MNT]       unmount it and wait for the daemon to exit
#   frame_hex DST SRC LEN    a random frame of LEN bytes as a hex line
#   share_file NAME          host path of /mnt/host/NAME in the guest
#   NIC_FAMILY, NIC_KDRV     the model's family (e1000, e1000e) and kernel
#                            driver; NIC_PART_RE matches its part names;
#                            NIC_VFIO_IRQ the best interrupt vfio-pci has
#   vfio_bind [BDF...]       bind NICs to vfio-pci (default: every unbound
#                            8254x/82574 NIC); vfio_release [BDF...] gives
#                            them back to no driver
#   ping_works               an ICMP echo through $NIC gets its reply
#   E1000_DAEMON_PID         guest script: the daemon's pid (not the
#                            guardian's); E1000_REAP waits for both to go
#
# PCIFS_VFIO=1 runs a suite on the VFIO path: the guest gets an emulated
# IOMMU (vm.bash PCIFS_VM_IOMMU) and guest_mount binds every unbound NIC to
# vfio-pci first, so pcifs drives it through pci/vfio.c.

_e1000_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The model's family as info's pcifs_driver line names it, the kernel
# driver that owns it, and a pattern of its part names (e1000/nicdev.c).
case ${PCIFS_NIC:-e1000} in
e1000e)
	NIC_FAMILY=e1000e NIC_KDRV=e1000e NIC_PART_RE='82574L' NIC_VFIO_IRQ=msix
	;;
*)
	NIC_FAMILY=e1000 NIC_KDRV=e1000 NIC_PART_RE='8254[045][A-Z]+'
	NIC_VFIO_IRQ=intx
	;;
esac

# The guest tool for O_NONBLOCK, poll() and one-read-per-frame checks.
fq_tool() {
	local src=$_e1000_top/tests/tools/fq.c bin=$_e1000_top/tests/tools/fq
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] ||
		[ "$_e1000_top/fs/pcifs_ioctl.h" -nt "$bin" ]; then
		cc -O2 -Wall -Wextra -static -I"$_e1000_top" -o "$bin.tmp.$$" "$src" &&
			mv "$bin.tmp.$$" "$bin" || return 1
	fi
	echo "$bin"
}

e1000_boot() {
	local fq
	fq=$(fq_tool) || return 1
	export PCIFS_VM_EXTRA="$fq ${PCIFS_VM_EXTRA:-}"
	[ "${PCIFS_VFIO:-}" != 1 ] || export PCIFS_VM_IOMMU=1
	vm_boot "$@"
}

# The guest's 8254x/82574 NICs (PCI ids of e1000/e1000.h), unbound only
# unless "all" is given.
_E1000_NICS='for d in /sys/bus/pci/devices/*; do
	case $(cat $d/vendor):$(cat $d/device) in
	0x8086:0x100e|0x8086:0x100c|0x8086:0x100f|0x8086:0x10d3) ;;
	*) continue ;;
	esac
	[ "$1" = all ] || [ ! -e $d/driver ] && echo ${d##*/}
done'

# vfio_bind [BDF...]: driver_override, then drivers_probe (sysfs-bus-pci);
# vfio_iommu_type1 explicitly: vfio-pci does not load it.
vfio_bind() {
	vm_run "modprobe vfio-pci && modprobe vfio_iommu_type1 || exit 1
		set -- ${*:-\$(set -- unbound; $_E1000_NICS)}
		for b; do
			d=/sys/bus/pci/devices/\$b
			echo vfio-pci >\$d/driver_override
			[ -e \$d/driver ] || echo \$b >/sys/bus/pci/drivers_probe
			readlink \$d/driver | grep -q /vfio-pci\$ ||
				{ echo \"\$b: not bound to vfio-pci\" >&2; exit 1; }
		done"
}

# vfio_release [BDF...]: unbind vfio-pci, clear the override.
vfio_release() {
	vm_run "set -- ${*:-\$(set -- all; $_E1000_NICS)}
		for b; do
			d=/sys/bus/pci/devices/\$b
			readlink \$d/driver 2>/dev/null | grep -q /vfio-pci\$ &&
				echo \$b >\$d/driver/unbind
			echo >\$d/driver_override
		done; true"
}

share_file() { echo "$VM_DIR/share/$1"; }

# guest_mount [OPTS] [MNT]: pcifs daemonizes once mounted; then wait until
# every driven NIC has its queue files.
guest_mount() {
	local opts=${1:-} mnt=${2:-/mnt/pcifs}
	if [ "${PCIFS_VFIO:-}" = 1 ]; then
		vfio_bind || return 1
	fi
	vm_run "mkdir -p $mnt && pcifs ${opts:+-o $opts} $mnt 2>/tmp/pcifs-mount.log" ||
		{ vm_run 'cat /tmp/pcifs-mount.log' >&2; return 1; }
}

# guest_umount [MNT]: fusermount3 -u, then wait (bounded) until no pcifs
# process is left, so the NIC has been quiesced when this returns.
# e1000_teardown_file: unmount in the guest if still mounted, stop the guest.
e1000_teardown_file() {
	guest_umount || true
	vm_stop
}

guest_umount() {
	local mnt=${1:-/mnt/pcifs}
	vm_run "grep -q ' $mnt fuse' /proc/mounts || exit 0
		fusermount3 -u $mnt || umount -l $mnt
		for i in \$(seq 100); do pidof pcifs >/dev/null || exit 0; sleep 0.1; done
		echo 'pcifs still running after unmount' >&2; exit 1"
}

# frame_hex DST SRC LEN [ETHERTYPE]: DST and SRC as 12 hex digits; payload
# random.  Ethertype 0x88b5 is the IEEE 802 "local experimental" one.
frame_hex() {
	local dst=$1 src=$2 len=$3 type=${4:-88b5}
	printf '%s%s%s' "$dst" "$src" "$type"
	if [ "$len" -gt 14 ]; then
		od -An -v -tx1 -N $((len - 14)) /dev/urandom | tr -d ' \n'
	fi
	echo
}

# mac_hex MAC: 52:54:00:12:34:56 -> 525400123456
mac_hex() { echo "${1//:/}"; }

# guest_stat BDF KEY: one counter from the stats file.
guest_stat() {
	vm_run "awk '\$1 == \"$2\" { print \$2 }' /mnt/pcifs/$1/stats"
}

# numf_tool: build tests/tools/numf (numbered, checksummed frames; static,
# for the guests) when missing or older than its source; print its path.
numf_tool() {
	local src=$_e1000_top/tests/tools/numf.c bin=$_e1000_top/tests/tools/numf
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
		cc -O2 -Wall -Wextra -static -o "$bin.tmp.$$" "$src" &&
			mv "$bin.tmp.$$" "$bin" || return 1
	fi
	echo "$bin"
}

# e1000_state BDF: "rctl_en=N tctl_en=N bus_master=N" of the guest's NIC,
# read without pcifs: busybox devmem on BAR0 (SDM 13.4.22 RCTL.EN bit 1,
# 13.4.33 TCTL.EN bit 1) and setpci for PCI COMMAND bit 2.
e1000_state() {
	vm_run "bar0=\$(head -1 /sys/bus/pci/devices/$1/resource | cut -d' ' -f1)
		rctl=\$(devmem \$((bar0 + 0x100)) 32)
		tctl=\$(devmem \$((bar0 + 0x400)) 32)
		cmd=0x\$(setpci -s $1 COMMAND)
		echo rctl_en=\$((rctl >> 1 & 1)) tctl_en=\$((tctl >> 1 & 1)) bus_master=\$((cmd >> 2 & 1))"
}

# e1000_wait_state BDF STATE: wait (up to 10 s, the guardian acts
# asynchronously) until e1000_state is STATE; else print it and fail.
e1000_wait_state() {
	local i
	for i in $(seq 50); do
		[ "$(e1000_state "$1")" = "$2" ] && return 0
		sleep 0.2
	done
	e1000_state "$1"
	return 1
}

# A guest script printing the daemon's pid: the pcifs process whose parent
# is no pcifs (the guardian is the daemon's child).
E1000_DAEMON_PID='for p in $(pidof pcifs); do
	pp=$(awk "/^PPid:/ { print \$2 }" /proc/$p/status)
	case " $(pidof pcifs) " in *" $pp "*) ;; *) echo $p ;; esac
done'

# A guest script that waits (up to 10 s) for every pcifs process (daemon and
# guardian) to exit, then drops the mount of a dead daemon.
E1000_REAP='for i in $(seq 100); do pidof pcifs >/dev/null || break; sleep 0.1; done
	umount -l /mnt/pcifs 2>/dev/null; true'

# ping_works: one ICMP echo through the NIC directory $NIC (the suite's
# driven NIC) gets its reply from the slirp gateway.
ping_works() {
	run -0 vm_run -t 60 "pcifs-ping.sh $NIC 10.0.2.15 10.0.2.2 1"
	assert_line --partial "icmp echo reply from 10.0.2.2"
}
