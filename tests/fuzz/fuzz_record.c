// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_record.c - fuzz the txbatch record stream (fs/record.c) cut into
 * writes at arbitrary points.
 *
 * Input: a count of cuts (low four bits of the first byte), that many
 * 2-byte big-endian write sizes, then the stream.  The stream is fed one
 * write at a time to a reassembler built on records_whole, records_gather
 * and records_size, as txbatch's is: bytes wait in an exact-size buffer
 * until their record is whole.  The frames it sends must be, in order, the
 * whole records that a plain walk of the stream finds, and a bad length
 * must be refused at the write that completes its header.
 */
#include "fs/record.h"
#include "tests/fuzz/fuzz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BURST 3 /* records per gather: small, to cut bursts too */

/* The stream as a plain walk sees it: frames at offsets, and where a bad
 * length stands (SIZE_MAX if none). */
struct reference {
	size_t count, whole, bad;
	size_t frame_off[4096], frame_len[4096];
};

static void reference_walk(const uint8_t *s, size_t n, struct reference *ref)
{
	size_t off = 0;

	ref->count = 0;
	ref->bad = SIZE_MAX;
	while (off + 4 <= n) {
		size_t len = (size_t) s[off] << 24 | (size_t) s[off + 1] << 16 |
			     (size_t) s[off + 2] << 8 | s[off + 3];

		if (len < RECORD_FRAME_MIN || len > RECORD_FRAME_MAX) {
			ref->bad = off;
			break;
		}
		if (off + 4 + len > n)
			break;
		ref->frame_off[ref->count] = off + 4;
		ref->frame_len[ref->count++] = len;
		off += 4 + len;
	}
	ref->whole = off;
}

struct reassembler {
	uint8_t *pending; /* exactly pending_len bytes */
	size_t pending_len;
	size_t consumed; /* stream bytes before pending's first */
	size_t sent;	 /* frames sent */
};

/* Send the whole records waiting; keep the rest.  -EINVAL on a bad length. */
static int send_whole(struct reassembler *r, const uint8_t *stream,
		      const struct reference *ref)
{
	ssize_t whole = records_whole(r->pending, r->pending_len);
	struct iovec iov[BURST];
	size_t done = 0;

	if (whole < 0)
		return (int) whole;
	FUZZ_CHECK((size_t) whole <= r->pending_len);
	while (done < (size_t) whole) {
		unsigned n = records_gather(r->pending + done,
					    (size_t) whole - done, iov, BURST);

		FUZZ_CHECK(n >= 1 && n <= BURST);
		for (unsigned i = 0; i < n; i++, r->sent++) {
			size_t at = r->consumed +
				    (size_t) ((uint8_t *) iov[i].iov_base -
					      r->pending);

			FUZZ_CHECK(r->sent < ref->count);
			FUZZ_CHECK(at == ref->frame_off[r->sent]);
			FUZZ_CHECK(iov[i].iov_len == ref->frame_len[r->sent]);
			FUZZ_CHECK(memcmp(iov[i].iov_base, stream + at,
					  iov[i].iov_len) == 0);
		}
		done += records_size(iov, n);
		FUZZ_CHECK(done <= (size_t) whole);
	}
	r->consumed += done;
	r->pending_len -= done;
	memmove(r->pending, r->pending + done, r->pending_len);
	return 0;
}

/* Append one write to the pending bytes, in a buffer of their exact size. */
static void take_write(struct reassembler *r, const uint8_t *buf, size_t n)
{
	uint8_t *grown;

	if (n == 0)
		return;
	grown = realloc(r->pending, r->pending_len + n);
	FUZZ_CHECK(grown != NULL);
	memcpy(grown + r->pending_len, buf, n);
	r->pending = grown;
	r->pending_len += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct reference ref;
	struct reassembler r = {0};
	size_t cuts, at = 0, len;
	const uint8_t *stream;
	int err = 0;

	/* The reference holds the frames of 64 KiB at 18 bytes a record. */
	if (size < 1 || size > 65536)
		return 0;
	cuts = data[0] & 15;
	if (size < 1 + 2 * cuts)
		return 0;
	stream = data + 1 + 2 * cuts;
	len = size - 1 - 2 * cuts;
	reference_walk(stream, len, &ref);
	r.pending = fuzz_exact(NULL, 0);
	for (size_t i = 0; i <= cuts && !err; i++) {
		size_t n = i < cuts ? (size_t) (data[1 + 2 * i] << 8 |
						data[2 + 2 * i]) %
					      (len - at + 1)
				    : len - at;

		take_write(&r, stream + at, n);
		at += n;
		err = send_whole(&r, stream, &ref);
		/* Refused exactly once the bad length's header is in. */
		FUZZ_CHECK((err == -EINVAL) ==
			   (ref.bad != SIZE_MAX && at >= ref.bad + 4));
		FUZZ_CHECK(err == 0 || err == -EINVAL);
	}
	if (!err) {
		FUZZ_CHECK(r.sent == ref.count);
		FUZZ_CHECK(r.consumed == ref.whole);
		FUZZ_CHECK(r.pending_len == len - ref.whole);
	}
	free(r.pending);
	return 0;
}
