#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the initramfs of the nested (L2) guest of tests/e1000-load.bats.
#
# Usage: tests/vm/9p-load-l2.sh NUMF
# Prints the path of the cpio archive, rebuilt only when an input changed:
# the archive of tests/vm/9p-nested-l2.sh (busybox, the 9p modules) with a
# second archive appended that adds NUMF (tests/tools/numf, static) as
# /bin/numf and replaces /init (the kernel unpacks both in order; a later
# file replaces an earlier one).  The /init:
#   1. loads the modules and mounts 9p tag "pcifs" (L1's pcifs mount) at
#      /mnt/pcifs with the README's options (cache=none, msize=131072), and
#      tag "out" (a directory of L1) at /mnt/out;
#   2. starts 2 readers (numf rx on rx, numf rx -B on rxbatch) that stop
#      once /mnt/out/stop exists, writing the frames they read to
#      /mnt/out/r0.hex and r1.hex, and 2 writers (numf tx on tx, stream 20;
#      numf txbatch on txbatch, 4 records per buffer cut in 1000-byte
#      writes, stream 21), l2n=N frames each, seed l2seed, MACs l2dst and
#      l2src (kernel command line); the writers wait for /mnt/out/go, which
#      the host creates as it starts injecting, so both directions overlap;
#   3. waits for all four; each one's exit status goes to /mnt/out/NAME.rc;
#   4. powers off.
# Progress lines "L2: ..." go to the console (ttyS0).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
numf=${1:?usage: 9p-load-l2.sh NUMF}
# shellcheck source=tests/vm/l2-archive.sh
. "$here/l2-archive.sh"
l2_begin load "$numf"
mkdir -p "$stage/bin"
cp "$numf" "$stage/bin/numf"

cat >"$stage/init" <<'EOF'
#!/bin/sh
. /etc/l2-boot.sh
for w in $(cat /proc/cmdline); do
	case $w in
	l2bdf=*) bdf=${w#l2bdf=} ;;
	l2seed=*) seed=${w#l2seed=} ;;
	l2dst=*) dst=${w#l2dst=} ;;
	l2src=*) src=${w#l2src=} ;;
	l2n=*) n=${w#l2n=} ;;
	esac
done
opts=trans=virtio,version=9p2000.L,cache=none,msize=131072
mkdir -p /mnt/out
if mount -t 9p -o $opts pcifs /mnt/pcifs && mount -t 9p -o $opts out /mnt/out
then
	echo "L2: MOUNTED"
	q=/mnt/pcifs/$bdf
	o=/mnt/out
	f="-x $seed -d $dst -S $src"
	(numf rx $q/rx -s $o/stop -o $o/r0.hex 2>$o/r0.log; echo $? >$o/r0.rc) &
	(numf rx $q/rxbatch -B -s $o/stop -o $o/r1.hex 2>$o/r1.log
		echo $? >$o/r1.rc) &
	# The writers start with the host's injection: at /mnt/out/go.
	go="for i in \$(seq 1200); do [ -e $o/go ] && break; sleep 0.5; done"
	(eval "$go"; numf tx $q/tx $f 20:0:$n 2>$o/w0.log; echo $? >$o/w0.rc) &
	(eval "$go"; numf txbatch $q/txbatch -r 4 -c 1000 $f 21:0:$n \
		2>$o/w1.log; echo $? >$o/w1.rc) &
	echo "L2: STARTED"
	wait
	echo "L2: DONE"
else
	echo "L2: mount failed"
fi
poweroff -f
EOF
chmod 755 "$stage/init"

l2_append "$base" "$stage" "$out"
