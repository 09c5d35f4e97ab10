#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The e1000 driver on QEMU's emulated NIC ($PCIFS_NIC, default e1000):
# frames written to tx in the guest are checked where they cross the wire,
# on the host end of a "-netdev dgram" UDP socket, and frames injected there
# must come out of rx.  One guest boot for the whole file.

bats_require_minimum_version 1.5.0

load test_helper/common-setup
load test_helper/vm
load test_helper/e1000

BDF=0000:00:03.0
NIC=/mnt/pcifs/0000:00:03.0

setup_file() {
	vm_nic dgram 3
	e1000_boot
	guest_mount
}

teardown_file() {
	e1000_teardown_file
}

# A test that failed before vm_wire_wait leaves its receiver bound.
teardown() {
	vm_wire_cleanup
}

setup() {
	GUEST_MAC=$(mac_hex "$(vm_mac 3)")
	OTHER=020000000001 # a locally administered peer on the wire
}

# send_and_capture FILE COUNT: the guest writes FILE's hex frames to tx, one
# write each; the host end of the wire records COUNT frames into $OUT.
send_and_capture() {
	OUT=$BATS_TEST_TMPDIR/wire.hex
	cp "$1" "$(share_file frames.hex)"
	vm_wire_recv 3 "$OUT" -n "$2" -t 10000
	vm_run "fq send $NIC/tx </mnt/host/frames.hex"
	vm_wire_wait "$OUT"
}

@test "the driver engages: queue files exist and info says so" {
	run -0 vm_run "ls $NIC"
	for f in tx rx mac link promisc stats txbatch rxbatch pcap; do
		assert_line "$f"
	done
	run -0 vm_run "cat $NIC/info"
	assert_output --regexp "pcifs_driver: $NIC_FAMILY $NIC_PART_RE, driving"
	# How the rings reach the NIC: through the IOMMU on the VFIO path.
	if [ "${PCIFS_VFIO:-}" = 1 ]; then
		assert_line --regexp '^dma: vfio \(iommu group [0-9]+\)$'
		assert_line "driver: vfio-pci"
	else
		assert_line --regexp '^dma: (mlocked|hugetlbfs) pages, physical addresses \(pagemap\)$'
	fi
}

@test "while driven, BAR0 names without side effects read; ICR, raw bar0, the I/O window and writes are EBUSY" {
	run -0 vm_run "cat $NIC/regs/bar0/STATUS"
	assert_output --regexp '^0x[0-9a-f]{8}$'
	# bar1 is the 8254x's I/O window: IOADDR/IODATA reach every BAR0
	# register (SDM 13.2.2), the clear-on-read ones too.
	run -0 vm_run "ls $NIC/regs/bar1/ >/dev/null && echo has-bar1
		cat $NIC/regs/bar0/ICR || echo icr-refused
		dd if=$NIC/bar0 bs=4 count=1 >/dev/null || echo bar0-refused
		cat $NIC/regs/bar1/0x4 || echo bar1-refused
		echo 0x0 > $NIC/regs/bar1/0x0 || echo bar1-write-refused
		echo 0x0 > $NIC/regs/bar0/STATUS || echo write-refused"
	assert_line has-bar1
	assert_line icr-refused
	assert_line bar0-refused
	assert_line bar1-refused
	assert_line bar1-write-refused
	assert_line write-refused
}

@test "regs/bar0 lists the family's datasheet names: the 82574L's own, or the 8254x's" {
	run -0 vm_run "ls $NIC/regs/bar0/"
	assert_line STATUS
	assert_line RCTL
	if [ "$NIC_FAMILY" = e1000e ]; then
		for r in CTRL_EXT GCR GCR2 IVAR RFCTL EIAC IAM TARC0 EITR0 PSRCTL; do
			assert_line "$r"
		done
		refute_line TXCW # copper only: no SerDes words
		refute_line TXDMAC
	else
		assert_line TXCW
		refute_line IVAR
		refute_line GCR
	fi
}

# rd32 REG: the register as a number, through its regs/bar0 file.
rd32() { echo $(($(vm_run "cat $NIC/regs/bar0/$1"))); }

@test "the 82574L while driven: DRV_LOAD set, legacy descriptors, TARC0 bit 10 kept, flash, I/O window and MSI-X BARs refused" {
	[ "$NIC_FAMILY" = e1000e ] || skip "82574L only"
	# 82574 10.2.2.5: CTRL_EXT.DRV_LOAD (bit 28) while a driver has it.
	(($(rd32 CTRL_EXT) & 1 << 28))
	# RFCTL.EXTEN (bit 15) clear: QEMU then uses legacy RX descriptors.
	((!($(rd32 RFCTL) & 1 << 15)))
	# TARC0 bit 10: without it the 82574 does not transmit.
	(($(rd32 TARC0) & 1 << 10))
	# GCR bit 22 as Linux sets it; no interrupt auto-clear (EIAC 0).
	(($(rd32 GCR) & 1 << 22))
	assert_equal "$(rd32 EIAC)" 0
	run -0 vm_run "for b in 1 2 3; do cat $NIC/regs/bar\$b/0x0 2>/dev/null || echo bar\$b-refused; done"
	assert_line bar1-refused
	assert_line bar2-refused
	assert_line bar3-refused
}

@test "the 82574L after unmount: DRV_LOAD clear, RX and TX off, bus mastering off" {
	[ "$NIC_FAMILY" = e1000e ] || skip "82574L only"
	[ "${PCIFS_VFIO:-}" != 1 ] || skip "vfio-pci holds BAR0: devmem cannot read it"
	guest_umount
	run -0 vm_run "bar0=\$(head -1 /sys/bus/pci/devices/$BDF/resource | cut -d' ' -f1)
		devmem \$((bar0 + 0x18)) 32"
	local ctrl_ext=$output state
	state=$(e1000_state $BDF)
	guest_mount # again, for the tests that follow
	((!(ctrl_ext & 1 << 28)))
	assert_equal "$state" "rctl_en=0 tctl_en=0 bus_master=0"
}

@test "mac is the NIC's address and link is up at 1000 full duplex" {
	run -0 vm_run "cat $NIC/mac"
	assert_output "$(vm_mac 3)"
	run -0 vm_run "cat $NIC/link"
	assert_output "up 1000 full"
}

@test "a frame written to tx crosses the wire byte-identical" {
	frame_hex "$OTHER" "$GUEST_MAC" 100 >"$BATS_TEST_TMPDIR/f.hex"
	send_and_capture "$BATS_TEST_TMPDIR/f.hex" 1
	assert_equal "$(cat "$OUT")" "$(cat "$BATS_TEST_TMPDIR/f.hex")"
}

@test "a maximum-size frame (1514 bytes) crosses the wire byte-identical" {
	frame_hex "$OTHER" "$GUEST_MAC" 1514 >"$BATS_TEST_TMPDIR/f.hex"
	send_and_capture "$BATS_TEST_TMPDIR/f.hex" 1
	assert_equal "$(cat "$OUT")" "$(cat "$BATS_TEST_TMPDIR/f.hex")"
	assert_equal "$(($(wc -L <"$OUT") / 2))" 1514
}

@test "a minimum-size frame (14 bytes) crosses the wire, padded with zeros" {
	local sent got
	frame_hex "$OTHER" "$GUEST_MAC" 14 >"$BATS_TEST_TMPDIR/f.hex"
	send_and_capture "$BATS_TEST_TMPDIR/f.hex" 1
	sent=$(cat "$BATS_TEST_TMPDIR/f.hex")
	got=$(cat "$OUT")
	# The header arrives intact; anything after it is the NIC's padding.
	assert_equal "${got:0:28}" "$sent"
	[[ "${got:28}" =~ ^(00)*$ ]]
}

@test "a burst of 1000 frames crosses the wire complete, in order, byte-identical" {
	local i
	for i in $(seq 1000); do
		# A sequence number right after the header makes order visible.
		printf '%s%s88b5%08x%s\n' "$OTHER" "$GUEST_MAC" "$i" \
			"$(od -An -v -tx1 -N 46 /dev/urandom | tr -d ' \n')"
	done >"$BATS_TEST_TMPDIR/burst.hex"
	send_and_capture "$BATS_TEST_TMPDIR/burst.hex" 1000
	assert_equal "$(wc -l <"$OUT")" 1000
	run cmp "$OUT" "$BATS_TEST_TMPDIR/burst.hex"
	assert_success
}

@test "tx refuses frames shorter than 14 or longer than 1514 bytes with EINVAL" {
	local before
	before=$(guest_stat $BDF tx_packets)
	run -1 vm_run "echo 0102030405060708090a0b0c0d | fq send $NIC/tx"
	assert_output --partial "EINVAL"
	frame_hex "$OTHER" "$GUEST_MAC" 1515 >"$(share_file big.hex)"
	run -1 vm_run "fq send $NIC/tx </mnt/host/big.hex"
	assert_output --partial "EINVAL"
	assert_equal "$(guest_stat $BDF tx_packets)" "$before"
}

@test "frames injected on the wire come out of rx byte-identical and in order" {
	local i
	for i in $(seq 100); do
		# Sizes from 60 to 1514: no padding, so rx must give them back as sent.
		frame_hex "$GUEST_MAC" "$OTHER" $((60 + (i * 97) % 1455))
	done >"$BATS_TEST_TMPDIR/in.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/in.hex"
	run -0 vm_run -t 60 "fq recv $NIC/rx -n 100 -p 10000"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/in.hex")"
}

@test "rx accepts broadcast and drops unicast for another station unless promisc" {
	frame_hex ffffffffffff "$OTHER" 60 >"$BATS_TEST_TMPDIR/bc.hex"
	frame_hex 020000000099 "$OTHER" 60 >"$BATS_TEST_TMPDIR/uc.hex"
	run -0 vm_run "cat $NIC/promisc"
	assert_output 0
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/uc.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/bc.hex"
	run -0 vm_run "fq recv $NIC/rx -p 10000"
	assert_output "$(cat "$BATS_TEST_TMPDIR/bc.hex")"
	run -0 vm_run "echo 1 > $NIC/promisc && cat $NIC/promisc"
	assert_output 1
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/uc.hex"
	run -0 vm_run "fq recv $NIC/rx -p 10000"
	assert_output "$(cat "$BATS_TEST_TMPDIR/uc.hex")"
	vm_run "echo 0 > $NIC/promisc"
	run -1 vm_run "echo 2 > $NIC/promisc"
}

@test "writing mac moves the receive address filter" {
	local new=020000abcdef
	frame_hex "$new" "$OTHER" 80 >"$BATS_TEST_TMPDIR/new.hex"
	frame_hex "$GUEST_MAC" "$OTHER" 80 >"$BATS_TEST_TMPDIR/old.hex"
	run -0 vm_run "echo 02:00:00:ab:cd:ef > $NIC/mac && cat $NIC/mac"
	assert_output 02:00:00:ab:cd:ef
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/old.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/new.hex"
	run -0 vm_run "fq recv $NIC/rx -p 10000"
	assert_output "$(cat "$BATS_TEST_TMPDIR/new.hex")"
	run -0 vm_run "echo $(vm_mac 3) > $NIC/mac"
	run -1 vm_run "echo 01:00:5e:00:00:01 > $NIC/mac" # multicast
	run -1 vm_run "echo 52:54:00:12:34 > $NIC/mac"
	run -0 vm_run "cat $NIC/mac"
	assert_output "$(vm_mac 3)"
}

@test "rx with O_NONBLOCK and nothing queued fails with EAGAIN; poll() sees frames" {
	run -11 vm_run "fq recv $NIC/rx -N"
	assert_output --partial "EAGAIN"
	run -0 vm_run "fq poll $NIC/rx 200"
	assert_output none
	frame_hex "$GUEST_MAC" "$OTHER" 64 >"$BATS_TEST_TMPDIR/p.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/p.hex"
	run -0 vm_run "fq poll $NIC/rx 10000"
	assert_output in
	run -0 vm_run "fq recv $NIC/rx -N"
	assert_output "$(cat "$BATS_TEST_TMPDIR/p.hex")"
}

# epoll_bg STEPS...: run fq epoll on rx in the guest's background, its
# output to /tmp/ep.out; epoll_lines N: wait (up to 20 s) until it has
# printed N lines; epoll_out: wait for it to end and print its output.
epoll_bg() {
	vm_run "rm -f /tmp/ep.out; (fq epoll $* >/tmp/ep.out 2>&1; echo exit \$? >>/tmp/ep.out) &"
}
epoll_lines() {
	local i
	for i in $(seq 100); do
		[ "$(vm_run "wc -l </tmp/ep.out")" -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
epoll_out() {
	epoll_lines "$1"
	vm_run "cat /tmp/ep.out"
}

@test "epoll, level-triggered: rx is readable while a frame is queued, until it is read" {
	frame_hex "$GUEST_MAC" "$OTHER" 64 >"$BATS_TEST_TMPDIR/p.hex"
	epoll_bg "$NIC/rx w:300 w:20000 w:300 r w:300"
	epoll_lines 1 # "none": nothing came yet
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/p.hex"
	run epoll_out 6
	assert_output "$(printf '%s\n' none in in frame none 'exit 0')"
}

@test "epoll, edge-triggered: rx reports each arrival once; tx is writable" {
	frame_hex "$GUEST_MAC" "$OTHER" 64 >"$BATS_TEST_TMPDIR/p.hex"
	epoll_bg "$NIC/rx -e w:20000 w:300 r r w:20000"
	sleep 1
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/p.hex"
	epoll_lines 4 # in, none, frame, EAGAIN: now in the last wait
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/p.hex"
	run epoll_out 6
	assert_output "$(printf '%s\n' in none frame EAGAIN in 'exit 0')"
	vm_run "fq recv $NIC/rx -N >/dev/null" # the second frame
	run -0 vm_run "fq epoll $NIC/tx -o w:1000"
	assert_output out
}

@test "a blocked rx read is interrupted promptly by a signal" {
	# timeout sends SIGINT after 2 s: cat must return long before the
	# 30 s guard, and the daemon must keep serving afterwards.
	run vm_run -t 30 "timeout -s INT 2 cat $NIC/rx >/dev/null; echo status \$?"
	assert_output --regexp 'status (124|130|143)'
	run -0 vm_run "cat $NIC/link"
	assert_output "up 1000 full"
}

@test "a short read buffer truncates the frame and counts it in stats" {
	local before
	before=$(guest_stat $BDF rx_truncated)
	frame_hex "$GUEST_MAC" "$OTHER" 200 >"$BATS_TEST_TMPDIR/t.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/t.hex"
	run -0 vm_run "fq recv $NIC/rx -b 32 -p 10000"
	assert_output "$(head -c 64 "$BATS_TEST_TMPDIR/t.hex")"
	assert_equal "$(guest_stat $BDF rx_truncated)" $((before + 1))
}

@test "two readers share rx: each frame goes to exactly one of them" {
	local i
	for i in $(seq 60); do
		printf '%s%s88b5%08x%s\n' "$GUEST_MAC" "$OTHER" "$i" \
			"$(od -An -v -tx1 -N 46 /dev/urandom | tr -d ' \n')"
	done >"$BATS_TEST_TMPDIR/in.hex"
	vm_run "fq recv $NIC/rx -n 30 -p 20000 >/tmp/r1 2>&1 &
		fq recv $NIC/rx -n 30 -p 20000 >/tmp/r2 2>&1 &"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/in.hex"
	run -0 vm_run -t 60 'while pidof fq >/dev/null; do sleep 0.2; done; cat /tmp/r1 /tmp/r2'
	assert_equal "$(sort <<<"$output")" "$(sort "$BATS_TEST_TMPDIR/in.hex")"
	run -0 vm_run 'wc -l </tmp/r1; wc -l </tmp/r2'
	assert_output $'30\n30'
}

@test "stats agree with what crossed the wire" {
	local tx_p tx_b rx_p rx_b
	tx_p=$(guest_stat $BDF tx_packets)
	tx_b=$(guest_stat $BDF tx_bytes)
	rx_p=$(guest_stat $BDF rx_packets)
	rx_b=$(guest_stat $BDF rx_bytes)
	for len in 60 100 1514; do
		frame_hex "$OTHER" "$GUEST_MAC" $len
	done >"$BATS_TEST_TMPDIR/out.hex"
	send_and_capture "$BATS_TEST_TMPDIR/out.hex" 3
	for len in 64 500; do
		frame_hex "$GUEST_MAC" "$OTHER" $len
	done >"$BATS_TEST_TMPDIR/in.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/in.hex"
	vm_run "fq recv $NIC/rx -n 2 -p 10000 >/dev/null"
	assert_equal "$(guest_stat $BDF tx_packets)" $((tx_p + 3))
	assert_equal "$(guest_stat $BDF tx_bytes)" $((tx_b + 60 + 100 + 1514))
	assert_equal "$(guest_stat $BDF rx_packets)" $((rx_p + 2))
	assert_equal "$(guest_stat $BDF rx_bytes)" $((rx_b + 64 + 500))
}

@test "a second pcifs cannot drive the same NIC and says why" {
	run -0 vm_run "mkdir -p /mnt/p2 && pcifs -f /mnt/p2 >/tmp/p2.log 2>&1 &
		for i in \$(seq 50); do [ -e /mnt/p2/$BDF/info ] && break; sleep 0.1; done
		ls /mnt/p2/$BDF; cat /mnt/p2/$BDF/info
		cat /mnt/p2/$BDF/regs/bar0/STATUS || echo status-refused
		echo 0x0 > /mnt/p2/$BDF/regs/bar0/RCTL || echo rctl-refused
		fusermount3 -u /mnt/p2; sleep 0.5; cat /tmp/p2.log"
	refute_line tx
	refute_line rx
	assert_output --regexp "pcifs_driver: $NIC_FAMILY .*idle: .*another pcifs"
	# Its registers are the first instance's: no reads, no writes.
	assert_line status-refused
	assert_line rctl-refused
	assert_output --partial "another pcifs drives this NIC"
	# The first instance still works.
	frame_hex "$OTHER" "$GUEST_MAC" 60 >"$BATS_TEST_TMPDIR/f.hex"
	send_and_capture "$BATS_TEST_TMPDIR/f.hex" 1
	assert_equal "$(cat "$OUT")" "$(cat "$BATS_TEST_TMPDIR/f.hex")"
}

# records HEXFILE: the frames of HEXFILE as txbatch/rxbatch records, hex.
records() {
	local f
	while read -r f; do
		printf '%08x%s' $((${#f} / 2)) "$f"
	done <"$1"
}

# txbatch_dd HEXFILE DD-OPERANDS: the guest writes HEXFILE's frames to
# txbatch as records with dd; the host end of the wire records as many
# frames into $OUT.  dd's output is in $output.
txbatch_dd() {
	records "$1" | xxd -r -p >"$(share_file batch.bin)"
	OUT=$BATS_TEST_TMPDIR/wire.hex
	vm_wire_recv 3 "$OUT" -n "$(wc -l <"$1")" -t 30000
	run -0 vm_run "dd if=/mnt/host/batch.bin of=$NIC/txbatch $2 2>&1"
	vm_wire_wait "$OUT"
}

@test "txbatch sends several frames in one write, each crossing the wire byte-identical" {
	local before
	before=$(guest_stat $BDF tx_packets)
	for len in 60 1514 14 300; do
		frame_hex "$OTHER" "$GUEST_MAC" $len
	done >"$BATS_TEST_TMPDIR/b.hex"
	txbatch_dd "$BATS_TEST_TMPDIR/b.hex" bs=65536
	assert_output --partial "0+1 records out" # one write()
	assert_equal "$(wc -l <"$OUT")" 4
	assert_equal "$(sed -n 1p "$OUT")" "$(sed -n 1p "$BATS_TEST_TMPDIR/b.hex")"
	assert_equal "$(sed -n 2p "$OUT")" "$(sed -n 2p "$BATS_TEST_TMPDIR/b.hex")"
	# The 14-byte frame: header intact, the rest is the NIC's zero padding.
	assert_equal "$(sed -n 3p "$OUT" | cut -c 1-28)" "$(sed -n 3p "$BATS_TEST_TMPDIR/b.hex")"
	assert_equal "$(sed -n 4p "$OUT")" "$(sed -n 4p "$BATS_TEST_TMPDIR/b.hex")"
	assert_equal "$(guest_stat $BDF tx_packets)" $((before + 4))
}

# stream_frames N [MIN]: N frames of MIN (60)..1514 bytes with a sequence
# number after the header, hex, one per line.
stream_frames() {
	local i len min=${2:-60}
	for i in $(seq "$1"); do
		len=$((min + (i * 397) % (1515 - min)))
		printf '%s%s88b5%08x%s\n' "$OTHER" "$GUEST_MAC" "$i" \
			"$(od -An -v -tx1 -N $((len - 18)) /dev/urandom | tr -d ' \n')"
	done
}

@test "txbatch is a stream: records that writes cut anywhere arrive whole and in order" {
	stream_frames 60 >"$BATS_TEST_TMPDIR/s.hex"
	# 777-byte writes: headers and frames split at every offset there is.
	txbatch_dd "$BATS_TEST_TMPDIR/s.hex" bs=777
	assert_equal "$(wc -l <"$OUT")" 60
	run cmp "$OUT" "$BATS_TEST_TMPDIR/s.hex"
	assert_success
}

@test "txbatch: a record one process starts and another finishes on the same descriptor goes out whole" {
	stream_frames 8 >"$BATS_TEST_TMPDIR/p.hex"
	records "$BATS_TEST_TMPDIR/p.hex" | xxd -r -p >"$(share_file two.bin)"
	OUT=$BATS_TEST_TMPDIR/wire.hex
	vm_wire_recv 3 "$OUT" -n 8 -t 20000
	# head exits (close(): EINVAL, ignored) in the middle of a record.
	run -0 vm_run "{ head -c 1000 /mnt/host/two.bin; tail -c +1001 /mnt/host/two.bin; } >$NIC/txbatch"
	vm_wire_wait "$OUT"
	run cmp "$OUT" "$BATS_TEST_TMPDIR/p.hex"
	assert_success
}

@test "one txbatch write larger than a FUSE request (1 MiB) is sent whole" {
	stream_frames 900 1000 >"$BATS_TEST_TMPDIR/big.hex"
	# One write() of 1.1 MiB: the kernel hands it to pcifs in pieces.
	txbatch_dd "$BATS_TEST_TMPDIR/big.hex" bs=4M
	[ "$(stat -c %s "$(share_file batch.bin)")" -gt 1048576 ]
	assert_output --partial "0+1 records out"
	assert_equal "$(wc -l <"$OUT")" 900
	run cmp "$OUT" "$BATS_TEST_TMPDIR/big.hex"
	assert_success
}

@test "a txbatch record with a bad length fails the write with EINVAL and sends nothing" {
	local before
	before=$(guest_stat $BDF tx_packets)
	{
		frame_hex "$OTHER" "$GUEST_MAC" 60
		# 13 bytes, too short: the whole batch is refused
		frame_hex "$OTHER" "$GUEST_MAC" 14 | cut -c 1-26
	} >"$BATS_TEST_TMPDIR/bad.hex"
	records "$BATS_TEST_TMPDIR/bad.hex" | xxd -r -p >"$(share_file bad.bin)"
	run ! vm_run "dd if=/mnt/host/bad.bin of=$NIC/txbatch bs=65536"
	assert_output --partial "Invalid argument"
	# 1515 bytes, too long
	printf '000005eb%s' "$(frame_hex "$OTHER" "$GUEST_MAC" 1515)" | xxd -r -p >"$(share_file long.bin)"
	run ! vm_run "dd if=/mnt/host/long.bin of=$NIC/txbatch bs=65536"
	assert_output --partial "Invalid argument"
	assert_equal "$(guest_stat $BDF tx_packets)" "$before"
}

@test "a txbatch stream that ends inside a record fails close() with EINVAL and sends no part of it" {
	local before
	before=$(guest_stat $BDF tx_packets)
	# A record that claims 1500 bytes and brings 60: the write is taken,
	# the record waits for the rest, and close() reports it missing.
	printf '000005dc%s' "$(frame_hex "$OTHER" "$GUEST_MAC" 60)" | xxd -r -p >"$(share_file cut.bin)"
	run ! vm_run "dd if=/mnt/host/cut.bin of=$NIC/txbatch bs=65536"
	assert_output --partial "Invalid argument"
	assert_equal "$(guest_stat $BDF tx_packets)" "$before"
	# The next open starts with no leftover.
	frame_hex "$OTHER" "$GUEST_MAC" 100 >"$BATS_TEST_TMPDIR/one.hex"
	txbatch_dd "$BATS_TEST_TMPDIR/one.hex" bs=65536
	assert_equal "$(cat "$OUT")" "$(cat "$BATS_TEST_TMPDIR/one.hex")"
}

@test "rxbatch returns every queued frame as whole records" {
	local got="" i
	for i in 1 2 3 4 5; do
		frame_hex "$GUEST_MAC" "$OTHER" $((60 + i * 200))
	done >"$BATS_TEST_TMPDIR/in.hex"
	vm_wire_send 3 -f "$BATS_TEST_TMPDIR/in.hex"
	# Each read blocks for one frame and returns all that are queued.
	for i in 1 2 3 4 5; do
		got+=$(vm_run "fq recv $NIC/rxbatch -b 65536 -p 10000")
		[ "${#got}" -lt "$(records "$BATS_TEST_TMPDIR/in.hex" | wc -c)" ] || break
	done
	assert_equal "$got" "$(records "$BATS_TEST_TMPDIR/in.hex")"
	run -1 vm_run "fq recv $NIC/rxbatch -b 1000 -N"
	assert_output --partial "EINVAL"
}

# ---- pcap ----------------------------------------------------------------

# Guest shell functions for the pcap tests.  wait_open PID NAME: until
# process PID has a file NAME open (10 s); wait_gone PID...: until every
# PID has exited (60 s).
PCAP_SH='wait_open() {
	for i in $(seq 100); do
		ls -l /proc/$1/fd 2>/dev/null | grep -q "$2\$" && return 0
		sleep 0.1
	done
	echo "process $1 never opened $2" >&2; return 1
}
wait_gone() {
	for i in $(seq 600); do
		kill -0 "$@" 2>/dev/null || return 0
		sleep 0.1
	done
	echo "still running: $*" >&2; return 1
}'

# pcap_file HEXFILE OUT [ORDER [NSEC [BAD]]]: HEXFILE's frames as a pcap
# file, laid out with python3's struct as any writer would: ORDER "<"
# (little-endian, default) or ">", NSEC 1 for the nanosecond magic, BAD the
# number of a record whose length says 40 bytes more than it holds.
pcap_file() {
	python3 - "$1" "$2" "${3:-<}" "${4:-0}" "${5:-0}" <<'EOF'
import struct, sys
src, out, order, nsec, bad = sys.argv[1:6]
magic = 0xa1b23c4d if nsec == "1" else 0xa1b2c3d4
with open(out, "wb") as f:
    f.write(struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, 65535, 1))
    for i, line in enumerate(open(src), 1):
        frame = bytes.fromhex(line.strip())
        extra = 40 if i == int(bad) else 0
        f.write(struct.pack(order + "IIII", 1700000000 + i, 999 * i,
                            len(frame), len(frame) + extra))
        f.write(frame)
EOF
}

# seq_frames N DST SRC [TAG]: N frames of 60..1514 bytes from SRC to DST,
# each with TAG and a sequence number after the header, hex, one per line.
seq_frames() {
	local i len
	for i in $(seq "$1"); do
		len=$((60 + (i * 397) % 1455))
		printf '%s%s88b5%s%06x%s\n' "$2" "$3" "${4:-aa}" "$i" \
			"$(od -An -v -tx1 -N $((len - 18)) /dev/urandom | tr -d ' \n')"
	done
}

@test "pcap: a capture holds every frame sent on tx and read from rx, in order, byte-identical, and tcpdump reads it" {
	local t=$BATS_TEST_TMPDIR
	seq_frames 3 "$OTHER" "$GUEST_MAC" 01 >"$t/out1.hex"
	seq_frames 3 "$GUEST_MAC" "$OTHER" 02 >"$t/in.hex"
	seq_frames 2 "$OTHER" "$GUEST_MAC" 03 >"$t/out2.hex"
	cp "$t/out1.hex" "$(share_file out1.hex)"
	cp "$t/out2.hex" "$(share_file out2.hex)"
	rm -f "$(share_file cap.pcap)"
	# rx first, so that the capture never takes a frame off the ring.
	vm_run "$PCAP_SH
		fq recv $NIC/rx -n 3 -p 30000 >/tmp/rx.hex 2>&1 & echo \$! >/tmp/rx.pid
		wait_open \$! rx || exit 1
		fq pcap $NIC/pcap -n 8 -o /mnt/host/cap.pcap >/tmp/cap.hex 2>&1 &
		echo \$! >/tmp/cap.pid; wait_open \$! pcap"
	OUT=$t/wire.hex
	vm_wire_recv 3 "$OUT" -n 5 -t 30000
	vm_run "fq send $NIC/tx </mnt/host/out1.hex"
	vm_wire_send 3 -f "$t/in.hex"
	vm_run "$PCAP_SH
		wait_gone \$(cat /tmp/rx.pid) && fq send $NIC/tx </mnt/host/out2.hex"
	vm_wire_wait "$OUT"
	run -0 vm_run "$PCAP_SH
		wait_gone \$(cat /tmp/cap.pid); cat /tmp/cap.hex"
	assert_equal "$output" "$(cat "$t/out1.hex" "$t/in.hex" "$t/out2.hex")"
	run -0 vm_run "cat /tmp/rx.hex"
	assert_equal "$output" "$(cat "$t/in.hex")"
	assert_equal "$(cat "$OUT")" "$(cat "$t/out1.hex" "$t/out2.hex")"
	# libpcap reads the copy: 8 frames, of the right lengths and addresses.
	run -0 tcpdump -n -e -r "$(share_file cap.pcap)"
	assert_output --partial "link-type EN10MB (Ethernet), snapshot length 65535"
	run -0 grep -o '^[0-9:.]* [0-9a-f:]* > [0-9a-f:]*, ethertype Unknown (0x88b5), length [0-9]*' <<<"$output"
	assert_equal "${#lines[@]}" 8
	assert_line --index 0 --partial "52:54:00:12:34:56 > 02:00:00:00:00:01, ethertype Unknown (0x88b5), length $(($(sed -n 1p "$t/out1.hex" | tr -d '\n' | wc -c) / 2))"
	assert_line --index 3 --partial "02:00:00:00:00:01 > 52:54:00:12:34:56, ethertype Unknown (0x88b5), length $(($(sed -n 1p "$t/in.hex" | tr -d '\n' | wc -c) / 2))"
}

@test "pcap: a capture takes no frame from an rx reader: rx gets every frame, the capture a copy" {
	local t=$BATS_TEST_TMPDIR
	seq_frames 60 "$GUEST_MAC" "$OTHER" >"$t/in.hex"
	# The capture's reader blocks in read() all along: were it to take
	# frames off the ring, rx would miss them.
	vm_run "$PCAP_SH
		fq recv $NIC/rx -n 60 -p 30000 >/tmp/rx.hex 2>&1 & echo \$! >/tmp/rx.pid
		wait_open \$! rx || exit 1
		fq pcap $NIC/pcap -n 60 >/tmp/cap.hex 2>&1 &
		echo \$! >/tmp/cap.pid; wait_open \$! pcap"
	vm_wire_send 3 -f "$t/in.hex"
	run -0 vm_run -t 90 "$PCAP_SH
		wait_gone \$(cat /tmp/rx.pid) \$(cat /tmp/cap.pid); cat /tmp/rx.hex"
	assert_equal "$output" "$(cat "$t/in.hex")"
	run -0 vm_run "cat /tmp/cap.hex"
	assert_equal "$output" "$(cat "$t/in.hex")"
}

@test "pcap: with no receiver open, the capture's reader takes received frames off the ring itself" {
	local t=$BATS_TEST_TMPDIR
	seq_frames 5 "$GUEST_MAC" "$OTHER" >"$t/in.hex"
	vm_run "$PCAP_SH
		fq pcap $NIC/pcap -n 5 >/tmp/cap.hex 2>&1 &
		echo \$! >/tmp/cap.pid; wait_open \$! pcap"
	vm_wire_send 3 -f "$t/in.hex"
	run -0 vm_run "$PCAP_SH
		wait_gone \$(cat /tmp/cap.pid); cat /tmp/cap.hex"
	assert_equal "$output" "$(cat "$t/in.hex")"
	# They were received (and counted), so rx has none of them left.
	run -11 vm_run "fq recv $NIC/rx -N"
	assert_output --partial EAGAIN
}

@test "pcap: frames of txbatch, rxbatch and PCIFS_IOC_XCHG are captured too" {
	local t=$BATS_TEST_TMPDIR got="" i
	seq_frames 2 "$OTHER" "$GUEST_MAC" 01 >"$t/batch.hex"
	seq_frames 2 "$GUEST_MAC" "$OTHER" 02 >"$t/in.hex"
	seq_frames 1 "$OTHER" "$GUEST_MAC" 03 >"$t/xchg.hex"
	seq_frames 1 "$GUEST_MAC" "$OTHER" 04 >"$t/reply.hex"
	records "$t/batch.hex" | xxd -r -p >"$(share_file batch.bin)"
	cp "$t/xchg.hex" "$(share_file xchg.hex)"
	# A held rxbatch is a receiver: the capture leaves the ring alone.
	vm_run "$PCAP_SH
		sleep 60 <$NIC/rxbatch & echo \$! >/tmp/hold.pid
		wait_open \$! rxbatch || exit 1
		fq pcap $NIC/pcap -n 6 >/tmp/cap.hex 2>&1 &
		echo \$! >/tmp/cap.pid; wait_open \$! pcap
		dd if=/mnt/host/batch.bin of=$NIC/txbatch bs=65536 2>/dev/null"
	vm_wire_send 3 -f "$t/in.hex"
	# Each rxbatch read blocks for one frame and takes all that came.
	for i in 1 2; do
		got+=$(vm_run "fq recv $NIC/rxbatch -b 65536 -p 10000")
		[ "${#got}" -lt "$(records "$t/in.hex" | wc -c)" ] || break
	done
	assert_equal "$got" "$(records "$t/in.hex")"
	vm_run "$PCAP_SH
		fq xchg $NIC/tx </mnt/host/xchg.hex >/tmp/reply.hex 2>&1 &
		wait_open \$! tx"
	vm_wire_send 3 -f "$t/reply.hex"
	run -0 vm_run "$PCAP_SH
		wait_gone \$(cat /tmp/cap.pid); kill \$(cat /tmp/hold.pid); cat /tmp/cap.hex"
	assert_equal "$output" "$(cat "$t/batch.hex" "$t/in.hex" "$t/xchg.hex" "$t/reply.hex")"
	run -0 vm_run "cat /tmp/reply.hex"
	assert_equal "$output" "$(cat "$t/reply.hex")"
}

@test "pcap: a pcap file written to it sends every frame byte-identical: both byte orders, micro- and nanoseconds, writes cut anywhere" {
	local t=$BATS_TEST_TMPDIR before
	before=$(guest_stat $BDF tx_packets)
	seq_frames 5 "$OTHER" "$GUEST_MAC" 01 >"$t/le.hex"
	seq_frames 5 "$OTHER" "$GUEST_MAC" 02 >"$t/be.hex"
	seq_frames 5 "$OTHER" "$GUEST_MAC" 03 >"$t/len.hex"
	seq_frames 40 "$OTHER" "$GUEST_MAC" 04 >"$t/ben.hex"
	pcap_file "$t/le.hex" "$(share_file le.pcap)" '<' 0
	pcap_file "$t/be.hex" "$(share_file be.pcap)" '>' 0
	pcap_file "$t/len.hex" "$(share_file len.pcap)" '<' 1
	pcap_file "$t/ben.hex" "$(share_file ben.pcap)" '>' 1
	OUT=$t/wire.hex
	vm_wire_recv 3 "$OUT" -n 55 -t 30000
	# cat, one write of it all, and writes that cut headers and frames.
	run -0 vm_run "cat /mnt/host/le.pcap >$NIC/pcap &&
		dd if=/mnt/host/be.pcap of=$NIC/pcap bs=1M 2>&1 &&
		dd if=/mnt/host/len.pcap of=$NIC/pcap bs=7 2>&1 &&
		dd if=/mnt/host/ben.pcap of=$NIC/pcap bs=777 2>&1"
	vm_wire_wait "$OUT"
	run cmp "$OUT" <(cat "$t/le.hex" "$t/be.hex" "$t/len.hex" "$t/ben.hex")
	assert_success
	assert_equal "$(guest_stat $BDF tx_packets)" $((before + 55))
}

@test "pcap: a bad record in the middle fails the write with EINVAL after the records before it are sent, none after" {
	local t=$BATS_TEST_TMPDIR before good
	before=$(guest_stat $BDF tx_packets)
	seq_frames 4 "$OTHER" "$GUEST_MAC" >"$t/f.hex"
	pcap_file "$t/f.hex" "$(share_file bad.pcap)" '<' 0 3
	# The bytes up to the bad record: the file header and two records.
	good=$((24 + 32 + $(head -2 "$t/f.hex" | tr -d '\n' | wc -c) / 2))
	OUT=$t/wire.hex
	vm_wire_recv 3 "$OUT" -n 4 -t 5000
	run -1 vm_run "pidof syslogd >/dev/null || syslogd -C64
		fq split $NIC/pcap 0 </mnt/host/bad.pcap"
	assert_line "wrote $good"
	assert_line --partial "fq: write: Invalid argument (EINVAL)"
	run -2 vm_wire_wait "$OUT"
	assert_equal "$(cat "$OUT")" "$(head -2 "$t/f.hex")"
	assert_equal "$(guest_stat $BDF tx_packets)" $((before + 2))
	# One line says what is wrong and what to do.
	run -0 vm_run "logread | grep 'pcap write refused'"
	assert_equal "${#lines[@]}" 1
	assert_output --partial "record 3 holds"
	assert_output --partial "write whole frames"
	# A bad file header (pcapng's): nothing is sent.
	printf '\x0a\x0d\x0d\x0a%020d' 0 >"$(share_file ng.pcap)"
	run -1 vm_run "fq split $NIC/pcap 0 </mnt/host/ng.pcap"
	assert_output --partial EINVAL
	assert_equal "$(guest_stat $BDF tx_packets)" $((before + 2))
}

@test "pcap: a written stream that ends inside a record fails close() with EINVAL and sends no part of it" {
	local t=$BATS_TEST_TMPDIR before
	before=$(guest_stat $BDF tx_packets)
	seq_frames 2 "$OTHER" "$GUEST_MAC" >"$t/f.hex"
	pcap_file "$t/f.hex" "$t/f.pcap"
	head -c -10 "$t/f.pcap" >"$(share_file cut.pcap)"
	OUT=$t/wire.hex
	vm_wire_recv 3 "$OUT" -n 2 -t 5000
	run -1 vm_run "fq split $NIC/pcap 0 </mnt/host/cut.pcap"
	assert_output --partial "fq: close: Invalid argument (EINVAL)"
	run -2 vm_wire_wait "$OUT"
	assert_equal "$(cat "$OUT")" "$(head -1 "$t/f.hex")"
	assert_equal "$(guest_stat $BDF tx_packets)" $((before + 1))
}

@test "pcap: a capture never read drops records, counts capture_drops, and holds up neither tx nor rx" {
	local t=$BATS_TEST_TMPDIR drops kept
	drops=$(guest_stat $BDF capture_drops)
	# 600 frames out, about 900 KB, and 100 in: far more than one
	# capture holds (256 KiB).
	stream_frames 600 >"$t/out.hex"
	seq_frames 100 "$GUEST_MAC" "$OTHER" >"$t/in.hex"
	vm_run "$PCAP_SH
		rm -f /tmp/go
		fq pcap $NIC/pcap -N -w /tmp/go >/tmp/slow.hex 2>/tmp/slow.err &
		echo \$! >/tmp/slow.pid; wait_open \$! pcap"
	txbatch_dd "$t/out.hex" bs=65536
	run cmp "$OUT" "$t/out.hex"
	assert_success
	vm_run "$PCAP_SH
		fq recv $NIC/rx -n 100 -p 30000 >/tmp/rx.hex 2>&1 & echo \$! >/tmp/rx.pid
		wait_open \$! rx"
	vm_wire_send 3 -f "$t/in.hex"
	run -0 vm_run -t 90 "$PCAP_SH
		wait_gone \$(cat /tmp/rx.pid); cat /tmp/rx.hex"
	assert_equal "$output" "$(cat "$t/in.hex")"
	drops=$(($(guest_stat $BDF capture_drops) - drops))
	# Now it reads: what it kept and what it dropped make every frame.
	run -0 vm_run "$PCAP_SH
		touch /tmp/go; wait_gone \$(cat /tmp/slow.pid); cat /tmp/slow.err; wc -l </tmp/slow.hex"
	kept=${lines[1]}
	assert_line --index 0 "fq: pcap: EAGAIN after $kept records"
	[ "$drops" -gt 0 ]
	[ "$kept" -gt 0 ]
	assert_equal $((kept + drops)) 700
	# What it kept are frames sent, whole and in the order sent.
	vm_run "cat /tmp/slow.hex" >"$t/kept.hex"
	assert_equal "$(grep -Fx -f "$t/kept.hex" "$t/out.hex")" "$(cat "$t/kept.hex")"
}

@test "pcap: the first read is the file header, O_NONBLOCK gives EAGAIN, a signal ends a blocked read, tcpdump reads it live" {
	run -0 vm_run "fq pcap $NIC/pcap -N -o /tmp/hdr.pcap; od -An -tx1 /tmp/hdr.pcap"
	assert_line "fq: pcap: EAGAIN after 0 records"
	assert_line --partial "d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00"
	assert_line --partial "ff ff 00 00 01 00 00 00"
	# Blocked with nobody else receiving, and with an rx reader open.
	run -0 vm_run -t 30 "timeout -s INT 2 cat $NIC/pcap >/dev/null; echo status \$?
		sleep 20 <$NIC/rx & s=\$!
		timeout -s INT 2 cat $NIC/pcap >/dev/null; echo status \$?
		kill \$s"
	assert_line --index 0 --regexp '^status (124|130|143)$'
	assert_line --index 1 --regexp '^status (124|130|143)$'
	run -0 vm_run "cat $NIC/link"
	assert_output "up 1000 full"
	# tcpdump on the live file: it stops after -c frames.
	vm_run "command -v tcpdump" || skip "no tcpdump in the guest"
	seq_frames 2 "$OTHER" "$GUEST_MAC" >"$(share_file td.hex)"
	vm_run "$PCAP_SH
		tcpdump -Z root -n -e -r $NIC/pcap -c 2 >/tmp/td.txt 2>&1 &
		echo \$! >/tmp/td.pid; wait_open \$! pcap"
	vm_run "fq send $NIC/tx </mnt/host/td.hex"
	run -0 vm_run "$PCAP_SH
		wait_gone \$(cat /tmp/td.pid); cat /tmp/td.txt"
	assert_line --partial "link-type EN10MB (Ethernet), snapshot length 65535"
	assert_line --partial "52:54:00:12:34:56 > 02:00:00:00:00:01, ethertype Unknown (0x88b5)"
	assert_equal "$(grep -c 0x88b5 <<<"$output")" 2
}
