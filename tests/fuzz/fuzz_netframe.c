// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_netframe.c - fuzz the stream from a -o netdev socket (fs/netframe.c)
 * cut into socket reads at arbitrary points.
 *
 * Input: a count of cuts (low four bits of the first byte), that many
 * 2-byte big-endian read sizes, then the stream.  Every frame netframe
 * hands out must be, in order, a good record of a plain walk that skips
 * each bad record whole (its header, then its length in bytes), and the
 * bad ones must be counted.
 */
#include "fs/netframe.h"
#include "tests/fuzz/fuzz.h"

#include <string.h>

#define BURST 3 /* frames per take: small, to cut bursts too */

struct reference {
	size_t count, bad, tail; /* tail: bytes of a good record cut off */
	size_t frame_off[4096], frame_len[4096];
};

static void reference_walk(const uint8_t *s, size_t n, struct reference *ref)
{
	size_t off = 0;

	ref->count = ref->bad = ref->tail = 0;
	while (off + RECORD_HDR <= n) {
		size_t len = record_get_len(s + off);

		if (len < RECORD_FRAME_MIN || len > RECORD_FRAME_MAX) {
			ref->bad++;
			off += RECORD_HDR + len;
			continue;
		}
		if (off + RECORD_HDR + len > n)
			break;
		ref->frame_off[ref->count] = off + RECORD_HDR;
		ref->frame_len[ref->count++] = len;
		off += RECORD_HDR + len;
	}
	ref->tail = off < n ? n - off : 0;
}

static struct netframe nf;

/* Take every whole frame and check it against the reference. */
static void take_all(const uint8_t *stream, const struct reference *ref,
		     size_t *sent, unsigned *bad)
{
	struct iovec iov[BURST];
	unsigned n;

	while ((n = netframe_take(&nf, iov, BURST, bad)) > 0)
		for (unsigned i = 0; i < n; i++, (*sent)++) {
			FUZZ_CHECK(*sent < ref->count);
			FUZZ_CHECK(iov[i].iov_len == ref->frame_len[*sent]);
			FUZZ_CHECK(memcmp(iov[i].iov_base,
					  stream + ref->frame_off[*sent],
					  iov[i].iov_len) == 0);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct reference ref;
	size_t cuts, at = 0, len, sent = 0;
	const uint8_t *stream;
	unsigned bad = 0;

	if (size < 1 || size > 65536)
		return 0;
	cuts = data[0] & 15;
	if (size < 1 + 2 * cuts)
		return 0;
	stream = data + 1 + 2 * cuts;
	len = size - 1 - 2 * cuts;
	reference_walk(stream, len, &ref);
	netframe_reset(&nf);
	for (size_t i = 0; i <= cuts || at < len; i++) {
		size_t room, n = i < cuts ? (size_t) (data[1 + 2 * i] << 8 |
						      data[2 + 2 * i]) %
						    (len - at + 1)
					  : len - at;
		char *p = netframe_room(&nf, &room);

		FUZZ_CHECK(room >= NETFRAME_BUF);
		n = n < room ? n : room;
		memcpy(p, stream + at, n);
		netframe_fill(&nf, n);
		at += n;
		take_all(stream, &ref, &sent, &bad);
	}
	FUZZ_CHECK(sent == ref.count);
	FUZZ_CHECK(bad == ref.bad);
	/* A good record cut off at the end is pending; a bad one is not. */
	FUZZ_CHECK(netframe_pending(&nf) == 0 ||
		   netframe_pending(&nf) == ref.tail);
	return 0;
}
