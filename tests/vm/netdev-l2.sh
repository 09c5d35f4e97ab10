#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the initramfs of the L2 guest of tests/e1000-netdev.bats: a VM whose
# virtio-net NIC is a "-netdev stream" on L1's pcifs -o netdev socket.
#
# Usage: tests/vm/netdev-l2.sh
# Prints the path of the cpio archive, rebuilt only when an input changed:
# the archive of tests/vm/9p-nested-l2.sh (busybox, virtio_pci) with a
# second archive appended, as tests/vm/9p-load-l2.sh does, that adds the
# virtio_net modules and replaces /modules and /init (a later file replaces
# an earlier one).  The /init gives eth0 10.0.2.15/24 (the slirp network of
# L1's e1000), pings 10.0.2.2 three times, prints one "L2: ..." line per
# step on the console (ttyS0), stays up idle for l2idle=SECS (kernel
# command line) if given, and powers off.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/l2-archive.sh
. "$here/l2-archive.sh"
l2_begin netdev

l2_modules "$stage" virtio_pci virtio_net

cat >"$stage/init" <<'EOF'
#!/bin/sh
. /etc/l2-boot.sh
echo "L2: up $(cut -d' ' -f1 /proc/uptime) s"
for i in $(seq 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 &&
	echo "L2: ETH0 $(cat /sys/class/net/eth0/address)"
ping -c 3 -W 10 10.0.2.2 | sed 's/^/L2: PING /'
echo "L2: DONE $(cut -d' ' -f1 /proc/uptime) s"
for w in $(cat /proc/cmdline); do
	case $w in l2idle=*) sleep "${w#l2idle=}" ;; esac
done
poweroff -f
EOF
chmod 755 "$stage/init"

l2_append "$base" "$stage" "$out"
