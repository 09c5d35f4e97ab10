#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# core-badinput.bats - bad input as a user tries it, on every file kind of
# a fixture mount (tests/fixtures/qemu-pc): garbage values, signs and
# whitespace, huge numbers, empty writes, odd offsets, 1 MiB writes,
# truncate, O_APPEND and O_TRUNC, changes to the tree, directories read as
# files, writes through links.  Each syscall's errno is checked (through
# tests/tools/badio.c, which prints it by name), never ENOSYS, and after each
# test the fixture tree is compared with a copy taken before it: a refused
# write changes no byte.

load test_helper/common-setup

E1000=0000:00:03.0  # 82540EM, unbound: bar0 memory 128K, bar1 I/O 64 bytes
BOUND=0000:00:04.0  # 82545EM, bound to the kernel's e1000
HOSTB=0000:00:00.0  # host bridge: no BAR
BAR0=131072
BAR1=64

setup_file() {
	FIX=$(fixture_tree qemu-pc)
	MNT=$BATS_FILE_TMPDIR/mnt
	MNTR=$BATS_FILE_TMPDIR/mnt-ro
	BADIO=$BATS_FILE_TMPDIR/badio
	export FIX MNT MNTR BADIO
	cc -O2 -Wall -Wextra -o "$BADIO" "$PCIFS_ROOT/tests/tools/badio.c"
	# Recognisable bytes where refused BAR writes would land: both ends
	# of bar0, all of bar1 (the fixtures' resource files are zeros).
	put_bytes "$(res 0)" 0 "$(seq 1 64 | xargs printf '%02x')"
	put_bytes "$(res 0)" $((BAR0 - 64)) "$(seq 65 128 | xargs printf '%02x')"
	put_bytes "$(res 1)" 0 "$(seq 129 192 | xargs printf '%02x')"
	put_bytes "$FIX/devices/$BOUND/resource0" 0 a5a5a5a5
	mount_pcifs "$MNT" -o "sysfs=$FIX,nodriver"
	mount_pcifs "$MNTR" -o "sysfs=$FIX,nodriver,ro"
}

teardown_file() {
	unmount_pcifs "$MNT"
	unmount_pcifs "$MNTR"
}

# Each test starts from a copy of the fixture, to compare with at its end.
setup() {
	cp -a "$FIX" "$BATS_TEST_TMPDIR/before"
	D=$MNT/$E1000
}

# A failed test may leave the fixture changed: put it back, in place (the
# daemon has the resource files mapped), so that the next test starts clean.
teardown() {
	if ! diff -rq --no-dereference "$BATS_TEST_TMPDIR/before" "$FIX" \
		>/dev/null; then
		cp -a "$BATS_TEST_TMPDIR/before/." "$FIX/"
	fi
}

res() { # res N: the fixture's resourceN of the unbound e1000
	echo "$FIX/devices/$E1000/resource$1"
}

cfg() { # cfg BDF: the fixture's config of BDF
	echo "$FIX/devices/$1/config"
}

# fixture_unchanged: no byte, size or link of the fixture tree differs from
# the copy setup() took.
fixture_unchanged() {
	diff -r --no-dereference "$BATS_TEST_TMPDIR/before" "$FIX"
}

# restore FILE: put back a fixture file that a test wrote on purpose.
restore() {
	cp "$BATS_TEST_TMPDIR/before/${1#"$FIX"/}" "$1"
}

# io EXPECT BADIO-ARGS...: run tests/tools/badio.c; its answers, without
# "open ok" and "close ok" and the errno's text ("write EINVAL"), must be
# the lines EXPECT.  ENOSYS is never an answer.
io() {
	local expect=$1 got
	shift
	run -0 "$BADIO" "$@"
	refute_output --partial ENOSYS
	got=$(grep -v -e '^open ok$' -e '^close ok$' <<<"$output" |
		sed 's/ (.*)$//')
	[ "$got" = "$expect" ] || echo "badio $*" >&2
	assert_equal "$got" "$expect"
}

# writes_fail ERRNO FILE VALUE...: each VALUE, written with one write(2) on
# a descriptor of its own, fails with ERRNO.
writes_fail() {
	local err=$1 file=$2 value
	shift 2
	for value; do
		io "write $err" open "$file" w "w=$value"
	done
}

# Values a user may mistype: signs, whitespace, half a prefix, junk around
# a number, a mask gone wrong.  badio's escapes: \t \r \n \xHH.
GARBAGE=(' 0x1' '+1' '-1' '\t1' '0x 1' '1 ' ' 1' '0x' 'x1' '0x0x1' '1h'
	'1.0' '1,2' 'zz' '0x-1' '0x+1' '1\r\n' '1\n\n' '\n1' '1\x00' '\x001'
	'1:' ':1' '1::1' '1:-1' '1: 1' '1:2:3' 'ffff ffff' '1e+3' '1_0' '0o7' '1L'
	'\xef\xbb\xbf1')

# --- register files -----------------------------------------------------------

@test "register files: garbage, signs and whitespace are EINVAL, nothing written" {
	local reg
	for reg in regs/config/COMMAND regs/config/0x4.w regs/config/3c.b \
		regs/config/BASE_ADDRESS_0 regs/bar0/0x8 regs/bar0/STATUS \
		regs/bar0/0x10.q regs/bar1/0x4 regs/bar1/0x0.b; do
		writes_fail EINVAL "$D/$reg" "${GARBAGE[@]}"
	done
	run cat "$D/regs/config/COMMAND"
	assert_output "$(le_value "$BATS_TEST_TMPDIR/before/devices/$E1000/config" 4 2)"
	fixture_unchanged
}

@test "register files: huge numbers, values and masks wider than the register are EINVAL" {
	writes_fail EINVAL "$D/regs/config/COMMAND" 0x10000 10000 0x1:0x10000 \
		0xffffffffffffffff 0x10000000000000000 99999999999999999999 \
		"$(printf '0%.0s' {1..65})"
	writes_fail EINVAL "$D/regs/config/3c.b" 0x100 100 0:100
	writes_fail EINVAL "$D/regs/bar0/STATUS" 0x100000000 1:100000000
	writes_fail EINVAL "$D/regs/bar0/0x10.q" 0x10000000000000000 \
		00000000000000000000000000000000000000000000000000000000000000001
	# 64 characters are the most a value may have; 1 MiB (several FUSE
	# requests) is refused whole.
	io "write EINVAL" open "$D/regs/config/COMMAND" w f=65:30
	io "write EINVAL" open "$D/regs/config/COMMAND" w f=1048576:30
	io "write EINVAL" open "$D/regs/config/COMMAND" w f=1048576:30:zzz
	io "write EINVAL" open "$D/regs/bar0/STATUS" w f=1048576:31
	io "write EINVAL" open "$D/regs/bar1/0x4" w f=1048576:20:1
	fixture_unchanged
}

@test "register files: an empty write writes nothing; a newline alone is EINVAL" {
	io "write 0" open "$D/regs/config/COMMAND" w w=
	io "write 0" open "$D/regs/bar0/STATUS" w w=
	writes_fail EINVAL "$D/regs/config/COMMAND" '\n' '\n\n' ' \n' '\t'
	writes_fail EINVAL "$D/regs/bar1/0x4" '\n'
	fixture_unchanged
}

@test "register files: a write at any offset is one whole value; reads at odd offsets" {
	io "write EINVAL" open "$D/regs/config/COMMAND" w 'w@5=1x'
	io "write EINVAL" open "$D/regs/config/COMMAND" w 'w@4096=+1'
	io "write EINVAL" open "$D/regs/bar1/0x4" w 'w@1099511627776=-1'
	io "write EINVAL" open "$D/regs/config/COMMAND" w 'w@-1=1'
	fixture_unchanged
	# A good value is taken whatever the offset, as echo >> does.
	io "write 5" open "$D/regs/config/COMMAND" w 'w@3=0x15\n'
	assert_equal "$(hexbytes "$(cfg "$E1000")" 4 2)" 1500
	io "write 2" open "$D/regs/bar1/0x4" w 'w@1000=7f'
	assert_equal "$(hexbytes "$(res 1)" 4 4)" 7f000000
	# "0x0015\n": a read inside the text reads the rest, at its end EOF.
	io "read 5 303031350a" open "$D/regs/config/COMMAND" r r@2=100
	io "read 1 35" open "$D/regs/config/COMMAND" r r@5=1
	io "read 0" open "$D/regs/config/COMMAND" r r@7=1
	io "read 0" open "$D/regs/config/COMMAND" r r@1000000=1
	io "read EINVAL" open "$D/regs/config/COMMAND" r r@-1=1
	io "read 0" open "$D/regs/config/COMMAND" r r=0
	restore "$(cfg "$E1000")"
	restore "$(res 1)"
	fixture_unchanged
}

@test "register files: truncate to any size changes nothing; O_TRUNC and O_APPEND write values" {
	local reg
	for reg in regs/config/COMMAND regs/bar0/STATUS regs/bar1/0x4; do
		io "truncate ok" truncate "$D/$reg" 0
		io "truncate ok" truncate "$D/$reg" 100
		io "truncate EINVAL" truncate "$D/$reg" -1
		io "ftruncate ok" open "$D/$reg" w t=3
		io "write EINVAL" open "$D/$reg" w,trunc w=+1
		io "write EINVAL" open "$D/$reg" w,append w=-1
	done
	fixture_unchanged
	run stat -c %s "$D/regs/config/COMMAND"
	assert_output 7
	# echo 5 > COMMAND; echo 0x100:0x100 >> COMMAND
	io "write 2" open "$D/regs/config/COMMAND" w,trunc 'w=5\n'
	io "write 12" open "$D/regs/config/COMMAND" w,append 'w=0x100:0x100\n'
	run cat "$D/regs/config/COMMAND"
	assert_output 0x0105
	restore "$(cfg "$E1000")"
	fixture_unchanged
}

@test "register names with signs, whitespace, bad widths or past the end are ENOENT, also for writes" {
	local name
	for name in ' 10' $'\t10' '10 ' $'10\n' '+10' '-10' '0x 10' '0x10 ' \
		'10.' '10.x' '.w' '10.w.w' '4.q' '1.w' '0x1' '0x100' '0xfd.w' \
		'0x10000000000000010' '0xfffffffffffffffc' 'COMMAND+1' \
		'COMMAND+ 2' 'COMMAND+-2' 'COMMAND+0x' 'COMMAND+0x100000000' \
		'CAP_PM' 'COMAND' 'COMMAND ' ' COMMAND'; do
		io "open ENOENT" open "$D/regs/config/$name" r
		io "open ENOENT" open "$D/regs/config/$name" w,creat w=1
	done
	for name in ' 8' '+8' '-8' '0x1' '0x20000.b' '0x1fffc.q' \
		'0xfffffffffffffff8.q' 'STATUS+4' 'STATUS.w' '8.x' ' STATUS'; do
		io "open ENOENT" open "$D/regs/bar0/$name" r
		io "open ENOENT" open "$D/regs/bar0/$name" w,creat w=1
	done
	# No 8-byte port access, no name, nothing past 64 bytes in bar1.
	for name in 0x0.q STATUS 0x40 0x3e.l; do
		io "open ENOENT" open "$D/regs/bar1/$name" w w=1
	done
	# No BAR, no BAR file.
	io "open ENOENT" open "$MNT/$HOSTB/bar0" w w=1
	io "open ENOENT" open "$MNT/$HOSTB/regs/bar0/0x0" w w=1
	io "open ENOENT" open "$D/bar2" w w=1
	for name in " $E1000" "$E1000 " 0000:00:3.0 00:03.0 +0000:00:03.0 \
		0000:00:03.0. 0000:00:03.8; do
		io "open ENOENT" open "$MNT/$name/info" r
		io "open ENOENT" open "$MNT/$name/config" w w=1
	done
	fixture_unchanged
}

# --- info ---------------------------------------------------------------------

@test "info: every write, truncate and O_TRUNC is EACCES; reads at odd offsets" {
	local text flags
	text=$(cat "$D/info")
	for flags in w rw w,append w,trunc r,trunc rw,trunc w,creat; do
		io "open EACCES" open "$D/info" "$flags" w=x
	done
	io "truncate EACCES" truncate "$D/info" 0
	io "truncate EACCES" truncate "$D/info" 5
	io "ftruncate EINVAL" open "$D/info" r t=0
	io "write EBADF" open "$D/info" r w=x
	io "read 0" open "$D/info" r r@8192=10
	io "read 0" open "$D/info" r r@1099511627776=10
	io "read EINVAL" open "$D/info" r r@-1=10
	# "slot: 0000:00:03.0": 4 bytes at offset 6 are "0000".
	io "read 4 30303030" open "$D/info" r r@6=4
	io "read 0" open "$D/info" r r=0
	assert_equal "$(cat "$D/info")" "$text"
	fixture_unchanged
}

# --- config -------------------------------------------------------------------

@test "config: writes at or past the end are ENOSPC, across it short; O_APPEND is ENOSPC" {
	io "write ENOSPC" open "$D/config" w w@256=x
	io "write ENOSPC" open "$D/config" w w@4096=abcd
	io "write ENOSPC" open "$D/config" w w@4611686018427387904=ab
	io "write EINVAL" open "$D/config" w w@-1=ab
	io "write ENOSPC" open "$D/config" w,append w=ab
	io "write ENOSPC" open "$D/config" rw,append w=ab
	io "write 0" open "$D/config" w w@0=
	io "read 0" open "$D/config" r r@256=4
	io "read 0" open "$D/config" r r@1099511627776=4
	fixture_unchanged
	# Across the end, only what fits: one byte of two.
	io "write 1" open "$D/config" w 'w@255=\xab\xcd'
	assert_equal "$(hexbytes "$(cfg "$E1000")" 255 1)" ab
	assert_equal "$(stat -c %s "$(cfg "$E1000")")" 256
	restore "$(cfg "$E1000")"
	fixture_unchanged
}

@test "config: a 1 MiB write stores the first 256 bytes and the file does not grow" {
	io "write 256" open "$D/config" w f=1048576:41
	assert_equal "$(stat -c %s "$(cfg "$E1000")")" 256
	assert_equal "$(xxd -p "$(cfg "$E1000")" | tr -d '\n')" \
		"$(printf '41%.0s' {1..256})"
	restore "$(cfg "$E1000")"
	run stat -c %s "$D/config"
	assert_output 256
	fixture_unchanged
}

@test "config and bar files: truncate and O_TRUNC change nothing, then O_APPEND is still ENOSPC" {
	local f
	for f in config bar0 bar1; do
		io "truncate ok" truncate "$D/$f" 0
		io "truncate ok" truncate "$D/$f" 3
		io "truncate ok" truncate "$D/$f" 1099511627776
		io "truncate EINVAL" truncate "$D/$f" -1
		io "ftruncate ok" open "$D/$f" w t=0
		# echo > config, then echo >> config: the end is where it was.
		io "" open "$D/$f" w,trunc
		io "write ENOSPC" open "$D/$f" w,append w=abcd
	done
	run stat -c %s "$D/config" "$D/bar0" "$D/bar1"
	assert_output "$(printf '256\n%s\n%s' $BAR0 $BAR1)"
	fixture_unchanged
}

# --- BAR files ----------------------------------------------------------------

@test "bar0 (memory): odd offsets and sizes are EINVAL, across the end too; past it ENOSPC or EOF" {
	local off size
	for off in 1 2 3 5 6 7 $((BAR0 - 1)) $((BAR0 - 2)) $((BAR0 - 6)); do
		io "write EINVAL" open "$D/bar0" w "f@$off=4:ee"
		io "write EINVAL" open "$D/bar0" w "f@$off=8:ee"
		io "read EINVAL" open "$D/bar0" r "r@$off=4"
	done
	for size in 3 5 6 7 9 10 11 13 1023 131071 131073; do
		io "write EINVAL" open "$D/bar0" w "f@0=$size:ee"
		io "read EINVAL" open "$D/bar0" r "r@0=$size"
	done
	# An aligned access that runs past the end is cut there; the cut
	# must not turn an unaligned access into an aligned shorter one.
	io "write EINVAL" open "$D/bar0" w "f@$((BAR0 - 2))=4:ee"
	io "write EINVAL" open "$D/bar0" w "f@$((BAR0 - 4))=8:ee"
	io "read EINVAL" open "$D/bar0" r "r@$((BAR0 - 2))=4"
	io "write ENOSPC" open "$D/bar0" w "f@$BAR0=4:ee"
	io "write ENOSPC" open "$D/bar0" w "f@4611686018427387904=4:ee"
	io "write EINVAL" open "$D/bar0" w "f@-4=4:ee"
	io "write ENOSPC" open "$D/bar0" w,append f=4:ee
	io "read 0" open "$D/bar0" r "r@$BAR0=4"
	io "write 0" open "$D/bar0" w w@0=
	io "read 0" open "$D/bar0" r r@0=0
	fixture_unchanged
}

@test "bar0 (memory): a 1 MiB write fills the BAR and stops at its end" {
	io "write $BAR0" open "$D/bar0" w f=1048576:41
	assert_equal "$(stat -c %s "$(res 0)")" $BAR0
	assert_equal "$(tr -d A <"$(res 0)" | wc -c)" 0
	restore "$(res 0)"
	fixture_unchanged
}

@test "bar1 (I/O): odd offsets and sizes, and across the end, are EINVAL; 8 bytes are two dwords" {
	local off
	for off in 1 2 3 5 6 7 62 63; do
		io "write EINVAL" open "$D/bar1" w "f@$off=4:ee"
		io "read EINVAL" open "$D/bar1" r "r@$off=4"
	done
	io "write EINVAL" open "$D/bar1" w "f@0=3:ee"
	io "write EINVAL" open "$D/bar1" w "f@2=8:ee"
	io "write ENOSPC" open "$D/bar1" w "f@64=4:ee"
	io "write ENOSPC" open "$D/bar1" w,append f=4:ee
	io "read 0" open "$D/bar1" r r@64=4
	fixture_unchanged
	io "write 8" open "$D/bar1" w f@8=8:ee
	assert_equal "$(hexbytes "$(res 1)" 8 8)" eeeeeeeeeeeeeeee
	# Two dwords cut at the end, as any longer run is.
	io "write 4" open "$D/bar1" w f@60=8:dd
	assert_equal "$(hexbytes "$(res 1)" 56 8)" \
		"$(hexbytes "$BATS_TEST_TMPDIR/before/devices/$E1000/resource1" 56 4)dddddddd"
	io "write $BAR1" open "$D/bar1" w f=1048576:41
	assert_equal "$(tr -d A <"$(res 1)" | wc -c)" 0
	restore "$(res 1)"
	fixture_unchanged
}

# --- directories and links ----------------------------------------------------

@test "directories: read as a file or opened for writing is EISDIR, listing works" {
	local dir flags
	for dir in "$MNT" "$D" "$D/regs" "$D/regs/config" "$D/regs/bar0" \
		"$D/regs/bar1" "$MNT/by-id" "$MNT/by-id/8086:100e" \
		"$MNT/by-class" "$MNT/by-class/Ethernet_controller"; do
		io "read EISDIR" open "$dir" r r=10
		for flags in w rw w,append w,trunc w,creat; do
			io "open EISDIR" open "$dir" "$flags"
		done
		io "truncate EISDIR" truncate "$dir" 0
		io "readlink EINVAL" readlink "$dir"
		run -0 "$BADIO" open "$dir" r,directory d
		assert_line --regexp '^getdents [1-9][0-9]*$'
	done
	io "open ENOTDIR" open "$D/info" r,directory
	io "open ENOTDIR" open "$D/info/x" r
	fixture_unchanged
}

@test "by-id and by-class links: writes through them reach the directory, EISDIR; O_NOFOLLOW is ELOOP" {
	local link
	for link in "$MNT/by-id/8086:100e/$E1000" \
		"$MNT/by-class/Ethernet_controller/$E1000"; do
		io "readlink 18" readlink "$link"
		io "read EISDIR" open "$link" r r=1
		io "open EISDIR" open "$link" w w=1
		io "open EISDIR" open "$link" w,trunc
		io "truncate EISDIR" truncate "$link" 0
		io "open ELOOP" open "$link" r,nofollow
		io "open ELOOP" open "$link" w,nofollow
		io "write EINVAL" open "$link/regs/config/COMMAND" w w=+1
	done
	io "readlink EINVAL" readlink "$D/info"
	io "open ENOENT" open "$MNT/by-id/8086:100e/$BOUND" r
	io "open ENOENT" open "$MNT/by-id/8086:ffff" r
	fixture_unchanged
}

# --- the tree -----------------------------------------------------------------

@test "tree changes are EPERM (or what the kernel says first), never ENOSYS" {
	local l=$MNT/by-id/8086:100e/$E1000 listing
	listing=$(ls "$D")
	# Each: expected answer, then the call.
	local calls=(
		"mkdir EPERM|mkdir $D/new" "mkdir EPERM|mkdir $MNT/0000:00:07.0"
		"mkdir EPERM|mkdir $MNT/by-id/new" "mkdir EPERM|mkdir $D/regs/config/X"
		"mkdir EEXIST|mkdir $D/regs" "mkdir ENOENT|mkdir $D/nodir/new"
		"rmdir EPERM|rmdir $D/regs" "rmdir EPERM|rmdir $D"
		"rmdir EPERM|rmdir $MNT/by-class" "rmdir ENOTDIR|rmdir $D/info"
		"rmdir ENOENT|rmdir $D/new"
		"unlink EPERM|unlink $D/info" "unlink EPERM|unlink $D/config"
		"unlink EPERM|unlink $D/bar0" "unlink EPERM|unlink $l"
		"unlink EPERM|unlink $D/regs/config/COMMAND"
		"unlink EPERM|unlink $D/regs/config/0x4.w"
		"unlink EISDIR|unlink $D" "unlink ENOENT|unlink $D/nothere"
		"mknod EEXIST|mknod $D/info" "mknod ENOENT|mknod $D/node"
		"rename EPERM|rename $D/info $D/info2"
		"rename EPERM|rename $D/info $D/config"
		"rename EPERM|rename $D/regs $D/regs2"
		"rename EPERM|rename $D $MNT/0000:00:07.0"
		"rename EPERM|rename $l $MNT/by-id/x"
		"rename ENOENT|rename $D/nothere $D/x"
		"rename EXDEV|rename $D/info $BATS_TEST_TMPDIR/x"
		"rename EXDEV|rename $FIX/devices/$E1000/vendor $D/vendor"
		"exchange EPERM|exchange $D/info $D/config"
		"link EPERM|link $D/info $D/info3" "link EPERM|link $l $MNT/by-id/y"
		"link EXDEV|link $D/info $BATS_TEST_TMPDIR/y"
		"symlink EPERM|symlink x $D/sl" "symlink EEXIST|symlink x $D/info"
		"symlink EPERM|symlink ../../$E1000 $MNT/by-id/8086:100e/0000:00:09.0"
		"chmod EPERM|chmod $D/info 666" "chmod EPERM|chmod $D 777"
		"chmod EPERM|chmod $D/regs/config/COMMAND 600"
		"chown EPERM|chown $D/config 1" "chown EPERM|chown $l 1"
		"setxattr EOPNOTSUPP|setxattr $D/config user.pcifs 1"
		"tmpfile EOPNOTSUPP|tmpfile $D"
	) call
	for call in "${calls[@]}"; do
		# shellcheck disable=SC2086 # the call's words
		io "${call%%|*}" ${call#*|}
	done
	run ls "$D"
	assert_output "$listing"
	assert_line bar0
	assert_line regs
	fixture_unchanged
}

@test "creating names: O_CREAT of a missing name is ENOENT, O_EXCL of a file EEXIST; fallocate EOPNOTSUPP" {
	io "open ENOENT" open "$D/newfile" w,creat w=1
	io "open ENOENT" open "$MNT/newfile" rw,creat
	io "open ENOENT" open "$D/regs/config/COMAND" w,creat,trunc w=1
	io "open EEXIST" open "$D/config" w,creat,excl
	io "open EEXIST" open "$D/regs/config/COMMAND" w,creat,excl
	io "open EEXIST" open "$D" r,creat,excl
	io "fallocate EOPNOTSUPP" open "$D/config" w x
	io "fallocate EOPNOTSUPP" open "$D/bar0" w x
	io "utimes ok" utimes "$D/config"
	run ls "$D"
	refute_line newfile
	fixture_unchanged
}

# --- refusals by the safety rules ---------------------------------------------

@test "a driver-bound device: every BAR access and config write is EBUSY, garbage or not" {
	local b=$MNT/$BOUND f flags
	for f in bar0 bar1 regs/bar0/STATUS regs/bar0/0x0 regs/bar1/0x4; do
		for flags in r w rw w,trunc w,append; do
			io "open EBUSY" open "$b/$f" "$flags" w=+1
		done
	done
	for f in config regs/config/COMMAND regs/config/0x4.w; do
		for flags in w rw w,trunc w,append; do
			io "open EBUSY" open "$b/$f" "$flags" w=+1
		done
	done
	io "read 2 0701" open "$b/config" r r@4=2
	io "read 7 3078303130370a" open "$b/regs/config/COMMAND" r r=100
	fixture_unchanged
}

@test "-o ro: every write, truncate, O_TRUNC and tree change is EROFS" {
	local r=$MNTR/$E1000 f flags
	for f in info config bar0 bar1 regs/config/COMMAND regs/bar0/STATUS \
		regs/bar1/0x4; do
		for flags in w rw w,trunc w,append r,trunc; do
			io "open EROFS" open "$r/$f" "$flags" w=1
		done
		io "truncate EROFS" truncate "$r/$f" 0
		io "utimes EROFS" utimes "$r/$f"
		io "chmod EROFS" chmod "$r/$f" 666
	done
	io "mkdir EROFS" mkdir "$r/x"
	io "unlink EROFS" unlink "$r/info"
	io "rmdir EROFS" rmdir "$r/regs"
	io "rename EROFS" rename "$r/info" "$r/x"
	io "symlink EROFS" symlink x "$r/x"
	io "open EROFS" open "$r/newfile" w,creat
	io "open EISDIR" open "$r" w
	io "read 4 86800e10" open "$r/config" r r=4
	fixture_unchanged
}

@test "a bad value or access repeated in a loop is logged a few times, not every time" {
	local i
	for i in $(seq 20); do
		io "write EINVAL" open "$D/regs/config/COMMAND" w w=loop-value
		io "read EINVAL" open "$D/bar0" r r@4=3
	done
	run grep -c "COMMAND write of 'loop-value' refused" "$MNT.log"
	assert_output 5
	run grep -c "bar0 read of 3 bytes at 0x4 refused" "$MNT.log"
	assert_output 5
	fixture_unchanged
}

@test "the daemons lived through it all: ls answers, no sanitizer report" {
	run -0 ls "$MNT" "$MNTR"
	assert_line "$E1000"
	run -0 cat "$D/regs/config/VENDOR_ID"
	assert_output 0x8086
	kill -0 "$(cat "$MNT.pid")"
	kill -0 "$(cat "$MNTR.pid")"
	check_sanitizer_log "$MNT"
	check_sanitizer_log "$MNTR"
	fixture_unchanged
}
