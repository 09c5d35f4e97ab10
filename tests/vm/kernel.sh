#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Ensure a Debian kernel (vmlinuz + modules) is cached in tests/vm/cache/.
#
# Usage: tests/vm/kernel.sh
#   Prints the kernel release (e.g. 6.1.0-56-amd64) on stdout. Files:
#     tests/vm/cache/kernel/boot/vmlinuz-<release>
#     tests/vm/cache/kernel/lib/modules/<release>/   (indexed by depmod -b)
#     tests/vm/cache/kernel/release                 (the release string)
#
# The package is the one linux-image-amd64 depends on (apt-cache depends),
# fetched with apt-get download and unpacked with dpkg-deb -x: nothing is
# installed on the host. Idempotent: when the cache is complete it only
# prints the release. Set PCIFS_KERNEL_PKG to force a package name.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${PCIFS_VM_CACHE:-$here/cache}
kdir=$cache/kernel

# Fast path: a complete cache (release file written last).
if [ -s "$kdir/release" ]; then
	rel=$(cat "$kdir/release")
	if [ -f "$kdir/boot/vmlinuz-$rel" ] &&
		[ -f "$kdir/lib/modules/$rel/modules.dep" ]; then
		echo "$rel"
		exit 0
	fi
fi

log() { echo "kernel.sh: $*" >&2; }

# Which linux-image-<release> does the metapackage point to?
resolve_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1
}

pkg=${PCIFS_KERNEL_PKG:-$(resolve_pkg)}
if [ -z "$pkg" ]; then
	log "no linux-image-amd64 in the apt cache; running apt-get update"
	apt-get update -q >&2
	pkg=$(resolve_pkg)
fi
[ -n "$pkg" ] || { log "cannot resolve linux-image-amd64's kernel package"; exit 1; }

mkdir -p "$cache/debs"
deb=$(find "$cache/debs" -name "${pkg}_*.deb" | head -n1)
if [ -z "$deb" ]; then
	log "downloading $pkg"
	# apt-get download writes into the current directory; as root it
	# warns about the _apt sandbox, which is harmless here.
	(cd "$cache/debs" && apt-get download -q "$pkg" >&2) || {
		log "apt-get download failed; retrying after apt-get update"
		apt-get update -q >&2
		(cd "$cache/debs" && apt-get download -q "$pkg" >&2)
	}
	deb=$(find "$cache/debs" -name "${pkg}_*.deb" | head -n1)
fi
[ -n "$deb" ] || { log "download of $pkg failed"; exit 1; }

log "extracting $(basename "$deb")"
rm -rf "$kdir.tmp"
mkdir -p "$kdir.tmp"
dpkg-deb -x "$deb" "$kdir.tmp"
rel=$(ls "$kdir.tmp/lib/modules")
[ -f "$kdir.tmp/boot/vmlinuz-$rel" ] || { log "no vmlinuz-$rel in $deb"; exit 1; }
depmod -b "$kdir.tmp" "$rel"
echo "$rel" >"$kdir.tmp/release"
rm -rf "$kdir"
mv "$kdir.tmp" "$kdir"
echo "$rel"
