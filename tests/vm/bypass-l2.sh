#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the initramfs of the L2 guest of tests/bench/vm-bypass.sh: the VM of
# the paper's experiment, whose NICs go through L1's virtio bridge, pcifs's
# -o netdev socket and (with pcifs-tap) L1's pcifs mount over 9p.
#
# Usage: tests/vm/bypass-l2.sh TOOL...
# Prints the path of the cpio archive, rebuilt only when an input changed:
# the archive of tests/vm/9p-nested-l2.sh (busybox, virtio_pci, 9p) with a
# second archive appended, as tests/vm/netdev-l2.sh does, that adds
# virtio_net, virtio_console and tun, each TOOL as /bin/NAME with the shared libraries ldd
# names, and replaces /modules and /init.  The /init loads the modules,
# mounts 9p tag "ctl" (a directory of L1) at /mnt/ctl, prints "L2: READY"
# on the console (ttyS0) and then runs L1's commands from it, one at a
# time: for each line N on the virtio-serial port named "l2.ctl", N.sh in
# a subshell; stdout and stderr go to N.out and N.err, the exit status to
# N.rc, and then the line N goes back on the port.  Commands bound their own time (L1 gives up on
# one after its timeout).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/l2-archive.sh
. "$here/l2-archive.sh"
MODULES="virtio_pci virtio_net virtio_console 9pnet_virtio 9p tun"
l2_begin bypass "$@"
mkdir -p "$stage/bin" "$stage/mnt/ctl"

# shellcheck disable=SC2086 # a word list
l2_modules "$stage" $MODULES

# The tools and their libraries at the paths ldd names; ld.so finds them
# there (Debian's default search path has the multiarch directories).  A
# script or a static binary names none.
for t in "$@"; do
	cp -L "$t" "$stage/bin/"
	{ ldd "$t" 2>/dev/null || true; } | { grep -o '/[^ ]*' || true; } |
		cpio -pdLu --quiet "$stage"
done

cat >"$stage/init" <<'EOF'
#!/bin/sh
. /etc/l2-boot.sh
# No IPv6 chatter on the measured links.
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
ip link set lo up
echo "L2: up $(cut -d' ' -f1 /proc/uptime) s"
c=/mnt/ctl
if ! mount -t 9p -o trans=virtio,version=9p2000.L,cache=none ctl $c; then
	echo "L2: no ctl share"
	poweroff -f
fi
echo "L2: READY"
# Every process costs here (nested TCG: about 0.25 s a fork, 0.1 s a 9p
# round trip), so the loop sleeps in read on the port and starts one
# process per command, the subshell.
for p in /sys/class/virtio-ports/*; do
	[ "$(cat $p/name 2>/dev/null)" = l2.ctl ] && port=/dev/${p##*/}
done
exec 8<>$port
while read -r n <&8; do
	(. $c/$n.sh) </dev/null >$c/$n.out 2>$c/$n.err
	echo $? >$c/$n.rc
	echo "$n" >&8
done
echo "L2: $port closed"
EOF
chmod 755 "$stage/init"

l2_append "$base" "$stage" "$out"
