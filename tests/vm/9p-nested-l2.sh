#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the initramfs of the innermost (L2) guest of tests/9p-nested.bats.
#
# Usage: tests/vm/9p-nested-l2.sh
# Prints the path of the cpio archive (uncompressed newc), rebuilt only when
# an input changed.  Contents: static busybox, the 9p-over-virtio-pci and
# tun modules of the tests/vm/kernel.sh kernel, pcifs-tap ($PCIFS_TAP,
# default ./pcifs-tap) with its shared libraries, and an /init that
#   1. loads the modules and mounts 9p tag "pcifs" at /mnt/pcifs with the
#      README's options (cache=none, msize=131072);
#   2. writes the frame l2tx=HEX (kernel command line) to
#      /mnt/pcifs/<l2bdf>/tx in one write (dd);
#   3. writes 128 records of that frame padded to 1514 bytes to txbatch in
#      one write of 194304 bytes, more than msize: the 9p client cuts it
#      into pieces, mid-record;
#   4. reads one frame from rx in one read (dd, blocking) and prints it as
#      hex;
#   5. runs pcifs-tap on /mnt/pcifs/<l2tap> (a NIC on L1's slirp network)
#      with MAC 02:00:00:00:00:15, gives its tap 10.0.2.15/24, pings the
#      gateway 10.0.2.2 three times, ends pcifs-tap with SIGTERM and says
#      how it exited, what it printed, whether the tap is gone and the
#      NIC's promisc after it;
#   6. runs pcifs-tap on two directories that are no driven NIC (the host
#      bridge's, the mount's root) and prints each exit status, line count
#      and message;
#   7. powers off.
# Every step prints one "L2: ..." line on the console (ttyS0).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PCIFS_VM_CACHE:-$here/cache}
rel=$("$here/kernel.sh")
kroot=$cache/kernel
busybox=/bin/busybox
tap=${PCIFS_TAP:-$here/../../pcifs-tap}
MODULES="virtio_pci 9pnet_virtio 9p tun"
if [ ! -x "$tap" ]; then
	echo "9p-nested-l2.sh: $tap missing: run make first" >&2
	exit 1
fi

stamp=$({
	echo "$rel|$MODULES"
	cat "$0" "$busybox" "$tap" | sha256sum
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

# pcifs-tap as make builds it (dynamic), at /bin, with the libraries ldd
# names at their paths; ld.so finds them through the stage's own cache.
cp "$tap" "$stage/bin/pcifs-tap"
for lib in $(ldd "$tap" | grep -o '/[^ ]*'); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
mkdir -p "$stage/etc"
find "$stage" -name '*.so*' -type f -printf '%h\n' | sort -u |
	sed "s|^$stage||" >"$stage/etc/ld.so.conf"
ldconfig -r "$stage"

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
	l2tap=*) tapbdf=${w#l2tap=} ;;
	esac
done
# tap_ping DIR: pcifs-tap on DIR, a ping through its tap, then SIGTERM.
tap_ping() {
	pcifs-tap "$1" -m 02:00:00:00:00:15 2>/tmp/tap.err &
	pid=$!
	# Its line at start comes once the tap is up and the NIC promiscuous.
	for i in $(seq 100); do
		grep -q ' on /' /tmp/tap.err 2>/dev/null && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
	done
	n=/sys/class/net/pcifs0
	echo "L2: TAP $(cat $n/address) mtu $(cat $n/mtu) promisc $(cat "$1/promisc")"
	ip addr add 10.0.2.15/24 dev pcifs0 &&
		ping -c 3 -W 10 10.0.2.2 | sed 's/^/L2: TAPPING /'
	t0=$(cut -d' ' -f1 /proc/uptime)
	kill -TERM $pid
	wait $pid
	rc=$?
	echo "L2: TAPEXIT $rc in $(awk -v t0="$t0" '{ print $1 - t0 }' /proc/uptime) s"
	sed 's/^/L2: TAPERR /' /tmp/tap.err
	[ -e $n ] && echo "L2: TAPGONE no" || echo "L2: TAPGONE yes"
	echo "L2: TAPPROMISC $(cat "$1/promisc")"
}
# not_nic DIR: pcifs-tap on a directory without txbatch and rxbatch.
not_nic() {
	pcifs-tap "$1" 2>/tmp/tap.err
	rc=$?
	echo "L2: NOTNIC $1 $rc $(wc -l </tmp/tap.err) $(cat /tmp/tap.err)"
}
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
	tap_ping /mnt/pcifs/$tapbdf
	not_nic /mnt/pcifs/0000:00:00.0
	not_nic /mnt/pcifs
else
	echo "L2: mount failed"
fi
echo "L2: DONE $(cut -d' ' -f1 /proc/uptime) s"
poweroff -f
EOF
chmod 755 "$stage/init"

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
find "$cache/9p-nested" -name 'l2-*.cpio' ! -path "$out" -delete
echo "$out"
