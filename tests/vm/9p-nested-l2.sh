#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the initramfs of the innermost (L2) guest of tests/9p-nested.bats.
#
# Usage: tests/vm/9p-nested-l2.sh
# Prints the path of the cpio archive (uncompressed newc), rebuilt only when
# an input changed.  Contents: static busybox, the 9p-over-virtio-pci
# modules of the tests/vm/kernel.sh kernel, and an /init that
#   1. loads the modules and mounts 9p tag "pcifs" at /mnt/pcifs with the
#      README's options (cache=none, msize=131072);
#   2. writes the frame l2tx=HEX (kernel command line) to
#      /mnt/pcifs/<l2bdf>/tx in one write (dd);
#   3. writes 128 records of that frame padded to 1514 bytes to txbatch in
#      one write of 194304 bytes, more than msize: the 9p client cuts it
#      into pieces, mid-record;
#   4. reads one frame from rx in one read (dd, blocking) and prints it as
#      hex;
#   5. powers off.
# Every step prints one "L2: ..." line on the console (ttyS0).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PCIFS_VM_CACHE:-$here/cache}
rel=$("$here/kernel.sh")
kroot=$cache/kernel
busybox=/bin/busybox
MODULES="virtio_pci 9pnet_virtio 9p"

stamp=$({
	echo "$rel|$MODULES"
	cat "$0" "$busybox" | sha256sum
} | sha256sum | cut -c1-16)
out=$cache/9p-nested/l2-$stamp.cpio
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache/9p-nested"
stage=$(mktemp -d "$cache/9p-nested/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,proc,sys,dev,tmp,mnt/pcifs}
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

# The start of every L2 /init (the builders that append to this archive
# source it too): PATH, the pseudo filesystems, quiet printk, /modules.
mkdir -p "$stage/etc"
cat >"$stage/etc/l2-boot.sh" <<'EOF'
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo 4 >/proc/sys/kernel/printk
while read -r ko; do insmod "$ko"; done </modules
EOF

cat >"$stage/init" <<'EOF'
#!/bin/sh
. /etc/l2-boot.sh
for w in $(cat /proc/cmdline); do
	case $w in
	l2bdf=*) bdf=${w#l2bdf=} ;;
	l2tx=*) tx=${w#l2tx=} ;;
	esac
done
echo "L2: up $(cut -d' ' -f1 /proc/uptime) s"
if mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=131072 \
	pcifs /mnt/pcifs; then
	echo "L2: MOUNTED"
	echo "L2: LS $(ls /mnt/pcifs/$bdf | tr '\n' ' ')"
	echo "L2: INFO $(grep pcifs_driver /mnt/pcifs/$bdf/info)"
	printf "$(echo "$tx" | sed 's/../\\x&/g')" >/tmp/tx.bin
	# One read of the file, one write() of the whole frame to tx.
	if dd if=/tmp/tx.bin of=/mnt/pcifs/$bdf/tx bs=2048 count=1 2>/dev/null
	then
		echo "L2: TX $(wc -c </tmp/tx.bin) bytes"
	else
		echo "L2: TX failed"
	fi
	# txbatch: the frame padded to 1514 bytes as a record, 2^7 times.
	{
		printf '\000\000\005\352'
		cat /tmp/tx.bin
		head -c $((1514 - $(wc -c </tmp/tx.bin))) /dev/zero
	} >/tmp/b.bin
	for i in 1 2 3 4 5 6 7; do
		cat /tmp/b.bin /tmp/b.bin >/tmp/b2.bin && mv /tmp/b2.bin /tmp/b.bin
	done
	if dd if=/tmp/b.bin of=/mnt/pcifs/$bdf/txbatch bs=1M count=1 2>/dev/null
	then
		echo "L2: TXBATCH $(wc -c </tmp/b.bin) bytes"
	else
		echo "L2: TXBATCH failed"
	fi
	# One blocking read() of rx: one frame.
	if dd if=/mnt/pcifs/$bdf/rx of=/tmp/rx.bin bs=2048 count=1 2>/dev/null
	then
		echo "L2: RX $(od -An -v -tx1 /tmp/rx.bin | tr -d ' \n')"
	else
		echo "L2: RX failed"
	fi
else
	echo "L2: mount failed"
fi
echo "L2: DONE $(cut -d' ' -f1 /proc/uptime) s"
poweroff -f
EOF
chmod 755 "$stage/init"

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) >"$out.tmp"
mv "$out.tmp" "$out"
find "$cache/9p-nested" -name 'l2-*.cpio' ! -path "$out" -delete
echo "$out"
