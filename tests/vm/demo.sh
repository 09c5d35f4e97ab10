#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: boot a QEMU guest with an e1000 (0000:00:03.0, on QEMU user
# networking), mount pcifs inside it at /mnt/pcifs, and
#   - with a terminal: leave you at the guest's shell (try `pcifs-tour`;
#     `poweroff` or Ctrl-D leaves, Ctrl-A x kills QEMU);
#   - without one: run the scripted tour (tests/vm/demo-tour) and stop.
# Arguments are passed to QEMU.
# Env: PCIFS_NIC (e1000, e1000-82544gc, e1000-82545em), PCIFS_VM_PCIFS
# (default ./pcifs), and the other PCIFS_VM_* of tests/test_helper/vm.bash.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../test_helper/vm.bash
. "$top/tests/test_helper/vm.bash"

pcifs=${PCIFS_VM_PCIFS:-$top/pcifs}
if [ ! -x "$pcifs" ]; then
	echo "demo: $pcifs is not built; run make first" >&2
	exit 1
fi
export PCIFS_VM_PCIFS=$pcifs
export PCIFS_VM_EXTRA="$here/demo-rc:/etc/pcifs-vm/rc \
$here/demo-tour:/usr/local/bin/pcifs-tour"
VM_DIR=$(mktemp -d /tmp/pcifs-demo.XXXXXX)
export VM_DIR
trap 'vm_stop; rm -rf "$VM_DIR"' EXIT

vm_nic user 3

if [ -t 0 ] && [ -t 1 ]; then
	cat <<-MSG
	pcifs demo: booting a QEMU guest (TCG, ~10 s) with a ${PCIFS_NIC:-e1000}
	at 0000:00:03.0; pcifs is mounted at /mnt/pcifs inside.
	Try: pcifs-tour, ls /mnt/pcifs/0000:00:03.0, cat .../stats.
	Leave with poweroff (or Ctrl-D); Ctrl-A x kills QEMU.
	MSG
	vm_console "$@"
else
	echo "pcifs demo: no terminal, running the scripted tour" >&2
	vm_boot "$@"
	vm_run -t 120 pcifs-tour
fi
