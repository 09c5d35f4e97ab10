#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest boot hook of tests/vm/9p-demo.sh (run by /init as /etc/pcifs-vm/rc):
# mount the host's pcifs, exported with mount tag "pcifs", at /mnt/pcifs.
if mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=131072 \
	pcifs /mnt/pcifs; then
	echo "9p-demo: the host's pcifs is mounted at /mnt/pcifs over virtio-9p"
else
	echo "9p-demo: mounting the host's pcifs failed"
fi
