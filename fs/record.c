// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * record.c - the batch record format (see record.h).
 */
#include "fs/record.h"

#include <errno.h>

uint32_t record_get_len(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 |
	       (uint32_t) b[2] << 8 | b[3];
}

void record_put_len(void *p, uint32_t len)
{
	uint8_t *b = p;

	b[0] = (uint8_t) (len >> 24);
	b[1] = (uint8_t) (len >> 16);
	b[2] = (uint8_t) (len >> 8);
	b[3] = (uint8_t) len;
}

ssize_t record_size(const void *p, size_t avail)
{
	uint32_t len;

	if (avail < RECORD_HDR)
		return 0;
	len = record_get_len(p);
	if (len < RECORD_FRAME_MIN || len > RECORD_FRAME_MAX)
		return -EINVAL;
	return RECORD_HDR + (ssize_t) len;
}

ssize_t records_whole(const void *buf, size_t size)
{
	const uint8_t *p = buf;
	size_t off = 0;

	for (;;) {
		ssize_t rec = record_size(p + off, size - off);

		if (rec < 0)
			return rec;
		if (rec == 0 || (size_t) rec > size - off)
			return (ssize_t) off;
		off += (size_t) rec;
	}
}

unsigned records_gather(const void *buf, size_t size, struct iovec *iov,
			unsigned max)
{
	const uint8_t *p = buf;
	unsigned n = 0;
	size_t off = 0;

	while (off + RECORD_HDR <= size && n < max) {
		uint32_t len = record_get_len(p + off);

		iov[n].iov_base = (void *) (p + off + RECORD_HDR);
		iov[n++].iov_len = len;
		off += RECORD_HDR + len;
	}
	return n;
}

size_t records_size(const struct iovec *iov, unsigned n)
{
	size_t size = 0;

	for (unsigned i = 0; i < n; i++)
		size += RECORD_HDR + iov[i].iov_len;
	return size;
}
