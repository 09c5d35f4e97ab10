# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm.bash - boot a QEMU guest and run commands in it (bats-loadable library).
#
# Usage in a bats file:
#
#   setup_file() {
#       load test_helper/vm
#       vm_nic dgram 3               # e1000 ($PCIFS_NIC) at 0000:00:03.0 whose
#                                    # wire is a host UDP socket pair
#       vm_nic user 4 net=10.0.3.0/24  # second NIC, slirp (gw 10.0.3.2)
#       vm_boot                      # boots once per file, waits until ready
#   }
#   teardown_file() { load test_helper/vm; vm_stop; }  # always stops QEMU
#   setup() { load test_helper/vm; }
#
#   @test "x" {
#       run vm_run 'lspci -n -s 00:03.0'   # guest stdout, then stderr;
#       assert_success                     # status = the script's status
#       vm_run 'cat /mnt/pcifs/x/rx' >"$BATS_TEST_TMPDIR/f"   # binary safe
#       vm_run 'sleep 100 >/dev/null 2>&1 &'  # background jobs are fine
#       vm_copy_in ./tool /usr/local/bin/tool; vm_copy_out /tmp/a ./a
#   }
#
# Functions
#   vm_nic KIND SLOT [net=CIDR] [mac=MAC] [model=M] [dump=1]
#                 add a NIC before vm_boot. KIND: user (slirp; default
#                 net 10.0.2.0/24, gateway .2), dgram (raw frames, one per
#                 UDP datagram, on 127.0.0.1: host side in $VM_DIR/nic-SLOT.ports
#                 "HOSTPORT GUESTPORT", use tests/tools/wire), none (no
#                 backend: link up, frames dropped). SLOT is the PCI slot
#                 (3..0x1b): the NIC is 0000:00:SLOT.0 (vm_bdf SLOT). model
#                 defaults to $PCIFS_NIC (e1000; e1000-82544gc,
#                 e1000-82545em, e1000e, virtio-net-pci). mac defaults to
#                 52:54:00:12:34:56 for slot 3, :57 for slot 4, ... dump=1
#                 adds -object filter-dump to $VM_DIR/nic-SLOT.pcap.
#   vm_boot [QEMU ARGS...]  boot (kernel.sh, initramfs.sh run as needed);
#                 returns once the guest answers, or 1 with the console tail.
#   vm_run [-t SECS] SCRIPT...  run SCRIPT (words joined by spaces) with
#                 busybox sh in the guest, as root, cwd /, stdin /dev/null.
#                 Prints its stdout on stdout, its stderr on stderr, returns
#                 its exit status. The guest kills it after SECS (default
#                 $PCIFS_VM_TIMEOUT or 120): status 124/143. 255: channel
#                 failure (guest dead or not answering).
#   vm_copy_in HOSTFILE GUESTPATH, vm_copy_out GUESTPATH HOSTFILE
#   vm_console [QEMU ARGS...]  boot in the foreground, console shell on the
#                 terminal (Ctrl-A x quits QEMU); for `make demo`.
#   vm_stop       poweroff, then kill QEMU by its pid; safe to call twice or
#                 when vm_boot failed.
#   vm_share HOSTDIR TAG [SLOT] [FSDEV OPTS]  before vm_boot: export a host
#                 directory (e.g. a host pcifs mount) over virtio-9p at
#                 00:SLOT.0 (default 0x1b), options default
#                 security_model=none; guest: mount -t 9p -o trans=virtio TAG D
#   vm_bdf SLOT   prints 0000:00:SS.0;  vm_mac SLOT prints the NIC's MAC.
#   vm_ports SLOT prints "HOSTPORT GUESTPORT" of a dgram NIC.
#   vm_free_tcp_port  prints a TCP port unused on the host right now, for a
#                 host server a user (slirp) NIC reaches at 10.0.2.2:PORT.
#   vm_wire       prints the path of tests/tools/wire, building it if needed.
#   vm_nested_extra L2CPIO  prints PCIFS_VM_EXTRA entries for a guest that
#                 runs a QEMU of its own (an L2 guest, nested TCG): QEMU, its
#                 TCG module, the ROMs (in $VM_NESTED_QDIR, QEMU's -L), the
#                 guest kernel as /boot/vmlinuz and L2CPIO as /boot/l2.cpio.
#   vm_wire_recv SLOT OUT [wire recv opts]  start `wire recv` on the host end
#                 of dgram NIC SLOT in the background (fd 3 closed), frames
#                 as hex lines into OUT; returns once the socket is bound.
#   vm_wire_wait OUT  wait (bounded) for that receiver; returns its status
#                 (0: -n COUNT frames arrived; 2: fewer, idle/total timeout).
#   vm_wire_cleanup  stop every receiver still running (call it from
#                 teardown: a failed test must not leave one bound to the
#                 port the next test needs).  vm_stop calls it too.
#   vm_wire_send SLOT [wire send opts]  inject frames (hex lines, -f FILE or
#                 stdin) into dgram NIC SLOT.
#   vm_pcap SLOT  frames of the filter-dump of NIC SLOT (dump=1) as hex lines.
#
# Guest: Debian kernel (tests/vm/kernel.sh), busybox, pcifs at /usr/bin/pcifs
# when built, lspci/setpci, modules fuse/virtio/9p loaded; e1000 and e1000e
# are NOT loaded (NICs unbound) until a test runs `modprobe e1000`. IPv6 is
# disabled, so a kernel-driven NIC sends nothing unasked. Host
# directory $VM_DIR/share is the guest's /mnt/host (9p). /mnt/pcifs exists.
# Console log: $VM_DIR/console.log; QEMU stderr: $VM_DIR/qemu.log.
#
# Environment
#   VM_DIR            state directory (default $BATS_FILE_TMPDIR/vm, else a
#                     mktemp dir); exported by vm_boot so tests see it.
#   PCIFS_NIC         NIC model for vm_nic (default e1000).
#   PCIFS_VM_PCIFS    pcifs binary for the guest (default ./pcifs if built;
#                     e.g. ./pcifs-asan; "-" for none).
#   PCIFS_VM_EXTRA    more files for the initramfs: "SRC[:GUESTPATH] ..."
#                     (default guest path /usr/local/bin/NAME).
#   PCIFS_VM_ACCEL    tcg (default) or kvm (KVM guests hang on the project's
#                     machines, so it is never chosen automatically).
#   PCIFS_VM_MACHINE  pc (default, i440fx) or q35.  PCIFS_VM_MEM (512).
#   PCIFS_VM_SMP      guest CPUs (1; under TCG, 2 makes every wake-up that
#                     crosses CPUs cost an IPI to a halted vCPU).
#   PCIFS_VM_TIMEOUT  vm_run default timeout (120 s); PCIFS_VM_BOOT_TIMEOUT
#                     (180 s); PCIFS_VM_LIFETIME: QEMU is killed after this
#                     many seconds whatever happens (default 7200).
#   PCIFS_VM_OWNER    pid whose death kills QEMU (default $$: the bats file
#                     process or the calling script), in case vm_stop is
#                     never reached (Ctrl-C, kill -9).
#
#   PCIFS_VM_APPEND   extra kernel command line (e.g. hugepages=16).
#   PCIFS_VM_IOMMU    1: an emulated Intel IOMMU for VFIO: the machine
#                     becomes q35 (whatever PCIFS_VM_MACHINE says), with
#                     -device intel-iommu,intremap=on,aw-bits=48 before
#                     every other device, and intel_iommu=on
#                     no_timer_check for the guest.  Unset (default):
#                     no IOMMU, as before.
#
# Command channel: virtio-serial port "pcifs.ctl" on a QEMU "-chardev pipe"
# ($VM_DIR/ctl.in: host to guest, ctl.out: guest to host; QEMU holds both
# FIFOs open read-write, so neither side ever sees EOF). The guest /init
# (tests/vm/init) sends "READY <release>" at boot, then serves requests
# "RUN <id> <timeout> <base64 script>" one at a time, answering
# "BEGIN <id> <status> <outlen> <errlen>", base64 stdout (outlen bytes),
# base64 stderr (errlen bytes), "END <id>". Answers with another id (of a
# call that timed out on the host) are skipped.
#
# Fixed PCI layout (i440fx "pc"): 00:00.0 host bridge, 00:01.x PIIX3,
# NICs at the slots given to vm_nic (tests use 3, 4, 5), 00:1c.0
# virtio-serial (command channel), 00:1d.0 virtio-9p (host share). Slots
# 0x1e/0x1f are left free (q35 uses 00:1f.x).

_vm_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
_vm_vmdir=$_vm_top/tests/vm

# _vm_dir: create and export VM_DIR.
_vm_dir() {
	if [ -z "${VM_DIR:-}" ]; then
		if [ -n "${BATS_FILE_TMPDIR:-}" ]; then
			VM_DIR=$BATS_FILE_TMPDIR/vm
		else
			VM_DIR=$(mktemp -d /tmp/pcifs-vm.XXXXXX)
		fi
	fi
	export VM_DIR
	mkdir -p "$VM_DIR/share"
}

vm_bdf() { printf '0000:00:%02x.0\n' "$(($1))"; }

vm_mac() {
	local f
	f=$VM_DIR/nic-$(($1)).mac
	if [ -s "$f" ]; then
		cat "$f"
	else
		printf '52:54:00:12:34:%02x\n' $((0x56 + $1 - 3))
	fi
}

vm_ports() { cat "$VM_DIR/nic-$(($1)).ports"; }

# _vm_free_udp_port: a random UDP port not bound on the host right now.
_vm_free_udp_port() {
	local p hex
	while :; do
		p=$((20000 + RANDOM % 40000))
		hex=$(printf ':%04X ' "$p")
		grep -q "$hex" /proc/net/udp /proc/net/udp6 2>/dev/null ||
			break
	done
	echo "$p"
}

# vm_free_tcp_port: a random TCP port no socket uses on the host right now,
# for a host server a guest reaches over slirp (guest 10.0.2.2:PORT is the
# host's 127.0.0.1:PORT).  Another process may take it before the caller
# binds it: callers check that their server came up, and pick again.
vm_free_tcp_port() {
	local p hex
	while :; do
		p=$((20000 + RANDOM % 40000))
		hex=$(printf ':%04X ' "$p")
		grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null ||
			break
	done
	echo "$p"
}

vm_nic() {
	local kind=$1 slot=$(($2)) kv net="" mac="" model=${PCIFS_NIC:-e1000}
	local dump="" id backend hp gp
	shift 2
	_vm_dir
	for kv in "$@"; do
		case $kv in
		net=*) net=${kv#net=} ;;
		mac=*) mac=${kv#mac=} ;;
		model=*) model=${kv#model=} ;;
		dump=*) dump=${kv#dump=} ;;
		*) echo "vm_nic: unknown option $kv" >&2 && return 1 ;;
		esac
	done
	[ -n "$mac" ] || mac=$(printf '52:54:00:12:34:%02x' $((0x56 + slot - 3)))
	id=n$slot
	case $kind in
	user) backend=user,id=$id${net:+,net=$net} ;;
	dgram)
		hp=$(_vm_free_udp_port)
		gp=$(_vm_free_udp_port)
		echo "$hp $gp" >"$VM_DIR/nic-$slot.ports"
		backend="dgram,id=$id,local.type=inet,local.host=127.0.0.1"
		backend+=",local.port=$gp,remote.type=inet"
		backend+=",remote.host=127.0.0.1,remote.port=$hp"
		;;
	none) backend=hubport,id=$id,hubid=$slot ;;
	*) echo "vm_nic: unknown kind $kind" >&2 && return 1 ;;
	esac
	echo "$mac" >"$VM_DIR/nic-$slot.mac"
	{
		printf '%s\n' -netdev "$backend" -device \
			"$model,netdev=$id,mac=$mac,addr=$(printf '0x%x' "$slot")"
		[ -z "$dump" ] || printf '%s\n' -object \
			"filter-dump,id=f$slot,netdev=$id,file=$VM_DIR/nic-$slot.pcap"
	} >>"$VM_DIR/qemu.args"
}

# vm_share HOSTDIR TAG [SLOT] [OPTIONS]: before vm_boot, export HOSTDIR to
# the guest over virtio-9p with mount tag TAG, at PCI slot SLOT (default
# 0x1b); OPTIONS are extra -fsdev options (default security_model=none).
# In the guest: mount -t 9p -o trans=virtio,version=9p2000.L,cache=none TAG DIR
vm_share() {
	local dir=$1 tag=$2 slot=${3:-0x1b} opts=${4:-security_model=none}
	_vm_dir
	printf '%s\n' -fsdev "local,id=fs$tag,path=$dir,$opts" -device \
		"virtio-9p-pci,fsdev=fs$tag,mount_tag=$tag,addr=$(printf '0x%x' \
		"$((slot))")" >>"$VM_DIR/qemu.args"
}

# _vm_alive PID: the process exists and is not a zombie.
_vm_alive() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# _vm_qemu_pid: QEMU's pid if it is still running (not a zombie), else fail.
_vm_qemu_pid() {
	local pid
	pid=$(cat "$VM_DIR/qemu.pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && _vm_alive "$pid" || return 1
	# Guard against pid reuse: it must be our QEMU (its args name VM_DIR).
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$VM_DIR/" ||
		return 1
	echo "$pid"
}

# _vm_read_line VAR DEADLINE: read one channel line into VAR before epoch
# second DEADLINE, checking every 2 s that QEMU is alive. Fails on timeout
# or death.
_vm_read_line() {
	local -n _line=$1
	local part rc
	_line=""
	while :; do
		IFS= read -r -t 2 -u "$_vm_fd" part && rc=0 || rc=$?
		_line+=$part
		[ "$rc" -eq 0 ] && return 0
		[ "$rc" -gt 128 ] || return 1 # EOF or error
		_vm_qemu_pid >/dev/null || return 1
		[ "$(date +%s)" -lt "$2" ] || return 1
	done
}

# _vm_open: open the channel (fd in _vm_fd; O_RDWR so it never sees EOF).
_vm_open() {
	[ -p "$VM_DIR/ctl.out" ] || return 1
	exec {_vm_fd}<>"$VM_DIR/ctl.out"
}

_vm_close() { exec {_vm_fd}<&-; }

_vm_diag() {
	echo "vm: --- last console lines ($VM_DIR/console.log) ---"
	tail -n 25 "$VM_DIR/console.log" 2>/dev/null
	echo "vm: --- qemu.log ---"
	tail -n 10 "$VM_DIR/qemu.log" 2>/dev/null
} >&2

# _vm_prepare SERIAL [QEMU ARGS...]: build kernel and initramfs, make the
# channel FIFOs, and set the array _vm_args to QEMU's arguments, the
# console going to SERIAL (a QEMU -serial value).
_vm_prepare() {
	local serial=$1 rel kernel initrd accel extra=()
	local pcifs=${PCIFS_VM_PCIFS:-}
	shift
	_vm_dir
	if _vm_qemu_pid >/dev/null; then
		echo "vm: a guest is already running in $VM_DIR" >&2
		return 1
	fi
	rel=$("$_vm_vmdir/kernel.sh") || return 1
	kernel=$_vm_vmdir/cache/kernel/boot/vmlinuz-$rel
	[ -n "$pcifs" ] || { [ -x "$_vm_top/pcifs" ] && pcifs=$_vm_top/pcifs; }
	# shellcheck disable=SC2206 # PCIFS_VM_EXTRA is a word list
	extra=(${PCIFS_VM_EXTRA:-})
	initrd=$("$_vm_vmdir/initramfs.sh" "${pcifs:--}" "${extra[@]}") ||
		return 1

	case ${PCIFS_VM_ACCEL:-tcg} in
	kvm) accel=(-accel kvm -cpu host) ;;
	*) accel=(-accel tcg) ;;
	esac
	local machine=${PCIFS_VM_MACHINE:-pc} iommu=() append=""
	if [ "${PCIFS_VM_IOMMU:-}" = 1 ]; then
		# The IOMMU must exist before the devices it translates for.
		machine=q35
		iommu=(-device intel-iommu,intremap=on,aw-bits=48)
		# no_timer_check: a loaded host can make TCG miss the
		# kernel's timer test through the remapped IO-APIC, which
		# panics ("timer doesn't work through Interrupt-remapped").
		append="intel_iommu=on no_timer_check"
	fi
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	_vm_args=(
		-machine "$machine" "${accel[@]}" "${iommu[@]}"
		-m "${PCIFS_VM_MEM:-512}" -smp "${PCIFS_VM_SMP:-1}" -nodefaults -nographic
		-no-reboot -serial "$serial"
		-pidfile "$VM_DIR/qemu.pid"
		-kernel "$kernel" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 quiet loglevel=4 $append ${PCIFS_VM_APPEND:-}"
		-device virtio-serial-pci,id=vser,addr=0x1c
		-chardev "pipe,id=ctl,path=$VM_DIR/ctl"
		-device virtserialport,bus=vser.0,chardev=ctl,name=pcifs.ctl
		-fsdev "local,id=hostshare,path=$VM_DIR/share,security_model=none"
		-device virtio-9p-pci,fsdev=hostshare,mount_tag=hostshare,addr=0x1d
	)
	if [ -f "$VM_DIR/qemu.args" ]; then
		mapfile -t -O "${#_vm_args[@]}" _vm_args <"$VM_DIR/qemu.args"
	fi
	_vm_args+=("$@")
	rm -f "$VM_DIR/ctl.in" "$VM_DIR/ctl.out" "$VM_DIR/qemu.pid" \
		"$VM_DIR/console.log"
	mkfifo "$VM_DIR/ctl.in" "$VM_DIR/ctl.out"
	printf '%q ' qemu-system-x86_64 "${_vm_args[@]}" >"$VM_DIR/qemu.cmdline"
	echo >>"$VM_DIR/qemu.cmdline"
}

# _vm_watchdog QEMUPID: kill QEMU if the process that booted it (bats's
# file process, a script) dies without calling vm_stop (Ctrl-C, SIGKILL).
_vm_watchdog() {
	local owner=${PCIFS_VM_OWNER:-$$} qemu=$1
	(
		trap - EXIT
		while kill -0 "$owner" 2>/dev/null && _vm_alive "$qemu"; do
			sleep 2
		done
		if [ "$(_vm_qemu_pid)" = "$qemu" ]; then
			echo "vm: owner $owner gone; killing QEMU $qemu" >&2
			kill -TERM "$qemu"
			sleep 2
			[ "$(_vm_qemu_pid)" != "$qemu" ] || kill -KILL "$qemu"
		fi
	) </dev/null >>"$VM_DIR/qemu.log" 2>&1 3>&- &
}

vm_boot() {
	local pid line deadline
	_vm_dir
	_vm_prepare "file:$VM_DIR/console.log" -monitor none "$@" || return 1

	# timeout(1) bounds QEMU's lifetime even if nobody calls vm_stop;
	# fd 3 (bats) and the other fds stay closed for the background job.
	timeout -k 10 "${PCIFS_VM_LIFETIME:-7200}" \
		qemu-system-x86_64 "${_vm_args[@]}" </dev/null \
		>"$VM_DIR/qemu.log" 2>&1 3>&- 4>&- 5>&- &
	echo $! >"$VM_DIR/timeout.pid"

	deadline=$(($(date +%s) + ${PCIFS_VM_BOOT_TIMEOUT:-180}))
	while ! pid=$(_vm_qemu_pid); do
		if ! _vm_alive "$(cat "$VM_DIR/timeout.pid")" ||
			[ "$(date +%s)" -ge "$deadline" ]; then
			echo "vm_boot: QEMU did not start" >&2
			_vm_diag
			vm_stop
			return 1
		fi
		sleep 0.2
	done
	_vm_watchdog "$pid"
	_vm_open || return 1
	while _vm_read_line line "$deadline"; do
		[[ $line == READY* ]] && break
	done
	_vm_close
	if [[ $line != READY* ]]; then
		echo "vm_boot: guest not ready (pid $pid)" >&2
		_vm_diag
		vm_stop
		return 1
	fi
	echo "$SECONDS" >"$VM_DIR/boot.seconds"
}

# vm_console [QEMU ARGS...]: boot in the foreground with the guest console
# (an interactive shell, pcifs_vm.shell) on this terminal; returns when the
# guest powers off (or Ctrl-A x). vm_run still works from another process.
vm_console() {
	local st
	PCIFS_VM_APPEND="${PCIFS_VM_APPEND:-} pcifs_vm.shell" \
		_vm_prepare mon:stdio "$@" || return 1
	# --foreground: QEMU must stay in the terminal's process group to read
	# it (else SIGTTIN stops it).
	timeout --foreground "${PCIFS_VM_LIFETIME:-7200}" \
		qemu-system-x86_64 "${_vm_args[@]}" 3>&- && st=0 || st=$?
	vm_stop
	return "$st"
}

# _vm_head N DEADLINE: copy exactly N channel bytes to stdout (GNU head -c
# never reads past N), giving up at epoch second DEADLINE.
_vm_head() {
	local left=$(($2 - $(date +%s)))
	[ "$left" -gt 0 ] || left=1
	timeout "$left" head -c "$1" <&"$_vm_fd"
}

vm_run() {
	local t=${PCIFS_VM_TIMEOUT:-120} id hdr deadline lock st
	if [ "${1:-}" = -t ]; then
		t=$2
		shift 2
	fi
	if [ -z "${VM_DIR:-}" ] || ! _vm_qemu_pid >/dev/null; then
		echo "vm_run: no guest running" >&2
		return 255
	fi
	id=$BASHPID.$RANDOM$RANDOM
	# One command at a time on the channel, even with bats --jobs.  No call
	# holds it longer than its timeout (600 s at most here) plus 30 s, so
	# one that waits longer gives up: a holder that hangs (a process that
	# inherited the lock) cannot hang every later call.
	exec {lock}>"$VM_DIR/ctl.lock"
	if ! flock -w $((t + 630)) "$lock" || ! _vm_open; then
		echo "vm_run: the guest's control channel is held or gone" >&2
		exec {lock}>&-
		return 255
	fi
	# 1<>: opening a FIFO read-write never blocks, even if QEMU is gone.
	printf 'RUN %s %s %s\n' "$id" "$t" "$(printf '%s\n' "$*" | base64 -w0)" \
		1<>"$VM_DIR/ctl.in"
	deadline=$(($(date +%s) + t + 30))
	st=255
	while _vm_read_line hdr "$deadline"; do
		# shellcheck disable=SC2086 # "BEGIN id status outlen errlen"
		set -- $hdr
		if [ "${1:-}" != BEGIN ] || [ $# -ne 5 ]; then
			continue # READY, PONG or noise
		fi
		if [ "$2" != "$id" ]; then # stale answer of a timed-out call
			_vm_head $(($4 + $5)) "$deadline" >/dev/null
			continue
		fi
		_vm_head "$4" "$deadline" | base64 -d
		_vm_head "$5" "$deadline" | base64 -d >&2
		_vm_read_line hdr "$deadline" # "END id"
		st=$3
		break
	done
	[ "$st" -ne 255 ] || echo "vm_run: no answer from the guest" >&2
	_vm_close
	exec {lock}>&-
	return "$st"
}

vm_copy_in() {
	local name st
	name=.in.$RANDOM$RANDOM
	if grep -q /mnt/host <(vm_run 'cat /proc/mounts' 2>/dev/null); then
		if cp "$1" "$VM_DIR/share/$name" &&
			vm_run "cp /mnt/host/$name '$2' &&
				chmod $(stat -c %a "$1") '$2'"; then
			st=0
		else
			st=$?
		fi
		rm -f "$VM_DIR/share/$name"
		return $st
	fi
	# No 9p share: send the bytes through the channel.
	vm_run "base64 -d >'$2' <<'EOF'
$(base64 "$1")
EOF
chmod $(stat -c %a "$1") '$2'"
}

vm_copy_out() { vm_run "cat '$1'" >"$2"; }

vm_stop() {
	local pid i tpid
	[ -n "${VM_DIR:-}" ] || return 0
	if pid=$(_vm_qemu_pid); then
		# Ask the guest to power off (no answer is awaited: it dies).
		printf 'RUN stop 10 %s\n' "$(echo 'poweroff -f' | base64 -w0)" \
			1<>"$VM_DIR/ctl.in"
		for i in $(seq 50); do
			_vm_qemu_pid >/dev/null || break
			sleep 0.2
		done
		if _vm_qemu_pid >/dev/null; then
			kill -TERM "$pid" 2>/dev/null
			for i in $(seq 25); do
				_vm_qemu_pid >/dev/null || break
				sleep 0.2
			done
		fi
		_vm_qemu_pid >/dev/null && kill -KILL "$pid" 2>/dev/null
	fi
	# Reap the timeout wrapper if it is our child; it exits with QEMU.
	tpid=$(cat "$VM_DIR/timeout.pid" 2>/dev/null) || true
	if [ -n "$tpid" ]; then
		for i in $(seq 25); do
			_vm_alive "$tpid" || break
			sleep 0.2
		done
		_vm_alive "$tpid" && kill -KILL "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null || true
	fi
	rm -f "$VM_DIR/timeout.pid"
	vm_wire_cleanup
	return 0
}

vm_wire_cleanup() {
	local pidfile pid
	[ -f "${VM_DIR:-}/wire.receivers" ] || return 0
	while read -r pidfile; do
		pid=$(cat "$pidfile" 2>/dev/null) || continue
		# (the comm check: never a pid that was reused since)
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = wire ] &&
			kill -TERM "$pid" 2>/dev/null
	done <"$VM_DIR/wire.receivers"
	rm -f "$VM_DIR/wire.receivers"
	return 0
}

# The data directory (-L) of the QEMU that vm_nested_extra puts in a guest.
VM_NESTED_QDIR=/usr/share/qemu

vm_nested_extra() {
	local rom d kernel qemu_mod=/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
	kernel=$(echo "${PCIFS_VM_CACHE:-$_vm_vmdir/cache}"/kernel/boot/vmlinuz-*)
	# Debian builds QEMU's TCG accelerator as a module.
	echo "/usr/bin/qemu-system-x86_64:/usr/bin/qemu-system-x86_64"
	echo "$qemu_mod:$qemu_mod $kernel:/boot/vmlinuz $1:/boot/l2.cpio"
	for rom in bios-256k.bin kvmvapic.bin linuxboot_dma.bin; do
		for d in /usr/share/qemu /usr/share/seabios; do
			[ -e "$d/$rom" ] && echo "$d/$rom:$VM_NESTED_QDIR/$rom" && break
		done
	done
}

# vm_wire: build tests/tools/wire when missing or older than its source.
vm_wire() {
	local src=$_vm_top/tests/tools/wire.c bin=$_vm_top/tests/tools/wire
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
		cc -O2 -Wall -Wextra -o "$bin.tmp.$$" "$src" &&
			mv "$bin.tmp.$$" "$bin" || return 1
	fi
	echo "$bin"
}

vm_wire_recv() {
	local slot=$1 out=$2 wire hp i
	shift 2
	wire=$(vm_wire) || return 1
	read -r hp _ <"$VM_DIR/nic-$((slot)).ports" || return 1
	rm -f "$out.ready" "$out.status" "$out.pid"
	# The subshell records wire's exit status in OUT.status, so any process
	# (e.g. a `run` subshell) can collect it.
	(
		"$wire" recv "$hp" -R "$out.ready" -o "$out" "$@" \
			</dev/null 2>"$out.log" &
		echo $! >"$out.pid"
		echo "$out.pid" >>"$VM_DIR/wire.receivers"
		# (if/else: bats runs with set -e, which would end the subshell).
		# The status file appears only once wire has exited: the start
		# loop below takes its existence to mean "wire died".
		if wait $!; then st=0; else st=$?; fi
		echo "$st" >"$out.status.tmp" && mv "$out.status.tmp" "$out.status"
	) 3>&- &
	for ((i = 0; i < 300; i++)); do # 15 s: the machine may be loaded
		[ -e "$out.ready" ] && return 0
		[ -e "$out.status" ] && break
		sleep 0.05
	done
	echo "vm_wire_recv: receiver did not start:" >&2
	cat "$out.log" >&2
	return 1
}

vm_wire_wait() {
	local out=$1 pid i
	pid=$(cat "$out.pid") || return 1
	for ((i = 0; i < ${PCIFS_VM_TIMEOUT:-120} * 10; i++)); do
		[ -s "$out.status" ] && break
		sleep 0.1
	done
	if [ ! -s "$out.status" ]; then
		_vm_alive "$pid" && kill -TERM "$pid"
		echo "vm_wire_wait: receiver still running; killed" >&2
		return 1
	fi
	return "$(cat "$out.status")"
}

vm_wire_send() {
	local slot=$1 wire gp
	shift
	wire=$(vm_wire) || return 1
	read -r _ gp <"$VM_DIR/nic-$((slot)).ports" || return 1
	"$wire" send "$gp" "$@"
}

vm_pcap() {
	local wire
	wire=$(vm_wire) || return 1
	"$wire" pcap "$VM_DIR/nic-$(($1)).pcap"
}
