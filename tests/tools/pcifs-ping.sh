#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pcifs-ping.sh - ARP and ICMP echo through a pcifs NIC, in plain sh.
#
#   pcifs-ping.sh NICDIR SRC_IP DST_IP [COUNT]
#
# NICDIR is an e1000 directory of a pcifs mount (it has tx, rx and mac).
# The script resolves DST_IP with an ARP request written to NICDIR/tx, then
# sends COUNT (default 1) ICMP echo requests from SRC_IP and prints each
# reply it reads from NICDIR/rx.  Only printf, xxd, dd and shell arithmetic:
# no compiled helper, so it runs under busybox.  Frames that are not the
# awaited reply are skipped.  Exit status 1 if a reply does not come.
set -eu

nic=$1 src=$2 dst=$3 count=${4:-1}
mac=$(tr -d ':\n' <"$nic/mac")
wait_s=${PCIFS_PING_WAIT:-5} # seconds for each reply

# ip_hex A.B.C.D -> 8 hex digits
ip_hex() {
	echo "$1" | {
		IFS=. read -r a b c d
		printf '%02x%02x%02x%02x' "$a" "$b" "$c" "$d"
	}
}

# send HEX: the frame as one write() to tx.
send() {
	printf '%s' "$1" | xxd -r -p >"$nic/tx"
}

# recv: one frame from rx as hex, or nothing after $wait_s seconds.
recv() {
	timeout "$wait_s" dd if="$nic/rx" bs=2048 count=1 2>/dev/null |
		xxd -p | tr -d '\n'
}

# field HEX OFFSET LEN: LEN bytes at byte OFFSET of a frame, as hex.
field() {
	printf '%s' "$1" | cut -c $(($2 * 2 + 1))-$((($2 + $3) * 2))
}

# csum HEX: the Internet checksum (RFC 1071) of HEX, 4 hex digits.
csum() {
	h=$1 sum=0
	while [ -n "$h" ]; do
		w=$(printf '%s' "$h" | cut -c 1-4)
		h=${h#"$w"}
		[ ${#w} -eq 2 ] && w=${w}00
		sum=$((sum + 0x$w))
	done
	while [ $((sum >> 16)) -ne 0 ]; do
		sum=$(((sum & 0xffff) + (sum >> 16)))
	done
	printf '%04x' $((~sum & 0xffff))
}

# await PREDICATE: read frames until PREDICATE (a function of $frame) holds.
await() {
	tries=0
	while [ $tries -lt 16 ]; do
		frame=$(recv)
		[ -n "$frame" ] || return 1
		"$1" && return 0
		tries=$((tries + 1))
	done
	return 1
}

src_hex=$(ip_hex "$src")
dst_hex=$(ip_hex "$dst")

# RFC 826: who-has DST_IP tell SRC_IP, to the broadcast address.
is_arp_reply() {
	[ "$(field "$frame" 12 2)" = 0806 ] &&
		[ "$(field "$frame" 20 2)" = 0002 ] &&
		[ "$(field "$frame" 28 4)" = "$dst_hex" ]
}
send "ffffffffffff${mac}08060001080006040001${mac}${src_hex}000000000000${dst_hex}"
if ! await is_arp_reply; then
	echo "pcifs-ping: no ARP reply from $dst" >&2
	exit 1
fi
peer=$(field "$frame" 22 6)
echo "arp reply: $dst is at $(echo "$peer" | sed 's/../&:/g; s/:$//')"

# RFC 792 echo request with 56 bytes of data, as ping sends it.
payload=$(printf '%02x' $(seq 0 55) | tr -d '\n')
is_echo_reply() {
	[ "$(field "$frame" 12 2)" = 0800 ] &&
		[ "$(field "$frame" 23 1)" = 01 ] &&
		[ "$(field "$frame" 26 4)" = "$dst_hex" ] &&
		[ "$(field "$frame" 34 1)" = 00 ] &&
		[ "$(field "$frame" 38 4)" = "$icmp_idseq" ]
}
seq_no=1
while [ $seq_no -le "$count" ]; do
	icmp_idseq=$(printf '5063%04x' "$seq_no") # identifier 0x5063
	icmp="0800$(csum "0800${icmp_idseq}${payload}")${icmp_idseq}${payload}"
	iph="45000054$(printf '%04x' "$seq_no")40004001"
	iph="${iph}$(csum "${iph}0000${src_hex}${dst_hex}")${src_hex}${dst_hex}"
	send "${peer}${mac}0800${iph}${icmp}"
	if ! await is_echo_reply; then
		echo "pcifs-ping: no echo reply from $dst (seq $seq_no)" >&2
		exit 1
	fi
	echo "icmp echo reply from $dst: seq=$seq_no ttl=$((0x$(field "$frame" 22 1))) bytes=$((${#frame} / 2 - 34))"
	seq_no=$((seq_no + 1))
done
