# SPDX-License-Identifier: GPL-2.0-or-later
# common-setup.bash - shared helpers of the pcifs bats suites.
#
#   load test_helper/common-setup      (at file level, in every .bats file)
#
# PCIFS_BIN selects the daemon (default ./pcifs; the sanitizer run sets
# PCIFS_BIN=./pcifs-asan); a relative path is taken from the current
# directory, else from the repository root.

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

PCIFS_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
export PCIFS_ROOT

pcifs_bin() {
	local bin=${PCIFS_BIN:-./pcifs}
	case $bin in
	/*) ;;
	*) if [ -e "$PWD/$bin" ]; then bin=$PWD/$bin; else bin=$PCIFS_ROOT/$bin; fi ;;
	esac
	echo "$bin"
}
PCIFS=$(pcifs_bin)
export PCIFS

# How long, in tenths of a second, to wait for a mount to come up or for a
# daemon to exit.
PCIFS_WAIT_TENTHS=${PCIFS_WAIT_TENTHS:-100}

# fixture_tree SET: build the fixture set SET (see tests/fixtures) once per
# test file under $BATS_FILE_TMPDIR, writable, and print its path.
fixture_tree() {
	local set=$1 dest=$BATS_FILE_TMPDIR/fixtures
	if [ ! -d "$dest/$set/devices" ]; then
		"$PCIFS_ROOT/tests/fixtures/make-fixtures.sh" "$dest" "$set" >&2 ||
			return 1
	fi
	echo "$dest/$set"
}

# is_mounted MNT: the absolute path MNT is a mount point.  Reads the
# kernel's table and never touches MNT, so a wedged daemon cannot block it.
is_mounted() {
	local mnt=${1%/}
	awk -v m="$mnt" '$2 == m { found = 1 } END { exit !found }' /proc/self/mounts
}

# mount_pcifs MNT [ARG...]: start pcifs in the foreground as a background
# job (fd 3 closed so bats does not wait for it), remember its pid in
# MNT.pid and its stderr in MNT.log, and wait, bounded, until MNT is a
# mount.  Fails (and cleans up) if the daemon exits or the wait runs out.
mount_pcifs() {
	local mnt=$1 i pid
	shift
	mkdir -p "$mnt"
	"$PCIFS" -f "$@" "$mnt" 3>&- </dev/null >"$mnt.log" 2>&1 &
	pid=$!
	echo "$pid" >"$mnt.pid"
	for ((i = 0; i < PCIFS_WAIT_TENTHS; i++)); do
		is_mounted "$mnt" && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "pcifs exited before mounting $mnt:" >&2
			cat "$mnt.log" >&2
			rm -f "$mnt.pid"
			return 1
		fi
		sleep 0.1
	done
	echo "pcifs did not mount $mnt in time:" >&2
	cat "$mnt.log" >&2
	unmount_pcifs "$mnt"
	return 1
}

# wait_gone PID: wait, bounded, for PID to exit.  Returns 1 if it is alive.
wait_gone() {
	local pid=$1 i
	for ((i = 0; i < PCIFS_WAIT_TENTHS; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# unmount_pcifs MNT: fusermount3 -u (lazily if busy), then make sure the
# daemon started by mount_pcifs is gone (TERM, then KILL).  Never leaves a
# mount behind; safe to call when nothing is mounted.
unmount_pcifs() {
	local mnt=$1 pid=
	[ -f "$mnt.pid" ] && pid=$(cat "$mnt.pid")
	if is_mounted "$mnt"; then
		fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -uz "$mnt" ||
			umount -l "$mnt" 2>/dev/null || true
	fi
	if [ -n "$pid" ]; then
		if ! wait_gone "$pid"; then
			kill -TERM "$pid" 2>/dev/null || true
			wait_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
		fi
		rm -f "$mnt.pid"
	fi
	if is_mounted "$mnt"; then
		fusermount3 -uz "$mnt" 2>/dev/null || umount -l "$mnt" || true
	fi
	! is_mounted "$mnt" || return 1
	check_sanitizer_log "$mnt"
}

# check_sanitizer_log MNT: fail, showing the report, if the daemon's log
# has an AddressSanitizer, LeakSanitizer or UBSan report (pcifs-asan).
check_sanitizer_log() {
	[ -f "$1.log" ] || return 0
	if grep -Eq 'Sanitizer|runtime error:' "$1.log"; then
		echo "sanitizer report from pcifs on $1:" >&2
		cat "$1.log" >&2
		return 1
	fi
}

# pcifs_log MNT: what the daemon mounted on MNT printed so far.
pcifs_log() {
	cat "$1.log"
}

# --- byte helpers -----------------------------------------------------------

# hexbytes FILE OFFSET COUNT: COUNT bytes at OFFSET as lower-case hex in file
# order (e.g. "8680" for 86 80), read with dd, not through pcifs's caching.
hexbytes() {
	dd if="$1" bs=1 skip=$(($2)) count=$(($3)) status=none | xxd -p |
		tr -d '\n'
}

# le_value FILE OFFSET WIDTH: the little-endian WIDTH-byte value at OFFSET,
# formatted as a pcifs register file reads ("0x%0*x").
le_value() {
	local hex le='' i
	hex=$(hexbytes "$1" "$2" "$3")
	for ((i = ${#hex} - 2; i >= 0; i -= 2)); do
		le+=${hex:i:2}
	done
	echo "0x$le"
}

# put_bytes FILE OFFSET HEX: write bytes (given in file order) into a
# fixture file in place.
put_bytes() {
	echo -n "$3" | xxd -r -p |
		dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

# --- access helpers ---------------------------------------------------------

# read_at FILE OFFSET SIZE: one read(2) of SIZE bytes at OFFSET (dd with
# bs=SIZE), printed as hex in file order.
read_at() {
	local tmp=$BATS_TEST_TMPDIR/read_at.$$
	dd if="$1" of="$tmp" bs=$(($3)) count=1 skip=$(($2)) iflag=skip_bytes \
		status=none || return 1
	xxd -p "$tmp" | tr -d '\n'
	rm -f "$tmp"
}

# write_at FILE OFFSET HEX: one write(2) of the bytes HEX (file order) at
# OFFSET, without truncating FILE.
write_at() {
	local size=$((${#3} / 2))
	echo -n "$3" | xxd -r -p |
		dd of="$1" bs="$size" count=1 seek=$(($2)) oflag=seek_bytes \
			iflag=fullblock conv=notrunc status=none
}

# reg_write FILE TEXT: write TEXT to a register file with one write(2), as
# `echo -n` does.  Fails with the shell's strerror message.
reg_write() {
	printf '%s' "$2" >"$1"
}

# --- fixture helpers --------------------------------------------------------

# unbind_fixture SYSFS BDF: drop the device's driver symlink in a fixture
# tree, as if no kernel driver were bound to it.
unbind_fixture() {
	local drv
	drv=$(readlink "$1/devices/$2/driver") || return 0
	rm -f "$1/devices/$2/driver" "$1/drivers/$(basename "$drv")/$2"
}

# bar_size SYSFS BDF N: size of BAR N from the resource file, 0 if none.
bar_size() {
	local start end
	read -r start end _ < <(sed -n "$(($3 + 1))p" "$1/devices/$2/resource")
	if [ $((start | end)) -eq 0 ]; then echo 0; else echo $((end - start + 1)); fi
}

# lspci_field SYSFS BDF FIELD: a field of `lspci -vmm -nn` on the tree
# SYSFS (e.g. Vendor -> "Red Hat, Inc. [1af4]").
lspci_field() {
	lspci -A linux-sysfs -O sysfs.path="$1" -vmm -nn -s "$2" 2>/dev/null |
		sed -n "s/^$3:\t//p"
}

# lspci_name VALUE: "Red Hat, Inc. [1af4]" -> "Red Hat, Inc."
lspci_name() {
	sed 's/ \[[0-9a-f]*\]$//' <<<"$1"
}

# check_info_like_lspci MNT SYSFS BDF: info's vendor, device and class
# lines carry the ids and the names lspci shows for the same tree.
check_info_like_lspci() {
	local mnt=$1 sysfs=$2 bdf=$3 key field id name line info
	info=$(cat "$mnt/$bdf/info") || return 1
	for key in vendor:Vendor device:Device class:Class; do
		field=$(lspci_field "$sysfs" "$bdf" "${key#*:}")
		id=$(sed 's/.*\[\([0-9a-f]*\)\]$/\1/' <<<"$field")
		name=$(lspci_name "$field")
		line=$(grep "^${key%%:*}: " <<<"$info")
		# lspci calls an id missing from pci.ids "Device [0d57]".
		case $name in Device | Vendor | Class) name= ;; esac
		case $line in
		"${key%%:*}: $id $name"* | "${key%%:*}: $id") ;;
		*)
			echo "$bdf: info has '$line', lspci says '$field'" >&2
			return 1
			;;
		esac
	done
}
