// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_pcap.c - unit tests of the pcap format of the pcap file
 * (fs/pcap.c), with libpcap as the judge: it must read the captures pcifs
 * writes, and pcifs must replay the files libpcap writes, in both byte
 * orders and both timestamp precisions, cut into writes anywhere.
 */
#include "fs/pcap.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFRAMES 4
#define STREAM_MAX                                                             \
	(PCAP_FILE_HDR + NFRAMES * PCAP_REC_MAX + 2 * PCAP_REC_HDR + 64)

/* The frames of every test stream: the ARP pair, a full-size frame and the
 * shortest one, each a pattern of its own. */
static uint8_t big[PCAP_FRAME_MAX], tiny[PCAP_FRAME_MIN];
static const struct iovec frames[NFRAMES] = {
	{(void *) arp_request, sizeof(arp_request)},
	{(void *) arp_reply, sizeof(arp_reply)},
	{big, sizeof(big)},
	{tiny, sizeof(tiny)},
};

static int setup(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t) (i * 7 + 3);
	memcpy(tiny, arp_reply, sizeof(tiny));
	return 0;
}

/* ---- what the send callback saw ---- */

struct sink {
	uint8_t bytes[NFRAMES * 2 * PCAP_FRAME_MAX];
	size_t len, frame_len[2 * NFRAMES];
	unsigned count;
	int fail_at;   /* fail when this many frames were sent; -1 never */
	int fail_with; /* the error to fail with */
};

static int sink_send(void *ctx, const struct iovec *iov, unsigned n,
		     unsigned *sent)
{
	struct sink *s = ctx;

	for (*sent = 0; *sent < n; (*sent)++) {
		if (s->fail_at >= 0 && s->count == (unsigned) s->fail_at) {
			s->fail_at = -1; /* once */
			return s->fail_with;
		}
		assert_true(s->count < 2 * NFRAMES);
		memcpy(s->bytes + s->len, iov[*sent].iov_base,
		       iov[*sent].iov_len);
		s->len += iov[*sent].iov_len;
		s->frame_len[s->count++] = iov[*sent].iov_len;
	}
	return 0;
}

static void sink_init(struct sink *s)
{
	memset(s, 0, sizeof(*s));
	s->fail_at = -1;
}

/* The sink holds frames[0..n) and no more. */
static void sink_holds(const struct sink *s, unsigned n)
{
	size_t off = 0;

	assert_int_equal(s->count, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(s->frame_len[i], frames[i].iov_len);
		assert_memory_equal(s->bytes + off, frames[i].iov_base,
				    frames[i].iov_len);
		off += frames[i].iov_len;
	}
	assert_int_equal(s->len, off);
}

/* ---- streams as libpcap writes them ---- */

/* The frames as libpcap's pcap_dump() writes a file of @precision;
 * returns its length. */
static size_t libpcap_stream(int precision, uint8_t *out)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							 (u_int) precision);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pcap_dumper_t *d;

	assert_non_null(p);
	assert_non_null(f);
	d = pcap_dump_fopen(p, f);
	assert_non_null(d);
	for (unsigned i = 0; i < NFRAMES; i++) {
		struct pcap_pkthdr h = {.caplen =
						(bpf_u_int32) frames[i].iov_len,
					.len = (bpf_u_int32) frames[i].iov_len};

		h.ts.tv_sec = 1700000000 + i;
		h.ts.tv_usec = 999999 - i;
		pcap_dump((u_char *) d, &h, frames[i].iov_base);
	}
	pcap_dump_close(d);
	pcap_close(p);
	assert_true(len <= STREAM_MAX);
	memcpy(out, buf, len);
	free(buf);
	return len;
}

static void swap32_at(uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

/* The same file as a machine of the other byte order writes it. */
static void stream_swap(uint8_t *s, size_t len)
{
	size_t off = PCAP_FILE_HDR;
	uint32_t caplen;

	swap32_at(s);
	for (int i = 4; i < 8; i += 2) {
		uint8_t t = s[i];

		s[i] = s[i + 1];
		s[i + 1] = t;
	}
	for (int i = 8; i < PCAP_FILE_HDR; i += 4)
		swap32_at(s + i);
	while (off < len) {
		memcpy(&caplen, s + off + 8, 4);
		for (int i = 0; i < PCAP_REC_HDR; i += 4)
			swap32_at(s + off + i);
		off += PCAP_REC_HDR + caplen;
	}
}

/* Feed @s to a fresh stream in writes of at most @step bytes, the first
 * cut at @cut; every frame must come out once and in order. */
static void replay_cut(const uint8_t *s, size_t len, size_t cut, size_t step)
{
	struct pcap_stream ps = {0};
	struct sink sink;
	size_t off = 0;

	sink_init(&sink);
	while (off < len) {
		size_t n = off == 0 ? cut : step;
		int took;

		n = n < len - off ? n : len - off;
		took = pcap_stream_write(&ps, (const char *) s + off, n,
					 sink_send, &sink);
		assert_int_equal(took, n);
		off += n;
	}
	sink_holds(&sink, NFRAMES);
	assert_int_equal(pcap_stream_pending(&ps), 0);
	assert_int_equal(ps.records, NFRAMES);
}

static void replay_every_cut(const uint8_t *s, size_t len)
{
	for (size_t cut = 1; cut <= len; cut++)
		replay_cut(s, len, cut, len);
	replay_cut(s, len, 1, 1);
	replay_cut(s, len, 7, 13);
}

static void libpcap_files_replay(int precision, bool swapped)
{
	static uint8_t s[STREAM_MAX];
	size_t len = libpcap_stream(precision, s);

	if (swapped)
		stream_swap(s, len);
	replay_every_cut(s, len);
}

static void replays_usec_our_order(void **state)
{
	(void) state;
	libpcap_files_replay(PCAP_TSTAMP_PRECISION_MICRO, false);
}

static void replays_usec_other_order(void **state)
{
	(void) state;
	libpcap_files_replay(PCAP_TSTAMP_PRECISION_MICRO, true);
}

static void replays_nsec_our_order(void **state)
{
	(void) state;
	libpcap_files_replay(PCAP_TSTAMP_PRECISION_NANO, false);
}

static void replays_nsec_other_order(void **state)
{
	(void) state;
	libpcap_files_replay(PCAP_TSTAMP_PRECISION_NANO, true);
}

/* ---- captures as libpcap reads them ---- */

static void layouts_are_libpcaps(void **state)
{
	(void) state;
	assert_int_equal(sizeof(struct pcap_file_header), PCAP_FILE_HDR);
	assert_int_equal(PCAP_VERSION_MAJOR, PCAP_FILE_MAJOR);
	assert_int_equal(PCAP_VERSION_MINOR, PCAP_FILE_MINOR);
	assert_int_equal(DLT_EN10MB, PCAP_LINKTYPE_ETHERNET);
}

/* A capture as fs/capture.c builds one: the header, then records. */
static size_t capture_stream(uint8_t *s, const struct timespec *ts)
{
	size_t len = PCAP_FILE_HDR;

	pcap_put_file_header(s);
	for (unsigned i = 0; i < NFRAMES; i++) {
		pcap_put_record_header(s + len, &ts[i],
				       (uint32_t) frames[i].iov_len,
				       (uint32_t) frames[i].iov_len);
		memcpy(s + len + PCAP_REC_HDR, frames[i].iov_base,
		       frames[i].iov_len);
		len += PCAP_REC_HDR + frames[i].iov_len;
	}
	/* A frame a short rx buffer cut: 60 of its 1514 bytes. */
	pcap_put_record_header(s + len, &ts[0], 60, PCAP_FRAME_MAX);
	memcpy(s + len + PCAP_REC_HDR, big, 60);
	return len + PCAP_REC_HDR + 60;
}

static void libpcap_reads_captures(void **state)
{
	static uint8_t s[STREAM_MAX];
	const struct timespec ts[NFRAMES] = {{1700000000, 123456789},
					     {1700000000, 999999999},
					     {0, 0},
					     {2147483647, 1000}};
	char err[PCAP_ERRBUF_SIZE];
	size_t len = capture_stream(s, ts);
	FILE *f = fmemopen(s, len, "rb");
	pcap_t *p = pcap_fopen_offline(f, err);
	struct pcap_pkthdr *h;
	const u_char *data;

	(void) state;
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	assert_int_equal(pcap_snapshot(p), PCAP_SNAPLEN);
	assert_int_equal(pcap_major_version(p), 2);
	assert_int_equal(pcap_minor_version(p), 4);
	assert_int_equal(pcap_is_swapped(p), 0);
	for (unsigned i = 0; i < NFRAMES; i++) {
		assert_int_equal(pcap_next_ex(p, &h, &data), 1);
		assert_int_equal(h->ts.tv_sec, ts[i].tv_sec);
		assert_int_equal(h->ts.tv_usec, ts[i].tv_nsec / 1000);
		assert_int_equal(h->caplen, frames[i].iov_len);
		assert_int_equal(h->len, frames[i].iov_len);
		assert_memory_equal(data, frames[i].iov_base, h->caplen);
	}
	assert_int_equal(pcap_next_ex(p, &h, &data), 1);
	assert_int_equal(h->caplen, 60);
	assert_int_equal(h->len, PCAP_FRAME_MAX);
	assert_int_equal(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}

/* ---- what is refused ---- */

/* A stream of our four frames with frame @bad's record header made bad by
 * @caplen and @len; returns its length, *@bad_off where that record is. */
static size_t stream_with_bad(uint8_t *s, unsigned bad, uint32_t caplen,
			      uint32_t len, size_t *bad_off)
{
	size_t n = libpcap_stream(PCAP_TSTAMP_PRECISION_MICRO, s);
	size_t off = PCAP_FILE_HDR;

	for (unsigned i = 0; i < bad; i++)
		off += PCAP_REC_HDR + frames[i].iov_len;
	memcpy(s + off + 8, &caplen, 4);
	memcpy(s + off + 12, &len, 4);
	*bad_off = off;
	return n;
}

static void refuse_in_the_middle(uint32_t caplen, uint32_t len,
				 enum pcap_fault fault, const char *says)
{
	static uint8_t s[STREAM_MAX];
	struct pcap_stream ps = {0};
	struct sink sink;
	size_t bad_off, n = stream_with_bad(s, 2, caplen, len, &bad_off);
	char why[256];

	sink_init(&sink);
	/* The two before it are sent; the write says where it stopped. */
	assert_int_equal(
		pcap_stream_write(&ps, (char *) s, n, sink_send, &sink),
		bad_off);
	sink_holds(&sink, 2);
	assert_int_equal(ps.fault, fault);
	/* The rest, from the bad record on, is refused: nothing after it. */
	assert_int_equal(pcap_stream_write(&ps, (char *) s + bad_off,
					   n - bad_off, sink_send, &sink),
			 -EINVAL);
	assert_int_equal(pcap_stream_write(&ps, (char *) s + n - 20, 20,
					   sink_send, &sink),
			 -EINVAL);
	sink_holds(&sink, 2);
	assert_int_equal(pcap_stream_pending(&ps), 0);
	pcap_fault_describe(&ps, why, sizeof(why));
	assert_non_null(strstr(why, "record 3 "));
	assert_non_null(strstr(why, says));
}

static void refuses_short_long_and_cut_frames(void **state)
{
	(void) state;
	refuse_in_the_middle(13, 13, PCAP_FAULT_LENGTH, "frame of 13 bytes");
	refuse_in_the_middle(0, 0, PCAP_FAULT_LENGTH, "frames of 14 to 1514");
	refuse_in_the_middle(1515, 1515, PCAP_FAULT_LENGTH, "1515 bytes");
	refuse_in_the_middle(9000, 9000, PCAP_FAULT_LENGTH, "9000 bytes");
	refuse_in_the_middle(96, 1514, PCAP_FAULT_CUT,
			     "96 bytes of a 1514-byte frame");
	refuse_in_the_middle(1514, 96, PCAP_FAULT_CUT, "1514 bytes of a 96");
	refuse_in_the_middle(0xffffffff, 60, PCAP_FAULT_CUT, "tcpdump -s 0");
}

static void refuses_at_the_start_of_a_write(void **state)
{
	static uint8_t s[STREAM_MAX];
	struct pcap_stream ps = {0};
	struct sink sink;
	size_t bad_off, n = stream_with_bad(s, 0, 60, 59, &bad_off);

	(void) state;
	sink_init(&sink);
	/* The header alone is taken; the bad first record is not. */
	assert_int_equal(
		pcap_stream_write(&ps, (char *) s, n, sink_send, &sink),
		PCAP_FILE_HDR);
	assert_int_equal(pcap_stream_write(&ps, (char *) s + bad_off,
					   n - bad_off, sink_send, &sink),
			 -EINVAL);
	sink_holds(&sink, 0);
}

static void refuses_a_bad_header_cut_over_writes(void **state)
{
	static uint8_t s[STREAM_MAX];
	struct pcap_stream ps = {0};
	struct sink sink;
	size_t bad_off, n = stream_with_bad(s, 1, 2000, 2000, &bad_off);

	(void) state;
	sink_init(&sink);
	/* Up to the middle of the bad record's header: all taken. */
	assert_int_equal(pcap_stream_write(&ps, (char *) s, bad_off + 9,
					   sink_send, &sink),
			 bad_off + 9);
	sink_holds(&sink, 1);
	assert_int_equal(pcap_stream_pending(&ps), 9);
	/* Its header's end makes it bad: the write that brings it fails. */
	assert_int_equal(pcap_stream_write(&ps, (char *) s + bad_off + 9,
					   n - bad_off - 9, sink_send, &sink),
			 -EINVAL);
	sink_holds(&sink, 1);
	assert_int_equal(pcap_stream_pending(&ps), 0);
}

/* A file header with the 4 bytes at @at set to @v; refused, nothing sent. */
static void refuse_header(size_t at, uint32_t v, bool swapped,
			  enum pcap_fault fault, const char *says)
{
	static uint8_t s[STREAM_MAX];
	struct pcap_stream ps = {0};
	struct sink sink;
	size_t n = libpcap_stream(PCAP_TSTAMP_PRECISION_NANO, s);
	char why[256];

	if (swapped)
		stream_swap(s, n);
	memcpy(s + at, &v, 4);
	sink_init(&sink);
	/* Cut in the header: the first part is taken, the end refused. */
	assert_int_equal(
		pcap_stream_write(&ps, (char *) s, 10, sink_send, &sink), 10);
	assert_int_equal(pcap_stream_write(&ps, (char *) s + 10, n - 10,
					   sink_send, &sink),
			 -EINVAL);
	assert_int_equal(
		pcap_stream_write(&ps, (char *) s, n, sink_send, &sink),
		-EINVAL);
	sink_holds(&sink, 0);
	assert_int_equal(ps.fault, fault);
	pcap_fault_describe(&ps, why, sizeof(why));
	assert_non_null(strstr(why, says));
}

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v); /* the tests run little-endian */
}

static void refuses_bad_file_headers(void **state)
{
	(void) state;
	/* pcapng's section header block, and garbage. */
	refuse_header(0, 0x0a0d0d0a, false, PCAP_FAULT_MAGIC, "0x0a0d0d0a");
	refuse_header(0, 0x0a0d0d0a, false, PCAP_FAULT_MAGIC, "pcapng");
	refuse_header(0, 0xa1b2cd34, false, PCAP_FAULT_MAGIC, "no pcap file");
	refuse_header(0, 0, true, PCAP_FAULT_MAGIC, "0x00000000");
	/* Versions 1.x and 3.0, 2.5: the major and minor in one word. */
	refuse_header(4, 0x00040001, false, PCAP_FAULT_VERSION, "version 1.4");
	refuse_header(4, 0x00000003, false, PCAP_FAULT_VERSION, "version 3.0");
	refuse_header(4, 0x05000200, true, PCAP_FAULT_VERSION, "version 2.5");
	/* 802.11, raw IP; Ethernet with its FCS (LT_FCS_LENGTH_PRESENT). */
	refuse_header(20, 105, false, PCAP_FAULT_LINKTYPE, "0x69");
	refuse_header(20, be32(101), true, PCAP_FAULT_LINKTYPE, "0x65");
	refuse_header(20, 0x44000001, false, PCAP_FAULT_LINKTYPE,
		      "without FCS");
}

static void takes_versions_2_0_to_2_4_and_fcs_length_bits(void **state)
{
	static uint8_t s[STREAM_MAX];
	size_t n = libpcap_stream(PCAP_TSTAMP_PRECISION_MICRO, s);
	uint32_t v = 0x00000002; /* 2.0 */

	(void) state;
	memcpy(s + 4, &v, 4);
	replay_cut(s, n, 5, 100);
	/* The FCS length alone, without its present bit, says nothing. */
	v = 0x40000001;
	memcpy(s + 20, &v, 4);
	replay_cut(s, n, n, n);
}

/* ---- the stream between writes ---- */

static void an_empty_file_is_no_fault(void **state)
{
	static uint8_t s[STREAM_MAX];
	struct pcap_stream ps = {0};
	struct sink sink;

	(void) state;
	libpcap_stream(PCAP_TSTAMP_PRECISION_MICRO, s);
	sink_init(&sink);
	assert_int_equal(pcap_stream_pending(&ps), 0);
	assert_int_equal(
		pcap_stream_write(&ps, (char *) s, 23, sink_send, &sink), 23);
	assert_int_equal(pcap_stream_pending(&ps), 23);
	assert_int_equal(
		pcap_stream_write(&ps, (char *) s + 23, 1, sink_send, &sink),
		1);
	assert_int_equal(pcap_stream_pending(&ps), 0);
	sink_holds(&sink, 0);
}

static void pending_counts_a_cut_record(void **state)
{
	static uint8_t s[STREAM_MAX];
	struct pcap_stream ps = {0};
	struct sink sink;
	size_t n = libpcap_stream(PCAP_TSTAMP_PRECISION_MICRO, s);

	(void) state;
	sink_init(&sink);
	/* The stream ends 5 bytes into the last frame's record. */
	n -= PCAP_REC_HDR + PCAP_FRAME_MIN - 5;
	assert_int_equal(
		pcap_stream_write(&ps, (char *) s, n, sink_send, &sink), n);
	sink_holds(&sink, NFRAMES - 1);
	assert_int_equal(pcap_stream_pending(&ps), 5);
}

/* A send that fails part way: the write takes the records sent, and the
 * same bytes written again go on from there, every frame sent once. */
static void send_failure_then_retry(int fail_at, int err, size_t first)
{
	static uint8_t s[STREAM_MAX];
	struct pcap_stream ps = {0};
	struct sink sink;
	size_t n = libpcap_stream(PCAP_TSTAMP_PRECISION_MICRO, s), off = 0;
	int took;

	sink_init(&sink);
	sink.fail_at = fail_at;
	sink.fail_with = err;
	took = pcap_stream_write(&ps, (char *) s, first, sink_send, &sink);
	assert_true(took > 0);
	off = (size_t) took;
	while (off < n) {
		took = pcap_stream_write(&ps, (char *) s + off, n - off,
					 sink_send, &sink);
		if (took == err)
			continue; /* none taken: the same again */
		assert_true(took > 0);
		off += (size_t) took;
	}
	sink_holds(&sink, NFRAMES);
	assert_int_equal(ps.fault, PCAP_FAULT_NONE);
}

static void a_failed_send_takes_only_what_went(void **state)
{
	static uint8_t s[STREAM_MAX];
	size_t n = libpcap_stream(PCAP_TSTAMP_PRECISION_MICRO, s);

	(void) state;
	for (int at = 0; at < NFRAMES; at++) {
		send_failure_then_retry(at, -EAGAIN, n);
		send_failure_then_retry(at, -EINTR, n);
		/* The record the first write left carried fails to go. */
		send_failure_then_retry(at, -EAGAIN, PCAP_FILE_HDR + 50);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layouts_are_libpcaps),
		cmocka_unit_test(libpcap_reads_captures),
		cmocka_unit_test(replays_usec_our_order),
		cmocka_unit_test(replays_usec_other_order),
		cmocka_unit_test(replays_nsec_our_order),
		cmocka_unit_test(replays_nsec_other_order),
		cmocka_unit_test(refuses_short_long_and_cut_frames),
		cmocka_unit_test(refuses_at_the_start_of_a_write),
		cmocka_unit_test(refuses_a_bad_header_cut_over_writes),
		cmocka_unit_test(refuses_bad_file_headers),
		cmocka_unit_test(takes_versions_2_0_to_2_4_and_fcs_length_bits),
		cmocka_unit_test(an_empty_file_is_no_fault),
		cmocka_unit_test(pending_counts_a_cut_record),
		cmocka_unit_test(a_failed_send_takes_only_what_went),
	};

	return cmocka_run_group_tests_name("pcap", tests, setup, NULL);
}
