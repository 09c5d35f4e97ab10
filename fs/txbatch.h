/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * txbatch.h - reassembly of the record stream written to txbatch.
 *
 * txbatch is a stream, as a pipe to a QEMU stream netdev is: a write larger
 * than one FUSE request reaches pcifs in pieces cut anywhere, and so do the
 * writes of `cat` or `dd bs=N`.  The reassembler carries the start of a
 * record that a write left incomplete, and hands each record on once it is
 * whole.  Pure: no I/O, no locks, no FUSE; records leave through the
 * caller's send callback.  Records are fs/record.h's.
 */
#ifndef PCIFS_TXBATCH_H
#define PCIFS_TXBATCH_H

#include "fs/record.h"

#include <stddef.h>

/* The stream of one open txbatch file; zero-initialized to start. */
struct txbatch {
	size_t carry_len; /* bytes of an incomplete record, never a whole one */
	char carry[RECORD_MAX];
};

/*
 * Send the @size bytes at @buf (never 0), whole records only.  Returns 0
 * once all are queued; else why not (-EAGAIN, -EINTR, ...), with *@sent
 * the bytes of the records queued before that.
 */
typedef int txbatch_send_fn(void *ctx, const char *buf, size_t size,
			    size_t *sent);

/*
 * Take the next @size bytes of the stream: complete the carried record and
 * send it, then the whole records of @buf, then carry what is left.  Every
 * length is checked first: a bad one (-EINVAL) sends nothing of this write
 * and drops the carried bytes.  Returns the bytes of @buf taken (sent or
 * carried), fewer when @send fails part way, or @send's error when it took
 * none.
 */
int txbatch_write(struct txbatch *tb, const char *buf, size_t size,
		  txbatch_send_fn *send, void *ctx);

/* Bytes of an incomplete record carried; 0 when the stream is between
 * records. */
size_t txbatch_pending(const struct txbatch *tb);

#endif /* PCIFS_TXBATCH_H */
