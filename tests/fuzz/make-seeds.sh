#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-seeds.sh - write the seed corpus of each fuzzer, tests/fuzz/corpus/:
#   tests/fuzz/make-seeds.sh
# Seeds are real inputs: config dumps of the captured fixtures, setpci's
# register names, the devices= lists and MACs the suites use, and batch
# records of the ARP frames the e1000 suites see on the wire.  The corpus
# is committed; rerun this after the fixtures change.  Regression inputs
# (what a fuzzer once found) are kept beside the seeds as regress-*.
set -euo pipefail
cd "$(dirname "$0")"
CORPUS=$PWD/corpus
fix=$(mktemp -d)
trap 'rm -rf "$fix"' EXIT
../fixtures/make-fixtures.sh "$fix" >/dev/null

config() { # SET BDF: the config file of a fixture device
	cat "$fix/$1/devices/$2/config"
}

seed() { # TARGET NAME: stdin becomes corpus/TARGET/NAME
	mkdir -p "$CORPUS/$1"
	cat >"$CORPUS/$1/$2"
}

find "$CORPUS" -name 'seed-*' -delete 2>/dev/null || true

# Config space of an endpoint with extended capabilities, a root port, a
# PCI-PCI bridge, virtio, a multi-function SATA controller, an e1000
# without capabilities, and a 64-byte read (a user without CAP_SYS_ADMIN).
devices="qemu-q35/0000:01:00.0 qemu-q35/0000:00:03.0 qemu-q35/0000:00:04.0
host/0000:00:01.0 qemu-q35/0000:00:1f.2 qemu-pc/0000:00:03.0"
for d in $devices; do
	config "${d%%/*}" "${d#*/}" | seed caps "seed-${d//[\/:.]/_}"
done
config qemu-q35 0000:01:00.0 | head -c 64 | seed caps seed-82574l-64-bytes

regname() { # NAME SET BDF
	{ printf '%s\0' "$1"; config "$2" "$3"; } |
		seed regname "seed-${1//[^A-Za-z0-9_]/_}-${3//[:.]/_}"
}
regname COMMAND qemu-q35 0000:01:00.0
regname CAP_EXP+10.w qemu-q35 0000:01:00.0
regname ECAP_AER+4 qemu-q35 0000:01:00.0
regname ECAP_ACS qemu-q35 0000:00:03.0
regname PRIMARY_BUS qemu-q35 0000:00:04.0
regname CAP_VNDR+4 host 0000:00:01.0
regname BASE_ADDRESS_5.b qemu-q35 0000:00:1f.2
regname ff.b qemu-pc 0000:00:03.0
regname 3818.l qemu-pc 0000:00:03.0
{ printf 'CAP_PM\0'; config qemu-q35 0000:01:00.0 | head -c 64; } |
	seed regname seed-CAP_PM-64-bytes

# A width letter (b w l q), then what is written to a register file.
printf 'w0x0004:0x0004\n' | seed regval seed-command-bus-master
printf 'w0x0107\n' | seed regval seed-command
printf 'b7' | seed regval seed-byte
printf 'lfe4a0000' | seed regval seed-bar
printf 'qffffffffffffffff:ff00ff00ff00ff00\n' | seed regval seed-quad

printf '0000:00:03.0' | seed bdf seed-full
printf '00:03.0' | seed bdf seed-short
printf '00:03.0:0000:00:05.0' | seed bdf seed-list
printf 'ffff:ff:1f.7' | seed bdf seed-max

printf '52:54:00:12:34:56' | seed ethaddr seed-qemu
printf '02:AB:cd:EF:00:ff' | seed ethaddr seed-mixed-case

# Records (4-byte big-endian length, frame) of the guest's ARP request for
# 10.0.2.2 and the reply (tests/e1000-net.bats), after a count of cuts and
# the 2-byte sizes of the writes that cut the stream.
request=ffffffffffff525400123456080600010800060400015254001234560a00020f0000000000000a000202
reply=52540012345652550a0002020806000108000604000252550a0002020a0002025254001234560a00020f
records="0000002a${request}0000002a${reply}"
printf '00%s' "$records" | xxd -r -p | seed record seed-two-records-one-write
printf '030003002e0001%s' "$records" | xxd -r -p | seed record seed-two-records-cut-three-times
printf '01002c%s0000' "$records" | xxd -r -p | seed record seed-cut-in-a-frame-and-a-header

# pcap streams of the same two frames: a first byte (low four bits: cuts;
# high four bits: the frame whose send fails once, f for none), the 2-byte
# write sizes, then the stream.  Little-endian microseconds as libpcap
# writes them here, big-endian nanoseconds, and a third record that
# holds 60 bytes of a 1514-byte frame (refused).
le_hdr=d4c3b2a1020004000000000000000000ffff000001000000
le_rec() { printf '00f1536540e20100%s%s%s' "$2" "$2" "$1"; }
be_hdr=a1b23c4d0002000400000000000000000000ffff00000001
be_rec() { printf '6553f100075bcd15%s%s%s' "$2" "$2" "$1"; }
le=$le_hdr$(le_rec "$request" 2a000000)$(le_rec "$reply" 2a000000)
be=$be_hdr$(be_rec "$request" 0000002a)$(be_rec "$reply" 0000002a)
printf 'f0%s' "$le" | xxd -r -p | seed pcap seed-le-usec-one-write
printf 'f3000a0020003a%s' "$le" | xxd -r -p | seed pcap seed-le-usec-cut-three-times
printf '12001f0030%s' "$be" | xxd -r -p | seed pcap seed-be-nsec-cut-send-fails
printf 'f1002a%s00f1536540e201003c000000ea050000%s' "$le" "$request" |
	xxd -r -p | seed pcap seed-le-cut-frame-refused
