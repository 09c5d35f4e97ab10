#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the busybox initramfs of the pcifs test guest.
#
# Usage: tests/vm/initramfs.sh [PCIFS] [EXTRA[:GUESTPATH]...]
#   PCIFS      the pcifs binary to carry as /usr/bin/pcifs (./pcifs,
#              ./pcifs-asan, ...); "" or "-" for none. Default: ./pcifs if it
#              exists.
#   EXTRA      more host files (test tools, scripts) copied to
#              /usr/local/bin/<name>, or to GUESTPATH when given; ELF binaries
#              bring their shared libraries (ldd).
# Prints the path of the cpio archive (uncompressed newc: faster to boot under
# TCG than a gzip one) on stdout. The archive is named after a hash of every
# input, so it is rebuilt only when an input changed.
#
# Contents: busybox (busybox-static) with its applets, tests/vm/init as /init,
# the kernel modules of $MODULES and their dependencies (kernel from
# tests/vm/kernel.sh, indexed with depmod so busybox modprobe works),
# pcifs + fusermount3 + mount.fuse3, lspci/setpci (and tcpdump, if the host
# has it) and their libraries, /usr/share/misc/pci.ids.
# Env: PCIFS_VM_MODULES adds modules to the list (space separated);
#      PCIFS_VM_LOAD lists the modules /init loads at boot (default below).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${PCIFS_VM_CACHE:-$here/cache}

# Modules carried (with dependencies) and the subset loaded at boot.
# The vfio ones are carried for the VFIO suites (PCIFS_VFIO=1) and loaded
# only by them: vfio-pci does not load vfio_iommu_type1 by itself.
# 9pnet_fd is 9p's TCP transport (trans=tcp), a module of its own in
# Debian's 6.1 kernel, not part of 9pnet; tests/9p-diod.bats loads it.
MODULES="fuse e1000 e1000e virtio_pci virtio_net virtio_console 9p \
9pnet_virtio 9pnet_fd netfs uio_pci_generic vfio vfio_iommu_type1 \
vfio_virqfd vfio-pci-core vfio-pci irqbypass ${PCIFS_VM_MODULES:-}"
LOAD=${PCIFS_VM_LOAD:-"fuse virtio_pci virtio_console virtio_net \
9pnet_virtio 9p"}

log() { echo "initramfs.sh: $*" >&2; }

pcifs=${1-}
[ $# -gt 0 ] && shift
if [ -z "$pcifs" ] && [ -x "$top/pcifs" ]; then
	pcifs=$top/pcifs
fi
[ "$pcifs" = - ] && pcifs=
if [ -n "$pcifs" ] && [ ! -f "$pcifs" ]; then
	log "$pcifs does not exist"
	exit 1
fi

rel=$("$here/kernel.sh")
kroot=$cache/kernel

busybox=$(command -v busybox)
file "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	busybox=/bin/busybox # busybox-static installs it there
host_tools=(/usr/bin/lspci /usr/bin/setpci /usr/bin/fusermount3
	/usr/sbin/mount.fuse3)
# tcpdump reads the pcap file in the guest, when the host has it.
[ -x /usr/bin/tcpdump ] && host_tools+=(/usr/bin/tcpdump)
pci_ids=/usr/share/misc/pci.ids

# extras: "host[:guest]" -> parallel arrays of sources and destinations.
extra_src=()
extra_dst=()
for e in "$@"; do
	src=${e%%:*}
	dst=/usr/local/bin/$(basename "$src")
	[[ $e == *:* ]] && dst=${e#*:}
	[ -f "$src" ] || { log "$src does not exist"; exit 1; }
	extra_src+=("$(realpath "$src")")
	extra_dst+=("$dst")
done

# Stamp: content hash of this script, init, the tool binaries and their
# destinations, plus the module lists and kernel release.
inputs=("$0" "$here/init" "$busybox" "${host_tools[@]}" ${pcifs:+"$pcifs"}
	"${extra_src[@]}")
stamp=$({
	echo "$rel|$MODULES|$LOAD|$pcifs|${extra_dst[*]}"
	sha256sum "${inputs[@]}"
} | sha256sum | cut -c1-16)
out=$cache/initramfs/$stamp.cpio
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi

log "building $out"
mkdir -p "$cache/initramfs"
stage=$(mktemp -d "$cache/initramfs/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc/pcifs-vm} \
	"$stage"/{proc,sys,dev,tmp,run,root,mnt,lib64,usr/share/misc}

# busybox and one symlink per applet.
cp "$busybox" "$stage/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$stage/bin/$a"
done

# copy_elf SRC DST: copy a file; for a dynamic ELF also its libraries, at the
# paths ldd names (merged-/usr layout does not matter: ldconfig finds them).
copy_elf() {
	mkdir -p "$stage$(dirname "$2")"
	cp -L "$1" "$stage$2"
	local libs lib
	# A static binary or a script has no libraries: ldd fails, fine.
	libs=$(ldd "$1" 2>/dev/null | grep -o '/[^ ]*') || true
	for lib in $libs; do
		[ -e "$stage$lib" ] && continue
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
}

for t in "${host_tools[@]}"; do
	[ -x "$t" ] && copy_elf "$t" "$t"
done
[ -n "$pcifs" ] && copy_elf "$pcifs" /usr/bin/pcifs
# glibc dlopen()s libgcc_s for pthread_cancel (libfuse cancels its worker
# threads at unmount) and aborts without it; ldd does not name it.
libgcc=$(ldconfig -p | sed -n 's|.*libgcc_s.so.1 (libc6,x86-64) => ||p' | head -1)
[ -n "$libgcc" ] && copy_elf "$libgcc" "$libgcc"
for i in "${!extra_src[@]}"; do
	copy_elf "${extra_src[$i]}" "${extra_dst[$i]}"
	chmod +x "$stage${extra_dst[$i]}" 2>/dev/null || true
done
cp "$pci_ids" "$stage$pci_ids"
# Let ld.so find every copied library without the host's ld.so.cache.
find "$stage" -name '*.so*' -type f -printf '%h\n' | sort -u |
	sed "s|^$stage||" >"$stage/etc/ld.so.conf"
ldconfig -r "$stage" 2>/dev/null || true

# Kernel modules and their dependencies, resolved by modprobe on the cached
# tree, then indexed again for the smaller tree.
mdir=lib/modules/$rel
mkdir -p "$stage/$mdir"
for m in $MODULES; do
	modprobe -d "$kroot" -S "$rel" --show-depends "$m" |
		sed -n 's/^insmod \([^ ]*\).*/\1/p'
done | sort -u | while read -r ko; do
	dst=$stage/$mdir/${ko#"$kroot/$mdir/"}
	mkdir -p "$(dirname "$dst")"
	cp "$ko" "$dst"
done
cp "$kroot/$mdir"/modules.{order,builtin,builtin.modinfo} "$stage/$mdir/"
depmod -b "$stage" "$rel"
tr ' ' '\n' <<<"$LOAD" | grep . >"$stage/etc/pcifs-vm/modules"

cp "$here/init" "$stage/init"
chmod 755 "$stage/init"
echo 'root:x:0:0:root:/root:/bin/sh' >"$stage/etc/passwd"
echo 'root:x:0:' >"$stage/etc/group"
printf 'PS1="pcifs-guest:\\w# "\ncd /mnt/pcifs 2>/dev/null\n' \
	>"$stage/etc/profile"
echo "$rel" >"$stage/etc/pcifs-vm/release"

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
# Keep the sixteen newest archives: make check boots guests of two lanes at
# once, each from its own archive, and about eight kinds in all.  Only the
# top level: another build's stage directory may vanish under a find.
find "$cache/initramfs" -maxdepth 1 -name '*.cpio' -printf '%T@ %p\n' | sort -rn |
	tail -n +17 | cut -d' ' -f2- | xargs -r rm -f
echo "$out"
