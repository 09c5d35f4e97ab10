// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_pcap.c - fuzz the reassembly of a pcap stream written to the pcap
 * file (fs/pcap.c), cut into writes at arbitrary points.
 *
 * Input: a first byte whose low four bits count the cuts and whose high
 * four bits name the frame whose send fails once with EAGAIN (15: none),
 * that many 2-byte big-endian write sizes, then the stream.  Each write is
 * fed to pcap_stream_write() as the kernel would hand it on, and what a
 * write did not take is written again, as cat does.  The frames sent must
 * be, in order, those a plain walk of the stream finds before the first bad
 * header or record; the write that completes a bad one must take exactly
 * the bytes before it (or fail with EINVAL), every later write must fail.
 */
#include "fs/pcap.h"
#include "tests/fuzz/fuzz.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES_MAX 4096 /* 64 KiB of input at 16 bytes a record */

/* The stream as a plain walk sees it, written here apart from fs/pcap.c:
 * its frames, where the first bad header or record starts (SIZE_MAX if
 * none), and where the bytes that show it bad end. */
struct reference {
	size_t count, whole, bad, shown;
	size_t frame_off[FRAMES_MAX], frame_len[FRAMES_MAX];
};

static uint32_t field(const uint8_t *p, bool big_endian)
{
	return big_endian ? (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
				    (uint32_t) p[2] << 8 | p[3]
			  : (uint32_t) p[3] << 24 | (uint32_t) p[2] << 16 |
				    (uint32_t) p[1] << 8 | p[0];
}

/* 1: little-endian file, 2: big-endian, 0: no pcap file header. */
static int header_order(const uint8_t *h)
{
	static const uint8_t le[2][4] = {{0xd4, 0xc3, 0xb2, 0xa1},
					 {0x4d, 0x3c, 0xb2, 0xa1}};
	bool be;
	uint32_t ver, link;

	if (memcmp(h, le[0], 4) == 0 || memcmp(h, le[1], 4) == 0)
		be = false;
	else if (field(h, true) == 0xa1b2c3d4 || field(h, true) == 0xa1b23c4d)
		be = true;
	else
		return 0;
	ver = be ? (uint32_t) h[4] << 8 | h[5] : (uint32_t) h[5] << 8 | h[4];
	if (ver != 2 || (be ? h[6] << 8 | h[7] : h[7] << 8 | h[6]) > 4)
		return 0;
	link = field(h + 20, be);
	if ((link & 0x07ffffff) != 1)
		return 0;
	return be ? 2 : 1;
}

static void reference_walk(const uint8_t *s, size_t n, struct reference *ref)
{
	size_t off = 24;
	int order;

	ref->count = 0;
	ref->bad = ref->shown = SIZE_MAX;
	ref->whole = 0;
	if (n < 24)
		return;
	order = header_order(s);
	if (!order) {
		ref->bad = 0;
		ref->shown = 24;
		return;
	}
	while (off + 16 <= n) {
		uint32_t caplen = field(s + off + 8, order == 2);
		uint32_t len = field(s + off + 12, order == 2);

		if (len < 14 || len > 1514 || caplen != len) {
			ref->bad = off;
			ref->shown = off + 16;
			break;
		}
		if (off + 16 + len > n)
			break;
		ref->frame_off[ref->count] = off + 16;
		ref->frame_len[ref->count++] = len;
		off += 16 + len;
	}
	ref->whole = off;
}

struct checker {
	const uint8_t *stream;
	const struct reference *ref;
	size_t sent;
	size_t fail_at;	 /* SIZE_MAX: never */
	bool failed_now; /* in the current write */
};

static int check_send(void *ctx, const struct iovec *frames, unsigned n,
		      unsigned *sent)
{
	struct checker *c = ctx;

	FUZZ_CHECK(n >= 1);
	for (*sent = 0; *sent < n; (*sent)++, c->sent++) {
		const struct iovec *f = &frames[*sent];
		size_t i = c->sent;

		if (i == c->fail_at) {
			c->fail_at = SIZE_MAX;
			c->failed_now = true;
			return -EAGAIN;
		}
		FUZZ_CHECK(i < c->ref->count);
		FUZZ_CHECK(f->iov_len == c->ref->frame_len[i]);
		FUZZ_CHECK(memcmp(f->iov_base, c->stream + c->ref->frame_off[i],
				  f->iov_len) == 0);
	}
	return 0;
}

/*
 * One write of @n bytes at @at, retried (as cat retries) for what it did
 * not take; returns the stream offset reached, or SIZE_MAX once refused.
 */
static size_t write_all(struct pcap_stream *ps, struct checker *c, size_t at,
			size_t n)
{
	const struct reference *ref = c->ref;
	size_t end = at + n;

	while (at < end) {
		int took;

		c->failed_now = false;
		took = pcap_stream_write(ps, (const char *) c->stream + at,
					 end - at, check_send, c);
		if (took == -EAGAIN && c->failed_now)
			continue; /* the failed send, once: none taken */
		if (took == -EINVAL) {
			/* The write that shows a bad one starts at it, or
			 * after it. */
			FUZZ_CHECK(ref->bad != SIZE_MAX && at >= ref->bad &&
				   end >= ref->shown);
			return SIZE_MAX;
		}
		FUZZ_CHECK(took > 0 && (size_t) took <= end - at);
		/* A short count: a failed send, or a bad one right there. */
		if ((size_t) took < end - at)
			FUZZ_CHECK(c->failed_now ||
				   (at + (size_t) took == ref->bad &&
				    end >= ref->shown));
		at += (size_t) took;
	}
	FUZZ_CHECK(ref->bad == SIZE_MAX || at <= ref->bad || end < ref->shown);
	return at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct reference ref;
	static struct pcap_stream ps;
	struct checker c;
	size_t cuts, at = 0, len;
	uint8_t *stream;

	if (size < 1 || size > 65536)
		return 0;
	cuts = data[0] & 15;
	if (size < 1 + 2 * cuts)
		return 0;
	len = size - 1 - 2 * cuts;
	stream = fuzz_exact(data + 1 + 2 * cuts, len); /* exact size, ASan */
	reference_walk(stream, len, &ref);
	memset(&ps, 0, sizeof(ps));
	c = (struct checker){.stream = stream,
			     .ref = &ref,
			     .fail_at = (data[0] >> 4) == 15 ? SIZE_MAX
							     : data[0] >> 4};
	for (size_t i = 0; i <= cuts && at != SIZE_MAX && at < len; i++) {
		size_t n = i < cuts ? (size_t) (data[1 + 2 * i] << 8 |
						data[2 + 2 * i]) %
					      (len - at + 1)
				    : len - at;

		at = n ? write_all(&ps, &c, at, n) : at;
		if (at != SIZE_MAX)
			FUZZ_CHECK(ps.fault == PCAP_FAULT_NONE);
	}
	if (at == SIZE_MAX) {
		FUZZ_CHECK(ps.fault != PCAP_FAULT_NONE);
		FUZZ_CHECK(pcap_stream_write(&ps, (const char *) stream, len,
					     check_send, &c) == -EINVAL);
		FUZZ_CHECK(pcap_stream_pending(&ps) == 0);
	} else {
		FUZZ_CHECK(pcap_stream_pending(&ps) == len - ref.whole ||
			   len < PCAP_FILE_HDR);
		FUZZ_CHECK(len >= PCAP_FILE_HDR ||
			   pcap_stream_pending(&ps) == len);
	}
	FUZZ_CHECK(c.sent == ref.count);
	free(stream);
	return 0;
}
