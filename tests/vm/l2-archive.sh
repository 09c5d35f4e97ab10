# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# l2-archive.sh - the steps shared by the L2 initramfs builders that append
# to tests/vm/9p-nested-l2.sh's archive (netdev-l2.sh, 9p-load-l2.sh,
# bypass-l2.sh).  Sourced once they have set $here (tests/vm); sets cache,
# rel (the kernel release) and base (the archive appended to).
cache=${PCIFS_VM_CACHE:-$here/cache}
rel=$("$here/kernel.sh")
base=$("$here/9p-nested-l2.sh")

# l2_begin KIND [FILE...]: out, the archive to build, is
# $cache/9p-nested/KIND-STAMP.cpio, STAMP hashing the builder, this file,
# the base archive and FILE...; if it is there already, print it and exit.
# Else make stage, the directory to fill (removed at exit).
l2_begin() {
	local stamp kind=$1
	shift
	stamp=$(cat "$0" "${BASH_SOURCE[0]}" "$base" "$@" | sha256sum | cut -c1-16)
	out=$cache/9p-nested/$kind-$stamp.cpio
	if [ -s "$out" ]; then
		echo "$out"
		exit 0
	fi
	stage=$(mktemp -d "$cache/9p-nested/stage.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
}

# l2_modules STAGE MODULE...: the modules with their dependencies, in load
# order, copied to STAGE/, and STAGE/modules naming them for /init's insmod.
l2_modules() {
	local stage=$1 m
	shift
	for m in "$@"; do
		modprobe -d "$cache/kernel" -S "$rel" --show-depends "$m"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' >"$stage/ko.list"
	xargs cp -t "$stage" <"$stage/ko.list"
	sed 's|.*/|/|' "$stage/ko.list" >"$stage/modules"
	rm "$stage/ko.list"
}

# l2_append BASE STAGE OUT: OUT is BASE with STAGE appended as a second
# archive (the kernel unpacks both in order; a later file replaces an
# earlier one); older archives of OUT's kind (its name before the stamp)
# are removed.  Prints OUT.
l2_append() {
	local base=$1 stage=$2 out=$3 kind
	kind=$(basename "$out" | sed 's/-[0-9a-f]*\.cpio$//')
	{
		cat "$base"
		(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
			cpio --null -o -H newc --quiet -R 0:0)
	} >"$out.tmp.$$"
	mv "$out.tmp.$$" "$out"
	find "$(dirname "$out")" -name "$kind-*.cpio" ! -path "$out" -delete
	echo "$out"
}
