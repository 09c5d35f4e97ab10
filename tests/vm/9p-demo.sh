#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# 9p-demo.sh - try a host pcifs inside a QEMU guest, over virtio-9p.
#
# Usage (as root): tests/vm/9p-demo.sh [PCIFS ARGS...]
#
# Mounts pcifs on the host, exports the mount to a TCG guest with the
# configuration the README recommends (security_model=none; in the guest
# cache=none,msize=131072, see tests/vm/9p-demo-rc.sh), and
#   - with a terminal: leaves you at the guest's shell with the host's tree
#     at /mnt/pcifs (poweroff or Ctrl-D leaves, Ctrl-A x kills QEMU);
#   - without one: shows a few reads and writes from the guest and stops.
# Without PCIFS ARGS the host pcifs serves a writable copy of the captured
# "host" fixture tree (0000:00:03.0 without its driver, so its registers can
# be written), so writes are harmless; "-o ro" serves this machine's
# /sys/bus/pci read-only.  Everything is unmounted and stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../test_helper/vm.bash
. "$top/tests/test_helper/vm.bash"

pcifs=${PCIFS_BIN:-$top/pcifs}
if [ ! -x "$pcifs" ]; then
	echo "9p-demo: $pcifs is not built; run make first" >&2
	exit 1
fi
tmp=$(mktemp -d /tmp/pcifs-9p-demo.XXXXXX)
mnt=$tmp/mnt
VM_DIR=$tmp/vm
export VM_DIR
pcifs_pid=
fixture=

cleanup() {
	vm_stop # first: QEMU keeps the exported mount open
	if grep -q " $mnt fuse" /proc/mounts; then
		fusermount3 -u "$mnt" || fusermount3 -uz "$mnt" || true
	fi
	if [ -n "$pcifs_pid" ] && kill -0 "$pcifs_pid" 2>/dev/null; then
		kill "$pcifs_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# mount_host ARGS...: pcifs in the foreground as a background job; wait
# (bounded) for the mount.
mount_host() {
	local i
	mkdir -p "$mnt"
	"$pcifs" -f "$@" "$mnt" </dev/null >"$tmp/pcifs.log" 2>&1 &
	pcifs_pid=$!
	for i in $(seq 100); do
		grep -q " $mnt fuse" /proc/mounts && return 0
		kill -0 "$pcifs_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "9p-demo: pcifs did not mount:" >&2
	cat "$tmp/pcifs.log" >&2
	return 1
}

if [ $# -eq 0 ]; then
	"$top/tests/fixtures/make-fixtures.sh" "$tmp/fixtures" host
	# As if no kernel driver were bound to 0000:00:03.0: writable.
	rm -f "$tmp/fixtures/host/devices/0000:00:03.0/driver"
	set -- -o "sysfs=$tmp/fixtures/host,nodriver"
	fixture=$tmp/fixtures/host
fi
mount_host "$@"
echo "9p-demo: host pcifs $* mounted at $mnt"

export PCIFS_VM_PCIFS=-
export PCIFS_VM_EXTRA="$here/9p-demo-rc.sh:/etc/pcifs-vm/rc"
vm_share "$mnt" pcifs 0x10 security_model=none

if [ -t 0 ] && [ -t 1 ]; then
	cat <<-MSG
	9p-demo: booting a QEMU guest (TCG, ~15 s); the host's pcifs is at
	/mnt/pcifs inside.  Try: cat /mnt/pcifs/*/info,
	cat /mnt/pcifs/0000:00:03.0/regs/config/COMMAND.
	Leave with poweroff (or Ctrl-D); Ctrl-A x kills QEMU.
	MSG
	# shellcheck disable=SC2119 # no QEMU arguments
	vm_console
else
	# shellcheck disable=SC2119
	vm_boot
	# Reads only, unless the tree is the fixture copy made above.
	# shellcheck disable=SC2016 # expanded in the guest
	script='ls /mnt/pcifs; cd /mnt/pcifs/0000:00:03.0 && head -4 info &&
		echo "COMMAND: $(cat regs/config/COMMAND)"'
	# shellcheck disable=SC2016
	[ -n "$fixture" ] && script+='
		echo 0x0:0x4 >regs/config/COMMAND &&
		echo "COMMAND after echo 0x0:0x4: $(cat regs/config/COMMAND)"'
	vm_run "$script"
fi
