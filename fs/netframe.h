/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netframe.h - the frame stream of a -o netdev socket, from the VM: QEMU's
 * stream netdev framing (a 4-byte big-endian length, then the frame),
 * which is fs/record.h's record.
 *
 * A socket read ends anywhere, so the stream carries the start of a record
 * to the next read.  A record with a bad length (0, below 14, above 1514)
 * is skipped whole: its length and then that many bytes, so the stream
 * stays in step; the caller counts it.  Pure: no I/O, no locks.
 */
#ifndef PCIFS_NETFRAME_H
#define PCIFS_NETFRAME_H

#include "fs/record.h"

#include <stdint.h>
#include <sys/uio.h>

#define NETFRAME_BUF (64 * 1024) /* bytes read from the socket at a time */

/* One connection's stream; netframe_reset() before its first byte. */
struct netframe {
	size_t head;   /* where the next record starts in buf */
	size_t fill;   /* bytes in buf */
	uint64_t skip; /* bytes of a bad record still to skip */
	char buf[NETFRAME_BUF + RECORD_MAX];
};

void netframe_reset(struct netframe *nf);

/* Where the next socket read goes and how much it may take (never 0);
 * netframe_fill() then says how much came. */
char *netframe_room(struct netframe *nf, size_t *room);
void netframe_fill(struct netframe *nf, size_t got);

/*
 * Up to @max whole frames from the stream, as iovecs into its buffer that
 * stay valid until the next netframe_room().  *@bad counts the bad records
 * skipped on the way.  Returns how many frames; 0 when more bytes must come.
 */
unsigned netframe_take(struct netframe *nf, struct iovec *iov, unsigned max,
		       unsigned *bad);

/* Bytes of a record cut off so far (the stream is mid-record): at a
 * disconnect, that frame is lost. */
size_t netframe_pending(const struct netframe *nf);

#endif /* PCIFS_NETFRAME_H */
