#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the initramfs of the L2 guest of tests/e1000-netdev.bats: a VM whose
# virtio-net NIC is a "-netdev stream" on L1's pcifs -o netdev socket.
#
# Usage: tests/vm/netdev-l2.sh
# Prints the path of the cpio archive (uncompressed newc), rebuilt only when
# an input changed.  Contents: static busybox, the virtio-net modules of the
# tests/vm/kernel.sh kernel, and an /init that gives eth0 10.0.2.15/24 (the
# slirp network of L1's e1000), pings 10.0.2.2 three times, prints one
# "L2: ..." line per step on the console (ttyS0), stays up idle for
# l2idle=SECS (kernel command line) if given, and powers off.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PCIFS_VM_CACHE:-$here/cache}
rel=$("$here/kernel.sh")
kroot=$cache/kernel
busybox=/bin/busybox
MODULES="virtio_pci virtio_net"

stamp=$({
	echo "$rel|$MODULES"
	cat "$0" "$busybox" | sha256sum
} | sha256sum | cut -c1-16)
out=$cache/netdev-l2/l2-$stamp.cpio
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache/netdev-l2"
stage=$(mktemp -d "$cache/netdev-l2/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,proc,sys,dev,tmp}
cp "$busybox" "$stage/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$stage/bin/$a"
done

# Modules in load order, loaded with insmod (no depmod index needed).
for m in $MODULES; do
	modprobe -d "$kroot" -S "$rel" --show-depends "$m" |
		sed -n 's/^insmod \([^ ]*\).*/\1/p'
done | awk '!seen[$0]++' | while read -r ko; do
	cp "$ko" "$stage/${ko##*/}"
	echo "/${ko##*/}"
done >"$stage/modules"

cat >"$stage/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo 4 >/proc/sys/kernel/printk
while read -r ko; do insmod "$ko"; done </modules
echo "L2: up $(cut -d' ' -f1 /proc/uptime) s"
for i in $(seq 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 &&
	echo "L2: ETH0 $(cat /sys/class/net/eth0/address)"
ping -c 3 -W 10 10.0.2.2 | sed 's/^/L2: PING /'
echo "L2: DONE $(cut -d' ' -f1 /proc/uptime) s"
# l2idle=SECS on the kernel command line: stay up, idle, that long.
for w in $(cat /proc/cmdline); do
	case $w in l2idle=*) sleep "${w#l2idle=}" ;; esac
done
poweroff -f
EOF
chmod 755 "$stage/init"

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) >"$out.tmp"
mv "$out.tmp" "$out"
find "$cache/netdev-l2" -name 'l2-*.cpio' ! -path "$out" -delete
echo "$out"
